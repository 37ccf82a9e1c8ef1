"""The documentation of every code in :mod:`vibespec.codes`, keyed by its constant.

Each text is what a rule class's docstring is for a payload rule: a summary paragraph of whole
sentences, then ``Why:``, ``Source:`` (``Decision:`` where sources conflict), ``Fails:`` and
``Passes:``. ``vibespec explain``, ``vibespec rules``, docs/rules.md, SARIF rule metadata and the
language server's hover read it through the registry (:mod:`vibespec.rules`); linting never loads
this module."""

from __future__ import annotations

from . import codes
from .codes import Code

DOCS: dict[Code, str] = {
    codes.VB000: """
    vibespec failed on this input: a bug in vibespec, not in the spec.

    Why: the library promises diagnostics or ``VibespecError`` for every input, never
    another exception; when a check itself fails, the failure is reported as this
    diagnostic (with the exception) instead of escaping. Please report it with the input.

    Source: vibespec.

    Fails: any input that makes vibespec fail (none is known).

    Passes: every other input.
    """,

    codes.VB001: """
    The file is not valid YAML, TOML or JSON.

    Why: nothing can be checked or compiled until the file parses. The diagnostic points
    at the place the parser gave up, which is often just after the real mistake.

    Source: YAML 1.2, TOML 1.0, RFC 8259.

    Fails:

        messages:
          - text: "unclosed

    Passes:

        messages:
          - text: "closed"
    """,

    codes.VB002: """
    The file is not UTF-8 text (binary data, another encoding, or a NUL byte).

    Why: specs, bodies and webhooks are UTF-8 JSON on the wire; a spec in another encoding
    would compile to different characters than the author saw. A UTF-8 byte order mark is
    accepted and ignored.

    Source: RFC 8259 §8.1 (JSON text is UTF-8); YAML 1.2 §5.2.

    Fails: a file saved as Latin-1 with ``text: Grüße``.

    Passes: the same file saved as UTF-8.
    """,

    codes.VB003: """
    The file is empty (or holds only comments).

    Why: an empty spec compiles to nothing; usually a file was truncated or saved by mistake.

    Source: vibespec.

    Fails: an empty ``promo.viber.yaml``.

    Passes:

        vibespec: 1
        messages: [...]
    """,

    codes.VB004: """
    The top level of the file is not a mapping (e.g. a list or a bare string).

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
    """,

    codes.VB005: """
    The same key appears twice in one mapping.

    Why: YAML forbids it and JSON parsers silently keep one of the values, so what is sent
    may not be what the author read.

    Source: YAML 1.2 §3.2.1.1 (keys are unique); RFC 8259 §4 (names SHOULD be unique).

    Fails:

        text: Hello
        text: Goodbye

    Passes:

        text: Hello
    """,

    codes.VB006: """
    A YAML tag other than the standard scalar and collection tags (``!!str``, ``!!int``,
    ``!!float``, ``!!bool``, ``!!null``, ``!!map``, ``!!seq``).

    Why: tags such as ``!!python/object`` construct objects or run code in some loaders.
    vibespec never constructs anything from a tag; it refuses them so that a spec means
    the same thing in every tool.

    Source: vibespec safety policy.

    Fails:

        text: !!python/object/apply:os.system ["echo hi"]

    Passes:

        text: !!str 12345
    """,

    codes.VB007: """
    The input exceeds a safety limit: file size, nesting depth, alias expansion
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
    """,

    codes.VB008: """
    The YAML file holds more than one document (``---`` separators).

    Why: one spec compiles to one request body; put each spec in its own file.

    Source: vibespec language.

    Fails:

        vibespec: 1
        messages: []
        ---
        vibespec: 1

    Passes: one document per file.
    """,

    codes.VB009: """
    The file could not be read (it vanished, is a dangling link or a folder, or its
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
    """,

    codes.VB010: """
    A file has more findings than the report shows: the rest are counted, not listed.

    Why: a generated or hostile file can hold a finding on every line; a report of millions
    of lines helps nobody and costs time and memory. The report shows the first
    ``max_findings`` (default 1,000) findings of each file, the most severe first (an error
    is never hidden behind a note), and ends that file with this note, which says how many
    were not shown. Exit codes and the summary line count every finding. Raise the limit in
    ``[tool.vibespec.limits]`` (``max_findings``).

    Source: vibespec safety policy.

    Fails: a body with 1,001 unknown fields (with the default limit).

    Passes: a file with 1,000 findings or fewer.
    """,

    codes.VB100: """
    The ``vibespec`` format version is missing or not one this release understands.

    Why: the version lets later releases change the language without misreading old specs.
    This release reads version ``1``.

    Source: vibespec language (DSL.md: ``vibespec: 1`` is required).

    Fails:

        vibespec: 7
        messages: []

    Passes:

        vibespec: 1
        messages: []
    """,

    codes.VB101: """
    A key the spec language does not know (with a "did you mean" suggestion).

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
    """,

    codes.VB102: """
    A value has the wrong type (e.g. a list where a string is expected, or an unquoted
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
    """,

    codes.VB103: """
    A required key is missing (e.g. ``url`` of an image, ``messages`` of a spec).

    Why: Infobip rejects a body without its required fields.

    Source: Infobip OpenAPI 3.210.0 ``required`` lists; vibespec language.

    Fails:

        image: {caption: Spring sale}

    Passes:

        image: {url: https://cdn.example.com/p.png, caption: Spring sale}
    """,

    codes.VB104: """
    A message has no content key, or more than one (``text``, ``image``, ``video``,
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
    """,

    codes.VB105: """
    A message has no ``sender``, neither its own nor from ``defaults``.

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
    """,

    codes.VB106: """
    A duration is not one of ``45s``, ``30m``, ``2h``, ``1h30m`` or
    ``{amount: N, unit: seconds|minutes|hours}``.

    Why: durations lower to Infobip's ``{amount, timeUnit}``; a misread duration changes
    how long a message may wait.

    Source: vibespec language (DSL.md, durations).

    Fails:

        validity: 2 hours

    Passes:

        validity: 2h
    """,

    codes.VB107: """
    A size is not integer bytes or a number with ``B``, ``KB``, ``MB``, ``KiB``, ``MiB``
    (``GB``/``GiB`` too), or is not a whole number of bytes.

    Why: sizes lower to integer bytes (``KB`` = 1000, ``KiB`` = 1024).

    Source: vibespec language (DSL.md, sizes).

    Fails:

        video: {url: https://cdn.example.com/a.mp4, size: 5 megs}

    Passes:

        video: {url: https://cdn.example.com/a.mp4, size: 5MiB}
    """,

    codes.VB108: """
    A time of day is not ``HH:MM`` (00:00 to 23:59).

    Why: window times lower to ``{hour, minute}``.

    Source: vibespec language; Infobip DeliveryTime (hour 0-23, minute 0-59).

    Fails:

        window: {days: daily, from: "25:00", to: "26:00"}

    Passes:

        window: {days: daily, from: "08:00", to: "20:00"}
    """,

    codes.VB109: """
    Window days are not ``daily``, ``weekdays``, ``weekends``, a day name (``mon`` or
    ``monday``), a range (``mon-fri``) or a list of those.

    Why: days lower to Infobip's full upper-case names.

    Source: vibespec language; Infobip DeliveryDay.

    Fails:

        window: {days: [mon, funday]}

    Passes:

        window: {days: [mon, fri]}
    """,

    codes.VB110: """
    ``timezone`` (or a window's ``timezone``) is not an IANA time zone name
    (``Europe/Zagreb``, ``UTC``) or a fixed offset (``+05:30``).

    Why: local send times and windows are converted with the zone's rules, DST included.

    Source: IANA tz database (shipped with vibespec through ``tzdata``).

    Fails:

        timezone: Europe/Zagrab

    Passes:

        timezone: Europe/Zagreb
    """,

    codes.VB111: """
    ``speed_limit`` is not ``N/minute``, ``N/hour``, ``N/day`` or
    ``{amount: N, per: minute|hour|day}``.

    Why: it lowers to ``options.schedule.sendingSpeedLimit``.

    Source: vibespec language; Infobip SendingSpeedLimit.

    Fails:

        speed_limit: fast

    Passes:

        speed_limit: 30/hour
    """,

    codes.VB112: """
    ``send_at`` is not an ISO 8601 date and time (``2026-12-01T09:00:00+01:00``, the
    offset optional).

    Why: it lowers to Infobip's ``yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm``; Infobip does not send
    scheduled messages whose ``sendAt`` it cannot read.

    Source: Infobip RequestSchedulingSettings.sendAt; github.com/infobip/infobip-api-php-tutorial/issues/3.

    Fails:

        send_at: next monday

    Passes:

        send_at: 2026-12-01T09:00:00+01:00
    """,

    codes.VB113: """
    A value is not one of the allowed choices (e.g. ``text.size`` not small, regular or
    large). Choices are case-insensitive in specs.

    Why: enumerated values lower to Infobip's spelling; an unknown value has no lowering.

    Source: Infobip OpenAPI 3.210.0 enums.

    Fails:

        text: {text: Buy, size: huge}

    Passes:

        text: {text: Buy, size: large}
    """,

    codes.VB114: """
    A message has no recipients: no ``to``, or an empty list.

    Why: Infobip requires at least one destination per message.

    Source: Infobip OpenAPI 3.210.0 ViberBotMessage.destinations ("A valid destination is required").

    Fails:

        - text: Hi

    Passes:

        - to: bot-user-1
          text: Hi
    """,

    codes.VB115: """
    A value is of the right type but cannot be lowered (e.g. a negative amount in a
    shorthand, an empty string where a name is needed, a number that is not finite).

    Why: the compiler refuses what it cannot lower exactly rather than guess.

    Source: vibespec language.

    Fails:

        validity: {amount: -5, unit: minutes}

    Passes:

        validity: {amount: 5, unit: minutes}
    """,

    codes.VB150: """
    A field that Infobip's Viber Bot request does not have (with a "did you mean").

    Why: Infobip ignores or rejects unknown fields, so a misspelt ``validityPeriod``
    (``validityperiod``) silently sends the message without it.

    Source: Infobip OpenAPI 3.210.0 ViberBotRequest and its sub-schemas.
    Decision: the published schema declares no ``additionalProperties``; vibespec treats every
    undeclared field as an error, because no undeclared field has any effect.

    Fails (raw body):

        {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}],
                       "content": {"txt": "Hi", "type": "TEXT"}}]}

    Passes:

        {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}],
                       "content": {"text": "Hi", "type": "TEXT"}}]}
    """,

    codes.VB151: """
    A field of a raw body has the wrong JSON type (e.g. ``"size": "5MB"``).

    Why: Infobip's validator rejects the request.

    Source: Infobip OpenAPI 3.210.0 field types.

    Fails (raw body):

        "content": {"url": "https://cdn.example.com/a.mp4", "size": "5MB", "type": "VIDEO"}

    Passes:

        "content": {"url": "https://cdn.example.com/a.mp4", "size": 5242880, "type": "VIDEO"}
    """,

    codes.VB152: """
    A field the schema requires is missing from a raw body (``sender``,
    ``destinations``, ``content``, a content type's own required fields ...).

    Why: Infobip rejects the request.

    Source: Infobip OpenAPI 3.210.0 ``required`` lists.

    Fails (raw body):

        {"messages": [{"destinations": [{"to": "u1"}], "content": {"text": "Hi", "type": "TEXT"}}]}

    Passes:

        {"messages": [{"sender": "Bot", "destinations": [{"to": "u1"}], "content": {"text": "Hi", "type": "TEXT"}}]}
    """,

    codes.VB153: """
    ``content.type`` is missing or not one of TEXT, IMAGE, VIDEO, FILE, CAROUSEL,
    LOCATION, CONTACT, STICKER, URL.

    Why: the type selects the content schema; without a known type Infobip cannot read the
    content. (The Bot schemas do not list ``type`` as required, but the discriminator needs
    it: vibespec treats it as required.)

    Source: Infobip OpenAPI 3.210.0 ViberBotOutboundContentType; wire-format "Uncertain" §2.

    Fails (raw body):

        "content": {"text": "Hi", "type": "AUDIO"}

    Passes:

        "content": {"text": "Hi", "type": "TEXT"}
    """,

    codes.VB701: """
    A template placeholder has no value for an audience row (and no default).

    Why: the message would go out with a hole in it ("Hi , your appointment...").
    The diagnostic points at the row (CSV file and line, or the inline row) and names the
    template and its line.

    Source: vibespec templates.

    Fails:

        templates:
          reminder: {text: "Hi {{ name }}"}
        audience: [{to: u1, name: Ana}, {to: u2}]     # row 2 has no name

    Passes:

        templates:
          reminder: {text: "Hi {{ name | default(\\"there\\") }}"}
    """,

    codes.VB702: """
    An audience column is used by no placeholder (and is not ``to``, ``message_id`` or
    ``phone``).

    Why: usually a misspelt placeholder or column name (``firstname`` vs ``first_name``).

    Source: vibespec templates.

    Fails:

        to,first_name,plan       # 'plan' is never used
        u1,Ana,gold

    Passes:

        to,first_name
        u1,Ana
    """,

    codes.VB703: """
    The same recipient (``to``) appears in two rows of an audience used by one message.

    Why: the user would get the message twice (or two differently rendered messages).

    Source: vibespec templates; Viber's per-user rate limit (constraints.md §1).

    Fails:

        to,name
        u1,Ana
        u1,Ana      # duplicate

    Passes: each recipient once.
    """,

    codes.VB704: """
    A message names a template that the spec's ``templates`` does not define.

    Why: there is nothing to send.

    Source: vibespec templates.

    Fails:

        messages:
          - {template: remindr, to: audience}

    Passes:

        messages:
          - {template: reminder, to: audience}
    """,

    codes.VB705: """
    The audience cannot be read: the CSV file is missing, is not UTF-8, has no header
    row with ``to``, repeats a column, or has a CSV syntax error; or an inline audience is
    not a list of mappings; or the audience has no rows (a CSV with only its header, an
    empty inline list); or its path is not a regular file inside the project (the
    repository or the configuration's folder, or a folder in ``read-paths``).

    Why: no recipients can be taken from it. Without this, an audience with no rows would
    compile to a request with no messages, sent to nobody. A spec comes from anyone who
    opens a pull request, so it may not read ``/proc/self/environ``, ``../../etc/passwd``, a
    FIFO or a device; the message is the same whether such a path exists or not.

    Source: vibespec templates (CSV: RFC 4180, UTF-8, header row).

    Fails:

        audience: people.csv     # file does not exist

    Passes:

        audience: people.csv     # to,name header and rows
    """,

    codes.VB706: """
    A ``{{ ... }}`` in a template is not a name, a name with ``| default("...")``, or a
    quoted string.

    Why: templates hold no logic and run no code; anything else is refused rather than
    sent literally.

    Source: vibespec templates.

    Fails:

        text: "Hi {{ user.name.upper() }}"

    Passes:

        text: "Hi {{ name | default(\\"there\\") }}"
    """,

    codes.VB707: """
    An audience row has no ``to`` value.

    Why: a row without a recipient cannot be sent.

    Source: vibespec templates.

    Fails:

        to,name
        ,Ana

    Passes:

        to,name
        u1,Ana
    """,

    codes.VB708: """
    A message says ``to: audience`` (or names an audience) that the spec does not define.

    Why: there are no recipients.

    Source: vibespec templates.

    Fails:

        messages:
          - {template: reminder, to: audience}    # no 'audience:' in the spec

    Passes:

        audience: people.csv
        messages:
          - {template: reminder, to: audience}
    """,

    codes.VB801: """
    A field Infobip's schema marks as required is missing from a webhook body.

    Why: code that consumes the webhook relies on these fields; a body without them is
    not what Infobip documents (a test fixture written by hand, a proxy that rewrote the
    body, or a change on Infobip's side). Required are, per result of the inbound webhook:
    ``sender``, ``to``, ``integrationType``, ``receivedAt``, ``messageId``, ``message`` and
    ``price``; per event: ``type``, ``timestamp`` and ``messageToken``, plus ``userId`` for
    DELIVERED and UNSUBSCRIBED and ``user`` for SUBSCRIBED. Delivery reports have no required
    field.

    Source: Infobip OpenAPI spec, ``InboundMessageViberBotInboundContent.required`` and the
    ``required`` lists of ``ViberBotInbound*Content``.

    Fails:

        {"results": [{"sender": "u1", "to": "bot", "messageId": "m1", ...}]}
        (no integrationType, receivedAt, message, price)

    Passes: a result with all seven fields.
    """,

    codes.VB802: """
    A field of a webhook body has the wrong JSON type or breaks a schema limit.

    Why: e.g. ``timestamp`` is an int64 (epoch milliseconds), ``size`` an int32, ``silent``
    a boolean, ``pricePerMessage`` a number, ``entityId`` at most 255 characters. Types
    are checked strictly (``"1"`` is not an integer): the body is machine-written, so a
    string where the schema says number is a real discrepancy. ``null`` is accepted for
    optional fields.

    Source: Infobip OpenAPI spec (field types and ``maxLength``).

    Fails:

        {"type": "DELIVERED", "timestamp": "1695725535457", ...}

    Passes:

        {"type": "DELIVERED", "timestamp": 1695725535457, ...}
    """,

    codes.VB803: """
    ``results[].message.type`` is not an event Infobip sends to a Viber bot.

    Why: Infobip forwards exactly MESSAGE, DELIVERED, SUBSCRIBED, UNSUBSCRIBED and
    CONVERSATION_STARTED (upper case). There are no SEEN or FAILED events on this webhook:
    seen reports go to ``webhooks.seen.url`` and delivery reports to the DLR webhook. The
    result is still parsed (as a generic event) so that nothing is lost.

    Source: Infobip OpenAPI spec, ``ViberBotInboundContentType``; constraints §4.1.

    Fails:

        "message": {"type": "SEEN", ...}      "message": {"type": "message", ...}

    Passes:

        "message": {"type": "MESSAGE", ...}
    """,

    codes.VB804: """
    A MESSAGE event's content type (``results[].message.message.type``) is unknown or missing.

    Why: Infobip lists TEXT, IMAGE, VIDEO, STICKER, FILE, CONTACT and LOCATION; vibespec
    also knows AUDIO and URL (VB805). Anything else may be a new type your bot does not
    handle yet. It is a warning, not an error: the message is kept as a generic object.

    Source: Infobip OpenAPI spec, ``ViberBotInboundMessageType``; constraints §6
    (inbound-unknown-message-type, W).

    Fails:

        "message": {"type": "MESSAGE", ..., "message": {"type": "POLL"}}

    Passes:

        "message": {"type": "MESSAGE", ..., "message": {"type": "TEXT", "text": "hi"}}
    """,

    codes.VB805: """
    A MESSAGE carries AUDIO or URL content, which Infobip's schema does not list.

    Why: users do send voice notes and links. Viber has a native ``url`` message, and
    audio arrives in practice even though neither Infobip's enum nor Viber's callback list
    mentions it. Make sure your bot handles them.

    Source: Infobip OpenAPI spec, ``ViberBotInboundMessageType`` (no AUDIO, no URL);
    Viber REST Bot API callbacks (``url``).

    Decision: both types are modelled (AUDIO like FILE/VIDEO: ``url``, ``fileName``,
    ``size``, ``duration``, ``trackingData``; URL with ``url``, ``text``, ``trackingData``)
    and parse as first-class types. Because they are real traffic rather than mistakes,
    this is an info note, not a warning; ignore it with ``--ignore VB805`` once handled.

    Fails (info):

        "message": {"type": "AUDIO", "url": "https://.../voice.m4a", "duration": 4}

    Passes:

        "message": {"type": "FILE", "url": "https://.../doc.pdf", "fileName": "doc.pdf"}
    """,

    codes.VB806: """
    A date-time field (``receivedAt``, ``sentAt``, ``doneAt``) is not a date-time.

    Why: these fields are documented as ``yyyy-MM-dd'T'HH:mm:ss.SSSZ`` (e.g.
    ``2023-09-26T10:52:15.457+0000``). A value that is no date-time at all (or one without
    a UTC offset, which is ambiguous) cannot be ordered or compared.

    Source: Infobip OpenAPI spec (``format: date-time`` and the description's pattern).

    Fails:

        "receivedAt": "yesterday"        "sentAt": "2023-09-26 10:52:15"

    Passes:

        "receivedAt": "2023-09-26T10:52:15.457+0000"
    """,

    codes.VB807: """
    A date-time is valid ISO 8601 but not in Infobip's exact ``yyyy-MM-dd'T'HH:mm:ss.SSS+hhmm``.

    Why: Infobip always writes milliseconds and a colon-less offset (``+0000``). A body
    with ``Z`` or ``+00:00`` was most likely written by hand or re-serialised; parsers
    written for Infobip's exact form (Java's ``SSSZ``) may reject it.

    Source: Infobip OpenAPI spec (field descriptions); constraints §5.

    Fails:

        "receivedAt": "2023-09-26T10:52:15Z"

    Passes:

        "receivedAt": "2023-09-26T10:52:15.000+0000"
    """,

    codes.VB808: """
    A report's ``groupId`` and ``groupName`` disagree (in ``status`` or ``error``).

    Why: status groups are 1 PENDING, 2 UNDELIVERABLE, 3 DELIVERED, 4 EXPIRED,
    5 REJECTED; error groups 0 OK, 1 HANDSET_ERRORS, 2 USER_ERRORS, 3 OPERATOR_ERRORS. Code
    that branches on one of them would take a different path from code that reads the
    other. Usually a hand-written fixture.

    Source: Infobip status and error code documentation ([D3] in the wire-format
    reference); ``MessageGeneralStatus`` and ``MessageErrorGroup`` enums.

    Decision: ``ACCEPTED`` is in the spec's enum but its id is not published; it matches
    any ``groupId``. Error group ids 1-3 are not confirmed by the references in this
    repository (only 0 = OK is).

    Fails:

        "status": {"groupId": 3, "groupName": "PENDING", ...}

    Passes:

        "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5, ...}
    """,

    codes.VB809: """
    A report's status or error group (id or name) is not one Infobip documents.

    Why: status ``groupName`` must be ACCEPTED, PENDING, UNDELIVERABLE, DELIVERED, EXPIRED
    or REJECTED (ids 1-5); error ``groupName`` OK, HANDSET_ERRORS, USER_ERRORS or
    OPERATOR_ERRORS (ids 0-3). An unknown group cannot be classified as final, delivered or
    failed.

    Source: Infobip OpenAPI spec, ``MessageGeneralStatus`` and ``MessageErrorGroup``.

    Fails:

        "status": {"groupId": 9, "groupName": "LOST"}

    Passes:

        "status": {"groupId": 5, "groupName": "REJECTED"}
    """,

    codes.VB810: """
    ``messageCount`` of an inbound body differs from the number of ``results``.

    Why: Infobip documents ``messageCount`` as "the number of messages returned in the
    results array". A mismatch means results were dropped or duplicated on the way.

    Source: Infobip OpenAPI spec, ``ViberBotInboundResponse.messageCount``.

    Fails:

        {"results": [{...}], "messageCount": 2}

    Passes:

        {"results": [{...}], "messageCount": 1, "pendingMessageCount": 0}
    """,

    codes.VB811: """
    The body has no ``results`` (missing or empty).

    Why: allowed by the schema (``results`` is optional), but Infobip does not call a
    webhook with nothing to report; an empty body is usually a truncated capture or the
    wrong file. ``GET /viber-bot/1/reports`` does return empty results when there is
    nothing new.

    Source: Infobip OpenAPI spec (``results`` not required).

    Fails (info):

        {"results": []}

    Passes:

        {"results": [{...}]}
    """,

    codes.VB812: """
    A webhook body has a field that Infobip's schema does not define.

    Why: unknown fields are kept (Infobip adds fields over time), but a misspelt field
    (``recievedAt``) also lands here; together with VB801 it points at the typo. The
    generic objects of unknown event and message types are not checked.

    Source: Infobip OpenAPI spec.

    Fails (info):

        {"results": [{"recievedAt": "...", ...}]}

    Passes:

        {"results": [{"receivedAt": "...", ...}]}
    """,

    codes.VB813: """
    An XML delivery report is not well-formed XML, or not the documented shape.

    Why: Infobip can send delivery reports as XML
    (``<DeliveryReports><results><result>…``); nothing can be checked until it parses.
    The root element may be ``DeliveryReports`` (the spec's example) or ``reportResponse``
    (older Infobip XML); it must contain a ``results`` element whose children are
    ``result`` elements.

    Source: Infobip OpenAPI spec, webhook ``receive-outbound-viber-bot-message-delivery-reports``
    (``application/xml`` example); XML 1.0.

    Fails:

        <DeliveryReports><results><result></results>

    Passes:

        <DeliveryReports><results><result><messageId>1</messageId></result></results></DeliveryReports>
    """,

    codes.VB814: """
    An XML body declares a document type or entities (``<!DOCTYPE``, ``<!ENTITY``): refused.

    Why: DTDs and entities are how XML attacks work (external entities read local files
    or reach internal hosts, XXE; nested entities expand exponentially, "billion laughs").
    Infobip's reports never contain one, so vibespec refuses the body outright instead of
    expanding anything.

    Source: OWASP XML External Entity Prevention Cheat Sheet; Infobip's XML example (no DTD).

    Fails:

        <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><DeliveryReports>&x;</DeliveryReports>

    Passes:

        <?xml version="1.0" encoding="UTF-8"?><DeliveryReports>...</DeliveryReports>
    """,

    codes.VB901: """
    A ``# vibespec: ignore[CODE]`` comment suppresses nothing.

    Why: stale suppressions hide future problems on that line; remove them once the
    finding is fixed (like ruff's RUF100).

    Source: vibespec.

    Fails:

        text: Hello  # vibespec: ignore[VB201]

    Passes:

        text: Hello
    """,

    codes.VB902: """
    A suppression comment names a code that does not exist or is malformed.

    Why: a typo in a suppression (``VB21``) silently suppresses nothing.

    Source: vibespec.

    Fails:

        text: Hello  # vibespec: ignore[VB2O1]

    Passes:

        text: Hello  # vibespec: ignore[VB201]
    """,
}
