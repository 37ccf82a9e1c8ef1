"""Codes emitted while expanding templates and audiences (VB701-VB708). Content limits of
rendered messages are checked by the ordinary rules, on every rendered message."""

from __future__ import annotations

from .. import codes
from ..diagnostics import Severity
from .base import Rule


class _Emitted(Rule):
    stage = "spec"
    inputs = frozenset({"spec"})

    def check(self, ctx):  # emitted by the compiler
        return ()


class TemplateMissingValue(_Emitted):
    """A template placeholder has no value for an audience row (and no default).

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
    """

    code, name, severity = codes.VB701


class AudienceUnusedColumn(_Emitted):
    """An audience column is used by no placeholder (and is not ``to``, ``message_id`` or
    ``phone``).

    Why: usually a misspelt placeholder or column name (``firstname`` vs ``first_name``).

    Source: vibespec templates.

    Fails:

        to,first_name,plan       # 'plan' is never used
        u1,Ana,gold

    Passes:

        to,first_name
        u1,Ana
    """

    code, name, severity = codes.VB702


class AudienceDuplicateRecipient(_Emitted):
    """The same recipient (``to``) appears in two rows of an audience used by one message.

    Why: the user would get the message twice (or two differently rendered messages).

    Source: vibespec templates; Viber's per-user rate limit (constraints.md §1).

    Fails:

        to,name
        u1,Ana
        u1,Ana      # duplicate

    Passes: each recipient once.
    """

    code, name, severity = codes.VB703


class UnknownTemplate(_Emitted):
    """A message names a template that the spec's ``templates`` does not define.

    Why: there is nothing to send.

    Source: vibespec templates.

    Fails:

        messages:
          - {template: remindr, to: audience}

    Passes:

        messages:
          - {template: reminder, to: audience}
    """

    code, name, severity = codes.VB704


class AudienceInvalid(_Emitted):
    """The audience cannot be read: the CSV file is missing, is not UTF-8, has no header
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
    """

    code, name, severity = codes.VB705


class InvalidPlaceholder(_Emitted):
    """A ``{{ ... }}`` in a template is not a name, a name with ``| default("...")``, or a
    quoted string.

    Why: templates hold no logic and run no code; anything else is refused rather than
    sent literally.

    Source: vibespec templates.

    Fails:

        text: "Hi {{ user.name.upper() }}"

    Passes:

        text: "Hi {{ name | default(\\"there\\") }}"
    """

    code, name, severity = codes.VB706


class AudienceRowInvalid(_Emitted):
    """An audience row has no ``to`` value.

    Why: a row without a recipient cannot be sent.

    Source: vibespec templates.

    Fails:

        to,name
        ,Ana

    Passes:

        to,name
        u1,Ana
    """

    code, name, severity = codes.VB707


class NoAudience(_Emitted):
    """A message says ``to: audience`` (or names an audience) that the spec does not define.

    Why: there are no recipients.

    Source: vibespec templates.

    Fails:

        messages:
          - {template: reminder, to: audience}    # no 'audience:' in the spec

    Passes:

        audience: people.csv
        messages:
          - {template: reminder, to: audience}
    """

    code, name, severity = codes.VB708


RULES = (TemplateMissingValue, AudienceUnusedColumn, AudienceDuplicateRecipient, UnknownTemplate, AudienceInvalid,
         InvalidPlaceholder, AudienceRowInvalid, NoAudience)
