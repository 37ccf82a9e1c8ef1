"""Rules on addressing and bulk: ``sender``, ``destinations[].to`` and ``messageId``
(VB601-VB619).

These are the hot path: a body may hold 100,000 destinations. Each rule makes one linear
pass over plain lists, builds paths only for findings and uses no per-destination regex."""

from __future__ import annotations

from collections import Counter
from itertools import compress, count
from operator import methodcaller
from typing import Iterable, Iterator

from ..diagnostics import Severity
from .base import Finding, Rule, RuleContext

MESSAGE_ID_MAX = 200
MAX_MESSAGES_PER_USER = 100

_NOT_DICT = object()  # stands in for a destination that is not a mapping
_strip_plus = methodcaller("lstrip", "+")


class MessageDestinations:
    """One message's destinations, pre-extracted once per body (shared by the addressing
    and failover rules through :func:`destination_index`).

    ``tos`` and ``mids`` run parallel to ``ds``: the ``to`` / ``messageId`` value of each
    mapping destination (``None`` when absent) or ``_NOT_DICT``. ``all_str`` is true when
    every destination is a mapping whose ``to`` is a string, which lets the rules answer
    "anything wrong here?" with C-level set and ``map`` operations and fall back to a
    per-destination loop only when something is."""

    __slots__ = ("index", "mpath", "ds", "_tos", "plain", "all_str", "distinct", "n", "_to_set", "_mids")

    def __init__(self, index: int, mpath: tuple, ds) -> None:
        self.index, self.mpath, self.ds = index, mpath, ds
        self._mids = None
        self._tos: list | None = None
        self.n = len(ds)
        if hasattr(ds, "id_blocks"):
            # compile's packed ids of an audience group (compiler.emit.PackedIds): every item
            # is a string id (or a mapping with one); read a block at a time, never all at once
            plain = True
            self.all_str = True
        else:
            if getattr(ds, "bare_is_to", False):
                # vibespec compile's compact body (compiler.emit.CompactDestinations): a bare id
                # stands for {"to": id}; linted as is, without 100,000 dicts
                self._tos = [d if type(d) is str else d.get("to") for d in ds]
                plain = True
            else:
                try:  # only mappings have .get in a JSON body
                    self._tos = [d.get("to") for d in ds]
                    plain = True
                except AttributeError:
                    self._tos = [d.get("to") if isinstance(d, dict) else _NOT_DICT for d in ds]
                    plain = False
            try:
                self.all_str = plain and (not ds or ("".join(self._tos), True)[1])
            except TypeError:  # some `to` is missing or not a string
                self.all_str = False
        self.plain = plain
        self._to_set: set | None = None
        # the compiler's word for an audience group it checked whole (compiler.emit.
        # CompactDestinations.distinct_ids): every `to` a non-blank id, none twice; the
        # rules then need no set of a million ids to know it
        self.distinct = self.all_str and getattr(ds, "distinct_ids", False) is True

    @property
    def tos(self) -> list:
        """The ``to`` of each destination (packed ids: all of them as strings, built on first use)."""
        if self._tos is None:
            self._tos = [t for block in self.ds.id_blocks() for t in block]
        return self._tos

    def to_blocks(self):
        """``(offset, tos)`` pieces covering ``tos``: packed ids a block at a time (nothing
        kept), else the whole list once."""
        if self._tos is None:
            off = 0
            for block in self.ds.id_blocks():
                yield off, block
                off += len(block)
        else:
            yield 0, self._tos

    @property
    def has_mids(self) -> bool:
        """False when no destination can have a ``messageId`` (packed ids without them)."""
        return getattr(self.ds, "has_message_ids", True)

    @property
    def n_distinct(self) -> int:
        """How many different string ``to`` values."""
        return self.n if self.distinct else len(self.to_set)

    @property
    def to_set(self) -> set:
        """The set of string ``to`` values."""
        if self._to_set is None:
            self._to_set = set(self.tos) if self.all_str else {t for t in self.tos if isinstance(t, str)}
        return self._to_set

    @property
    def mids(self) -> list:
        if self._mids is None:
            if not self.has_mids:
                self._mids = [None] * self.n
            elif getattr(self.ds, "bare_is_to", False):
                self._mids = [None if type(d) is str else d.get("messageId") for d in self.ds]
            elif self.plain:
                self._mids = [d.get("messageId") for d in self.ds]
            else:
                self._mids = [d.get("messageId") if isinstance(d, dict) else _NOT_DICT for d in self.ds]
        return self._mids


def destination_index(ctx: RuleContext) -> list[MessageDestinations]:
    """:class:`MessageDestinations` for every message whose destinations is a list, computed
    once per context (cached on it) and shared by the rules that need it."""
    body = ctx.body
    cached = ctx.__dict__.get("_vb_destination_index") if hasattr(ctx, "__dict__") else None
    if cached is not None and cached[0] is body:
        return cached[1]
    out = []
    for mpath, m in ctx.messages():
        ds = m.get("destinations")
        if isinstance(ds, list) or getattr(ds, "bare_is_to", False):
            out.append(MessageDestinations(mpath[1], mpath, ds))
    try:
        ctx.__dict__["_vb_destination_index"] = (body, out)
    except AttributeError:  # a context without __dict__: just do not cache
        pass
    return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


class ToEmptyRule(Rule):
    """A destination has no ``to``, or it is empty.

    Why: ``to`` (the Viber bot user ID) is required for every destination; Infobip rejects
    the destination (or the request) without it. An empty value usually comes from an
    audience row or template variable with no ID.

    Source: constraints.md §1 and §6 (S3, S6); OpenAPI ToDestination.to.

    Fails:

        to: ["", bot-user-2]

    Passes:

        to: [bot-user-1, bot-user-2]
    """

    code, name, severity = "VB601", "to-empty", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for e in destination_index(ctx):
            if e.distinct or (e.all_str and "" not in e.to_set and not any(map(str.isspace, e.to_set))):
                continue  # fast path: every destination has a non-blank string `to`
            for j, to in enumerate(e.tos):
                if to is _NOT_DICT:
                    continue
                if to is not None and (not isinstance(to, str) or (to and not to.isspace())):
                    continue  # a real ID, or another type (a structure problem, not an empty one)
                yield Finding(e.mpath + ("destinations", j), "destination has no 'to' (Viber bot user ID)",
                              "give the bot user ID of the recipient")

class MessageIdTooLongRule(Rule):
    """A destination ``messageId`` is longer than 200 characters.

    Why: the schema's maxLength is 200 and Infobip clips longer IDs, so delivery reports
    come back with an ID you never sent.

    Source: constraints.md §3 and §6 (S6, S7); OpenAPI ToDestination.messageId.

    Fails:

        to: [{to: bot-user-1, message_id: (201 characters)}]

    Passes:

        to: [{to: bot-user-1, message_id: welcome-bot-user-1}]
    """

    code, name, severity = "VB602", "message-id-too-long", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for e in destination_index(ctx):
            if not e.has_mids:
                continue
            mids = e.mids
            if not mids or mids.count(None) == len(mids):
                continue
            try:
                if max(map(len, mids)) <= MESSAGE_ID_MAX:
                    continue  # fast path: every messageId is present and short enough
            except TypeError:  # some are missing (None) or not strings
                strs = [x for x in mids if x.__class__ is str]
                if not strs or max(map(len, strs)) <= MESSAGE_ID_MAX:
                    continue
            for j, mid in enumerate(mids):
                if isinstance(mid, str) and len(mid) > MESSAGE_ID_MAX:
                    yield Finding(e.mpath + ("destinations", j, "messageId"),
                                  f"messageId is {len(mid)} characters; Infobip keeps at most {MESSAGE_ID_MAX}",
                                  "shorten the message ID")

class DuplicateMessageIdRule(Rule):
    """The same ``messageId`` is used for more than one destination in the request.

    Why: ``messageId`` identifies one message to one recipient; when two share an ID,
    delivery and seen reports can no longer be told apart.

    Source: constraints.md §3 and §6 (S6, S7: "uniquely identifies the message";
    uniqueness within a request inferred).

    Fails:

        to: [{to: bot-user-1, message_id: m-1}, {to: bot-user-2, message_id: m-1}]

    Passes:

        to: [{to: bot-user-1, message_id: m-1}, {to: bot-user-2, message_id: m-2}]
    """

    code, name, severity = "VB603", "duplicate-message-id", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        index = destination_index(ctx)
        seen: set = set()
        total = 0
        for e in index:
            if not e.has_mids:
                continue
            mids = e.mids
            given = len(mids) - mids.count(None)
            if not given:
                continue
            if given == len(mids):
                try:
                    seen.update(mids)
                    total += given
                    continue
                except TypeError:
                    pass
            strs = [x for x in mids if x.__class__ is str]
            seen.update(strs)
            total += len(strs)
        if len(seen) == total:
            return  # fast path: no messageId repeats
        first: dict[str, tuple[int, int]] = {}
        for e in index:
            i = e.index
            for j, mid in enumerate(e.mids):
                if not isinstance(mid, str) or not mid:
                    continue
                prev = first.setdefault(mid, (i, j))
                if prev != (i, j):
                    pi, pj = prev
                    where = f"destination {pj + 1}" + (f" of message {pi + 1}" if pi != i else "")
                    yield Finding(e.mpath + ("destinations", j, "messageId"),
                                  f"messageId {mid!r} is already used by {where}",
                                  "give every destination its own message ID, or omit it to let Infobip generate one")

class TooManyMessagesSameUserRule(Rule):
    """One recipient gets more than 100 messages in one request.

    Why: Viber allows at most 100 messages to a user within an hour without a reply from
    that user and answers the rest with "Too many requests" (error 12). Reported once per
    recipient, at the 101st message.

    Source: constraints.md §1 and §6 (S15); Viber REST Bot API.

    Fails: a spec whose messages send to ``bot-user-1`` 101 times.

    Passes: at most 100 messages to each recipient (or a speed limit spread over hours
    together with replies from users).
    """

    code, name, severity = "VB604", "too-many-messages-same-user", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        index = destination_index(ctx)
        limit = MAX_MESSAGES_PER_USER
        # no user can reach the limit when even the most repeated one could not: a message
        # lists one user at most len(tos) - len(to_set) + 1 times (saves a 100,000-key Counter)
        if sum(e.n - e.n_distinct + 1 for e in index) <= limit:
            return
        total = Counter()
        for e in index:
            total.update(e.tos if e.all_str else [t for t in e.tos if isinstance(t, str)])
        over = {to for to, n in total.items() if n > limit} if total and max(total.values()) > limit else None
        if not over:
            return
        counts: dict[str, int] = {}
        for e in index:
            for j, to in enumerate(e.tos):
                if to.__class__ is not str or to not in over:
                    continue
                n = counts.get(to, 0) + 1
                counts[to] = n
                if n == limit + 1:
                    yield Finding(e.mpath + ("destinations", j),
                                  f"this request sends {total[to]} messages to {to!r}; Viber allows {limit} "
                                  "per user per hour without a reply",
                                  "split the messages over several hours or combine them")

class ToLooksLikeMsisdnRule(Rule):
    """A destination ``to`` is all digits (10-15), like a phone number rather than a Viber bot
    user ID.

    Why: Viber Bot recipients are bot user IDs captured when the user talks to the bot
    (Viber's look like ``nsId6t9MWy3mq09RAeXiug==``); a phone number will not reach anyone.
    Reported once per message, at its first such destination, with the count.

    Source: constraints.md §1 and §6 (S3, S13, S17, S21).

    Decision: Infobip's own OpenAPI example uses ``to: "66855538125"``, so numeric IDs
    cannot be ruled out; this is only a note.

    Fails:

        to: "385911234567"

    Passes:

        to: nsId6t9MWy3mq09RAeXiug==
    """

    code, name, severity = "VB605", "to-looks-like-msisdn", Severity.INFO

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for e in destination_index(ctx):
            first = -1
            first_to = ""
            n = 0
            for off, tos in e.to_blocks():  # packed ids: a block at a time
                if not e.all_str:
                    tos = [t if isinstance(t, str) else "" for t in tos]
                # C-level pre-filter: indices whose `to` is digits after stripping leading '+'
                if "+" in "".join(tos):
                    cands = list(compress(count(), map(str.isdigit, map(_strip_plus, tos))))
                else:
                    cands = list(compress(count(), map(str.isdigit, tos)))
                for j in cands:
                    to = tos[j]
                    s = to[1:] if to[0] == "+" else to
                    if 10 <= len(s) <= 15 and s.isascii() and s.isdigit():
                        n += 1
                        if first < 0:
                            first, first_to = off + j, to
            if first >= 0:
                more = f" ({n} destinations of this message look like phone numbers)" if n > 1 else ""
                yield Finding(e.mpath + ("destinations", first),
                              f"{first_to!r} looks like a phone number; Viber Bot recipients are bot user IDs{more}",
                              "use the Viber bot user ID captured when the user contacted the bot")

class SenderEmptyRule(Rule):
    """A message's ``sender`` is missing or empty.

    Why: ``sender`` (the bot identifier given at activation) is required; Infobip rejects a
    message without it. A spec with no sender anywhere is reported by ``missing-sender``
    (VB105) instead, so for specs only an empty sender is reported here.

    Source: constraints.md §1 (S6); OpenAPI ViberBotMessage.sender.

    Fails:

        sender: ""

    Passes:

        sender: DemoBot
    """

    code, name, severity = "VB606", "sender-empty", Severity.ERROR

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raw = ctx.origin != "spec"
        for mpath, m in ctx.messages():
            if "sender" not in m or m["sender"] is None:
                if raw:
                    yield Finding(mpath, "message has no sender", "add the bot's sender identifier")
            elif _blank(m["sender"]):
                yield Finding(mpath + ("sender",), "message sender is empty", "give the bot's sender identifier")


class DuplicateDestinationRule(Rule):
    """The same ``to`` appears twice among one message's destinations.

    Why: the user gets the same message twice (and is charged twice), which is rarely
    intended; it usually means an audience file has duplicate rows.

    Source: constraints.md §1 (inferred).

    Fails:

        to: [bot-user-1, bot-user-2, bot-user-1]

    Passes:

        to: [bot-user-1, bot-user-2]
    """

    code, name, severity = "VB607", "duplicate-destination", Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for e in destination_index(ctx):
            if e.distinct or (e.all_str and len(e.to_set) == e.n):
                continue  # fast path: all distinct
            seen: set[str] = set()
            add = seen.add
            for j, to in enumerate(e.tos):
                if not isinstance(to, str) or not to:
                    continue
                if to in seen:
                    yield Finding(e.mpath + ("destinations", j), f"{to!r} is already a destination of this message",
                                  "remove the duplicate recipient")
                else:
                    add(to)

class DestinationsEmptyRule(Rule):
    """A message has no ``destinations`` (missing or an empty list).

    Why: "A valid destination is required"; Infobip rejects a message without recipients.
    Specs report this as ``missing-recipients`` (VB114), so raw bodies only.

    Source: wire-format §2.1 (S6); OpenAPI ViberBotMessage.destinations.

    Fails (raw body):

        {"messages": [{"sender": "DemoBot", "destinations": [], "content": {...}}]}

    Passes:

        {"messages": [{"sender": "DemoBot", "destinations": [{"to": "bot-user-1"}], ...}]}
    """

    code, name, severity = "VB608", "destinations-empty", Severity.ERROR
    inputs = frozenset({"payload"})

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for mpath, m in ctx.messages():
            ds = m.get("destinations")
            if ds is None:
                yield Finding(mpath, "message has no destinations", "add at least one destination {\"to\": ...}")
            elif isinstance(ds, list) and not ds:
                yield Finding(mpath + ("destinations",), "message destinations list is empty",
                              "add at least one destination {\"to\": ...}")


RULES = (
    ToEmptyRule,
    MessageIdTooLongRule,
    DuplicateMessageIdRule,
    TooManyMessagesSameUserRule,
    ToLooksLikeMsisdnRule,
    SenderEmptyRule,
    DuplicateDestinationRule,
    DestinationsEmptyRule,
)
