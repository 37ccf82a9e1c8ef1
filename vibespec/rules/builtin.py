"""Codes emitted by the loaders (VB0xx), the spec compiler (VB1xx) and the lint engine
(VB9xx). They have no ``check``: the stage that detects them reports them, and this module
is their registry entry and documentation (``vibespec explain``, select/ignore)."""

from __future__ import annotations

from .. import codes
from ..diagnostics import Severity
from .base import Rule


class _Emitted(Rule):
    def check(self, ctx):  # emitted by a stage, never run as a payload rule
        return ()


# --------------------------------------------------------------------------- source


class InternalErrorRule(_Emitted):
    """vibespec failed on this input: a bug in vibespec, not in the spec.

    Why: the library promises diagnostics or ``VibespecError`` for every input, never
    another exception; when a check itself fails, the failure is reported as this
    diagnostic (with the exception) instead of escaping. Please report it with the input.

    Source: vibespec.

    Fails: any input that makes vibespec fail (none is known).

    Passes: every other input.
    """

    code, name, severity = codes.VB000
    stage = "engine"



class SyntaxErrorRule(_Emitted):
    """The file is not valid YAML, TOML or JSON.

    Why: nothing can be checked or compiled until the file parses. The diagnostic points
    at the place the parser gave up, which is often just after the real mistake.

    Source: YAML 1.2, TOML 1.0, RFC 8259.

    Fails:

        messages:
          - text: "unclosed

    Passes:

        messages:
          - text: "closed"
    """

    code, name, severity = codes.VB001
    stage = "source"


class EncodingRule(_Emitted):
    """The file is not UTF-8 text (binary data, another encoding, or a NUL byte).

    Why: specs, bodies and webhooks are UTF-8 JSON on the wire; a spec in another encoding
    would compile to different characters than the author saw. A UTF-8 byte order mark is
    accepted and ignored.

    Source: RFC 8259 §8.1 (JSON text is UTF-8); YAML 1.2 §5.2.

    Fails: a file saved as Latin-1 with ``text: Grüße``.

    Passes: the same file saved as UTF-8.
    """

    code, name, severity = codes.VB002
    stage = "source"


class EmptyFileRule(_Emitted):
    """The file is empty (or holds only comments).

    Why: an empty spec compiles to nothing; usually a file was truncated or saved by mistake.

    Source: vibespec.

    Fails: an empty ``promo.viber.yaml``.

    Passes:

        vibespec: 1
        messages: [...]
    """

    code, name, severity = codes.VB003
    stage = "source"


class RootNotMappingRule(_Emitted):
    """The top level of the file is not a mapping (e.g. a list or a bare string).

    Why: a spec (and a request body) is an object with keys such as ``vibespec`` and
    ``messages``.

    Source: vibespec language; Infobip ViberBotRequest is an object.

    Fails:

        - to: user-1
          text: Hi

    Passes:

        vibespec: 1
        messages:
          - to: user-1
            text: Hi
    """

    code, name, severity = codes.VB004
    stage = "source"


class DuplicateKeyRule(_Emitted):
    """The same key appears twice in one mapping.

    Why: YAML forbids it and JSON parsers silently keep one of the values, so what is sent
    may not be what the author read.

    Source: YAML 1.2 §3.2.1.1 (keys are unique); RFC 8259 §4 (names SHOULD be unique).

    Fails:

        text: Hello
        text: Goodbye

    Passes:

        text: Hello
    """

    code, name, severity = codes.VB005
    stage = "source"


class DisallowedTagRule(_Emitted):
    """A YAML tag other than the standard scalar and collection tags (``!!str``, ``!!int``,
    ``!!float``, ``!!bool``, ``!!null``, ``!!map``, ``!!seq``).

    Why: tags such as ``!!python/object`` construct objects or run code in some loaders.
    vibespec never constructs anything from a tag; it refuses them so that a spec means
    the same thing in every tool.

    Source: vibespec safety policy.

    Fails:

        text: !!python/object/apply:os.system ["echo hi"]

    Passes:

        text: !!str 12345
    """

    code, name, severity = codes.VB006
    stage = "source"


class InputLimitRule(_Emitted):
    """The input exceeds a safety limit: file size, nesting depth, alias expansion
    ("billion laughs") or the length of a number.

    Why: pre-commit runs vibespec on whatever is staged and the library validates bodies
    received from the network; a hostile file must be refused quickly and in little memory.
    Each limit can be raised in ``[tool.vibespec.limits]`` (``max_bytes``, ``max_depth``,
    ``max_aliases``, ``max_alias_nodes``, ``max_number_digits``).

    Source: vibespec safety policy.

    Fails:

        a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        # ... nine more levels

    Passes: a spec that uses an anchor a handful of times.
    """

    code, name, severity = codes.VB007
    stage = "source"


class MultipleDocumentsRule(_Emitted):
    """The YAML file holds more than one document (``---`` separators).

    Why: one spec compiles to one request body; put each spec in its own file.

    Source: vibespec language.

    Fails:

        vibespec: 1
        messages: []
        ---
        vibespec: 1

    Passes: one document per file.
    """

    code, name, severity = codes.VB008
    stage = "source"


class UnreadableFileRule(_Emitted):
    """The file could not be read (it vanished, is a dangling link or a folder, or its
    permissions or the disk refused).

    Why: a file that was not checked must not pass as clean: ``vibespec lint`` and
    ``vibespec check`` report it as this diagnostic in every output format (so JSON, SARIF
    and GitHub output are never empty for such a run), name it in the summary line, and
    exit 2 (could not run) whatever ``--fail-on`` says. Selection, ``ignore`` and inline
    suppressions do not hide it (nor ``VB000``): neither is a finding about the file.
    ``vibespec.lint`` on a path that cannot be read returns it too.

    Source: vibespec.

    Fails: ``vibespec lint specs/`` where ``specs/promo.viber.yaml`` is a link to a file
    that no longer exists.

    Passes: every file that can be opened and read.
    """

    code, name, severity = codes.VB009
    stage = "source"


class FindingsCappedRule(_Emitted):
    """A file has more findings than the report shows: the rest are counted, not listed.

    Why: a generated or hostile file can hold a finding on every line; a report of millions
    of lines helps nobody and costs time and memory. The report shows the first
    ``max_findings`` (default 1,000) findings of each file, the most severe first (an error
    is never hidden behind a note), and ends that file with this note, which says how many
    were not shown. Exit codes and the summary line count every finding. Raise the limit in
    ``[tool.vibespec.limits]`` (``max_findings``).

    Source: vibespec safety policy.

    Fails: a body with 1,001 unknown fields (with the default limit).

    Passes: a file with 1,000 findings or fewer.
    """

    code, name, severity = codes.VB010
    stage = "report"


# --------------------------------------------------------------------------- spec


class VersionRule(_Emitted):
    """The ``vibespec`` format version is missing or not one this release understands.

    Why: the version lets later releases change the language without misreading old specs.
    This release reads version ``1``.

    Source: vibespec language (DSL.md: ``vibespec: 1`` is required).

    Fails:

        vibespec: 7
        messages: []

    Passes:

        vibespec: 1
        messages: []
    """

    code, name, severity = codes.VB100
    stage = "spec"


class UnknownKeyRule(_Emitted):
    """A key the spec language does not know (with a "did you mean" suggestion).

    Why: a misspelt option (``valdity``) would otherwise be dropped silently and the message
    sent without it.

    Source: vibespec language (docs/language.md lists every key).

    Fails:

        messages:
          - to: u1
            txt: Hello

    Passes:

        messages:
          - to: u1
            text: Hello
    """

    code, name, severity = codes.VB101
    stage = "spec"


class WrongTypeRule(_Emitted):
    """A value has the wrong type (e.g. a list where a string is expected, or an unquoted
    number where text is expected).

    Why: the compiled body must match Infobip's types exactly; a phone number written
    unquoted is read as a number and loses its leading ``+`` or zeros.

    Source: vibespec language; Infobip OpenAPI 3.210.0 field types.

    Fails:

        failover:
          sms: {text: Hi, sender: 41793026726}

    Passes:

        failover:
          sms: {text: Hi, sender: "41793026726"}
    """

    code, name, severity = codes.VB102
    stage = "spec"


class MissingKeyRule(_Emitted):
    """A required key is missing (e.g. ``url`` of an image, ``messages`` of a spec).

    Why: Infobip rejects a body without its required fields.

    Source: Infobip OpenAPI 3.210.0 ``required`` lists; vibespec language.

    Fails:

        image: {caption: Spring sale}

    Passes:

        image: {url: https://cdn.example.com/p.png, caption: Spring sale}
    """

    code, name, severity = codes.VB103
    stage = "spec"


class ContentKeyRule(_Emitted):
    """A message has no content key, or more than one (``text``, ``image``, ``video``,
    ``file``, ``carousel``, ``location``, ``contact``, ``sticker``, ``url``).

    Why: each Infobip message has exactly one ``content`` of one ``type``.

    Source: Infobip OpenAPI 3.210.0 ViberBotOutboundContent (discriminator ``type``).

    Fails:

        - to: u1
          text: Hello
          image: {url: https://cdn.example.com/p.png}

    Passes:

        - to: u1
          text: Hello
    """

    code, name, severity = codes.VB104
    stage = "spec"


class MissingSenderRule(_Emitted):
    """A message has no ``sender``, neither its own nor from ``defaults``.

    Why: ``sender`` (the bot) is required by Infobip on every message.

    Source: Infobip OpenAPI 3.210.0 ViberBotMessage.required.

    Fails:

        messages:
          - to: u1
            text: Hi

    Passes:

        defaults: {sender: DemoBot}
        messages:
          - to: u1
            text: Hi
    """

    code, name, severity = codes.VB105
    stage = "spec"


class DurationRule(_Emitted):
    """A duration is not one of ``45s``, ``30m``, ``2h``, ``1h30m`` or
    ``{amount: N, unit: seconds|minutes|hours}``.

    Why: durations lower to Infobip's ``{amount, timeUnit}``; a misread duration changes
    how long a message may wait.

    Source: vibespec language (DSL.md, durations).

    Fails:

        validity: 2 hours

    Passes:

        validity: 2h
    """

    code, name, severity = codes.VB106
    stage = "spec"


class SizeRule(_Emitted):
    """A size is not integer bytes or a number with ``B``, ``KB``, ``MB``, ``KiB``, ``MiB``
    (``GB``/``GiB`` too), or is not a whole number of bytes.

    Why: sizes lower to integer bytes (``KB`` = 1000, ``KiB`` = 1024).

    Source: vibespec language (DSL.md, sizes).

    Fails:

        video: {url: https://cdn.example.com/a.mp4, size: 5 megs}

    Passes:

        video: {url: https://cdn.example.com/a.mp4, size: 5MiB}
    """

    code, name, severity = codes.VB107
    stage = "spec"


class TimeRule(_Emitted):
    """A time of day is not ``HH:MM`` (00:00 to 23:59).

    Why: window times lower to ``{hour, minute}``.

    Source: vibespec language; Infobip DeliveryTime (hour 0-23, minute 0-59).

    Fails:

        window: {days: daily, from: "25:00", to: "26:00"}

    Passes:

        window: {days: daily, from: "08:00", to: "20:00"}
    """

    code, name, severity = codes.VB108
    stage = "spec"


class DaysRule(_Emitted):
    """Window days are not ``daily``, ``weekdays``, ``weekends``, a day name (``mon`` or
    ``monday``), a range (``mon-fri``) or a list of those.

    Why: days lower to Infobip's full upper-case names.

    Source: vibespec language; Infobip DeliveryDay.

    Fails:

        window: {days: [mon, funday]}

    Passes:

        window: {days: [mon, fri]}
    """

    code, name, severity = codes.VB109
    stage = "spec"


class TimezoneRule(_Emitted):
    """``timezone`` (or a window's ``timezone``) is not an IANA time zone name
    (``Europe/Zagreb``, ``UTC``) or a fixed offset (``+05:30``).

    Why: local send times and windows are converted with the zone's rules, DST included.

    Source: IANA tz database (shipped with vibespec through ``tzdata``).

    Fails:

        timezone: Europe/Zagrab

    Passes:

        timezone: Europe/Zagreb
    """

    code, name, severity = codes.VB110
    stage = "spec"


class SpeedLimitRule(_Emitted):
    """``speed_limit`` is not ``N/minute``, ``N/hour``, ``N/day`` or
    ``{amount: N, per: minute|hour|day}``.

    Why: it lowers to ``options.schedule.sendingSpeedLimit``.

    Source: vibespec language; Infobip SendingSpeedLimit.

    Fails:

        speed_limit: fast

    Passes:

        speed_limit: 30/hour
    """

    code, name, severity = codes.VB111
    stage = "spec"


class DateTimeRule(_Emitted):
    """``send_at`` is not an ISO 8601 date and time (``2026-12-01T09:00:00+01:00``, the
    offset optional).

    Why: it lowers to Infobip's ``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm``; Infobip does not send
    scheduled messages whose ``sendAt`` it cannot read.

    Source: Infobip RequestSchedulingSettings.sendAt; github.com/infobip/infobip-api-php-tutorial/issues/3.

    Fails:

        send_at: next monday

    Passes:

        send_at: 2026-12-01T09:00:00+01:00
    """

    code, name, severity = codes.VB112
    stage = "spec"


class ChoiceRule(_Emitted):
    """A value is not one of the allowed choices (e.g. ``text.size`` not small, regular or
    large). Choices are case-insensitive in specs.

    Why: enumerated values lower to Infobip's spelling; an unknown value has no lowering.

    Source: Infobip OpenAPI 3.210.0 enums.

    Fails:

        text: {text: Buy, size: huge}

    Passes:

        text: {text: Buy, size: large}
    """

    code, name, severity = codes.VB113
    stage = "spec"


class MissingRecipientsRule(_Emitted):
    """A message has no recipients: no ``to``, or an empty list.

    Why: Infobip requires at least one destination per message.

    Source: Infobip OpenAPI 3.210.0 ViberBotMessage.destinations ("A valid destination is required").

    Fails:

        - text: Hi

    Passes:

        - to: bot-user-1
          text: Hi
    """

    code, name, severity = codes.VB114
    stage = "spec"


class InvalidValueRule(_Emitted):
    """A value is of the right type but cannot be lowered (e.g. a negative amount in a
    shorthand, an empty string where a name is needed, a number that is not finite).

    Why: the compiler refuses what it cannot lower exactly rather than guess.

    Source: vibespec language.

    Fails:

        validity: {amount: -5, unit: minutes}

    Passes:

        validity: {amount: 5, unit: minutes}
    """

    code, name, severity = codes.VB115
    stage = "spec"


# --------------------------------------------------------------------------- engine


class UnusedSuppressionRule(_Emitted):
    """A ``# vibespec: ignore[CODE]`` comment suppresses nothing.

    Why: stale suppressions hide future problems on that line; remove them once the
    finding is fixed (like ruff's RUF100).

    Source: vibespec.

    Fails:

        text: Hello  # vibespec: ignore[VB201]

    Passes:

        text: Hello
    """

    code, name, severity = codes.VB901
    stage = "engine"


class InvalidSuppressionRule(_Emitted):
    """A suppression comment names a code that does not exist or is malformed.

    Why: a typo in a suppression (``VB21``) silently suppresses nothing.

    Source: vibespec.

    Fails:

        text: Hello  # vibespec: ignore[VB2O1]

    Passes:

        text: Hello  # vibespec: ignore[VB201]
    """

    code, name, severity = codes.VB902
    stage = "engine"


RULES = (
    InternalErrorRule,
    SyntaxErrorRule,
    EncodingRule,
    EmptyFileRule,
    RootNotMappingRule,
    DuplicateKeyRule,
    DisallowedTagRule,
    InputLimitRule,
    MultipleDocumentsRule,
    UnreadableFileRule,
    FindingsCappedRule,
    VersionRule,
    UnknownKeyRule,
    WrongTypeRule,
    MissingKeyRule,
    ContentKeyRule,
    MissingSenderRule,
    DurationRule,
    SizeRule,
    TimeRule,
    DaysRule,
    TimezoneRule,
    SpeedLimitRule,
    DateTimeRule,
    ChoiceRule,
    MissingRecipientsRule,
    InvalidValueRule,
    UnusedSuppressionRule,
    InvalidSuppressionRule,
)
