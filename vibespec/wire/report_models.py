"""Viber Bot delivery reports as pydantic models.

Source: Infobip's OpenAPI spec, schemas ``DeliveryReports``, ``DeliveryReport``,
``MessageStatus``, ``MessageError``, ``MessagePrice`` and ``Platform``; the same body is
POSTed to the delivery-report webhook and returned by ``GET /viber-bot/1/reports``
(``viber-bots-wire-format.md`` §6). No field is required by the schema.

Status groups (``status.groupId`` -> ``groupName``) come from Infobip's status-code
documentation: 1 PENDING, 2 UNDELIVERABLE, 3 DELIVERED, 4 EXPIRED, 5 REJECTED. The spec's
``MessageGeneralStatus`` enum also lists ``ACCEPTED``, whose group id is published nowhere
we could read (the value 0 seen in third-party harvests is the *error* group OK): vibespec
treats ACCEPTED as a known, non-final group name with no id, so ``groupName: ACCEPTED`` is
accepted with any ``groupId`` and never flagged as a mismatch.

Finality (``DeliveryReport.is_final``), a decision:

* PENDING (1) and ACCEPTED are not final: more reports may follow.
* DELIVERED (3) is final **except** status id 2 ``DELIVERED_TO_OPERATOR``, which Infobip
  documents as intermediate (the operator has it, the handset not yet); an intermediate
  report (``webhooks.delivery.intermediateReport``) can carry it. Status id 5
  ``DELIVERED_TO_HANDSET`` is final.
* UNDELIVERABLE (2), EXPIRED (4) and REJECTED (5) are final.

Error groups (``error.groupId``): 0 OK, 1 HANDSET_ERRORS, 2 USER_ERRORS, 3 OPERATOR_ERRORS.
Only 0 = OK is confirmed by the references in this repo; 1-3 follow the order of Infobip's
error-code page and of the schema enum.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Iterator

from pydantic import Field

from .inbound_models import Int32, MessagePrice, Str255, WireModel, datetime_or_none

#: Status group id -> name (Infobip docs). ACCEPTED is in the spec enum without an id.
STATUS_GROUPS: dict[int, str] = {1: "PENDING", 2: "UNDELIVERABLE", 3: "DELIVERED", 4: "EXPIRED", 5: "REJECTED"}
#: Every status group name the spec's ``MessageGeneralStatus`` enum allows.
STATUS_GROUP_NAMES: tuple[str, ...] = ("ACCEPTED", "PENDING", "UNDELIVERABLE", "DELIVERED", "EXPIRED", "REJECTED")
#: Status group names after which no further report follows (see module docstring).
FINAL_GROUPS: frozenset[str] = frozenset({"DELIVERED", "UNDELIVERABLE", "EXPIRED", "REJECTED"})
#: Status group names that mean the message will not arrive.
FAILED_GROUPS: frozenset[str] = frozenset({"UNDELIVERABLE", "EXPIRED", "REJECTED"})
#: Status ids that are intermediate even though their group is final.
INTERMEDIATE_STATUS_IDS: frozenset[int] = frozenset({2})  # DELIVERED_TO_OPERATOR

#: Error group id -> name (schema enum ``MessageErrorGroup``; ids from Infobip's docs).
ERROR_GROUPS: dict[int, str] = {0: "OK", 1: "HANDSET_ERRORS", 2: "USER_ERRORS", 3: "OPERATOR_ERRORS"}
ERROR_GROUP_NAMES: tuple[str, ...] = tuple(ERROR_GROUPS.values())


class MessageStatus(WireModel):
    group_id: Int32 | None = None
    group_name: str | None = None  # not an enum here: unknown names parse, validate warns
    id: Int32 | None = None
    name: str | None = None
    description: str | None = None
    action: str | None = None

    @property
    def group(self) -> str | None:
        """The group name: ``groupName`` when present, else looked up from ``groupId``."""
        if self.group_name:
            return self.group_name
        return STATUS_GROUPS.get(self.group_id) if self.group_id is not None else None


class MessageError(WireModel):
    group_id: Int32 | None = None
    group_name: str | None = None
    id: Int32 | None = None
    name: str | None = None
    description: str | None = None
    permanent: bool | None = None

    @property
    def group(self) -> str | None:
        if self.group_name:
            return self.group_name
        return ERROR_GROUPS.get(self.group_id) if self.group_id is not None else None

    @property
    def is_error(self) -> bool:
        """Whether this is a real error (anything but group OK / id 0)."""
        if self.group == "OK":
            return False
        if self.group is None and self.id in (None, 0):
            return False
        return True


class Platform(WireModel):
    entity_id: Str255 | None = None
    application_id: Str255 | None = None


class DeliveryReport(WireModel):
    """One report (schema ``DeliveryReport``)."""

    bulk_id: str | None = None
    message_id: str | None = None
    to: str | None = None
    sender: str | None = None
    sent_at: str | None = None  # raw; see sent_at_dt
    done_at: str | None = None
    message_count: Int32 | None = None
    mcc_mnc: str | None = None
    callback_data: str | None = None
    campaign_reference_id: str | None = None
    price: MessagePrice | None = None
    status: MessageStatus | None = None
    error: MessageError | None = None
    platform: Platform | None = None

    @property
    def sent_at_dt(self) -> datetime | None:
        return datetime_or_none(self.sent_at)

    @property
    def done_at_dt(self) -> datetime | None:
        return datetime_or_none(self.done_at)

    @property
    def status_group(self) -> str | None:
        """``"DELIVERED"``, ``"PENDING"``... (``None`` when the report has no status)."""
        return self.status.group if self.status is not None else None

    @property
    def error_group(self) -> str | None:
        return self.error.group if self.error is not None else None

    @property
    def is_final(self) -> bool:
        """No further report will follow for this message (see the module docstring:
        DELIVERED_TO_OPERATOR, status id 2, is intermediate)."""
        group = self.status_group
        if group not in FINAL_GROUPS:
            return False
        if group == "DELIVERED" and self.status is not None and self.status.id in INTERMEDIATE_STATUS_IDS:
            return False
        return True

    @property
    def delivered(self) -> bool:
        """Delivered to the handset: group DELIVERED and final."""
        return self.status_group == "DELIVERED" and self.is_final

    @property
    def failed(self) -> bool:
        """Will not arrive: group UNDELIVERABLE, EXPIRED or REJECTED."""
        return self.status_group in FAILED_GROUPS

    @property
    def unknown_status(self) -> bool:
        """The status names no known group (a misspelt ``groupName`` such as ``DELIVERD``,
        or an unknown ``groupId``; VB809): neither final nor pending."""
        return self.status is not None and self.status_group not in STATUS_GROUP_NAMES

    @property
    def pending(self) -> bool:
        """Not final yet (PENDING, ACCEPTED, DELIVERED_TO_OPERATOR, or no status); a status
        of an unknown group is not pending (see :attr:`unknown_status`)."""
        return not self.is_final and not self.unknown_status


class DeliveryReportBatch(WireModel):
    """The whole body (schema ``DeliveryReports``)."""

    results: list[DeliveryReport] = Field(default_factory=list)

    def __iter__(self) -> Iterator[DeliveryReport]:  # type: ignore[override]
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def by_status_group(self) -> dict[str, int]:
        """Counts per status group name (``"UNKNOWN"`` for reports without one)."""
        return dict(Counter(r.status_group or "UNKNOWN" for r in self.results))

    def by_error_group(self) -> dict[str, int]:
        """Counts per error group name, for reports that carry an ``error`` object."""
        return dict(Counter(r.error_group or "UNKNOWN" for r in self.results if r.error is not None))

    def delivered(self) -> list[DeliveryReport]:
        return [r for r in self.results if r.delivered]

    def failed(self) -> list[DeliveryReport]:
        return [r for r in self.results if r.failed]

    def pending(self) -> list[DeliveryReport]:
        return [r for r in self.results if r.pending]

    def unknown(self) -> list[DeliveryReport]:
        """Reports whose status names no known group (VB809)."""
        return [r for r in self.results if r.unknown_status]


__all__ = [
    "DeliveryReport",
    "DeliveryReportBatch",
    "ERROR_GROUPS",
    "ERROR_GROUP_NAMES",
    "FAILED_GROUPS",
    "FINAL_GROUPS",
    "INTERMEDIATE_STATUS_IDS",
    "MessageError",
    "MessagePrice",
    "MessageStatus",
    "Platform",
    "STATUS_GROUPS",
    "STATUS_GROUP_NAMES",
]
