"""What a rule is: a code, a name, a default severity, a docstring that is its documentation,
and ``check(ctx)`` yielding findings on the payload that will be sent.

Rules never parse text and never know about files: they see the request body (plain
dicts and lists in Infobip's wire shape) and yield :class:`Finding` objects naming a path
in that body. The engine turns each finding into a :class:`~vibespec.diagnostics.Diagnostic`
through the source map (spec line for compiled specs, JSON line for raw bodies).

Rules must tolerate malformed bodies (wrong types anywhere): they are also run on raw
payloads from ``vibespec check``. Use the iteration helpers on :class:`RuleContext`, which
skip anything of the wrong type, and ``isinstance`` checks before reading values.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar, Iterable, Iterator

from .. import codes
from ..codes import Code
from ..diagnostics import Help, Severity  # noqa: F401  (Help: re-exported for rules)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found.

    ``path`` is a path in the request body (e.g. ``("messages", 0, "content", "text")``).
    ``key=True`` points at the key of the last path element rather than its value (use it
    for "this field should not be here"). ``spec_path``, when set and the body came from a
    spec, points straight into the spec document instead (for spec-only facts such as a
    message's ``id``, which is never sent)."""

    path: tuple
    message: str
    help: str | None = None
    key: bool = False
    spec_path: tuple | None = None


class Rule:
    """Base class. Subclasses set ``code``, ``name``, ``severity`` and write a docstring:

    first paragraph: a summary (shown by ``vibespec rules``; complete sentences); then sections
    ``Why:``, ``Source:`` (and ``Decision:`` where sources conflict), ``Fails:`` and
    ``Passes:`` with short spec examples. The whole docstring is ``vibespec explain``.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    #: which inputs a payload rule applies to: "spec" (compiled specs) and/or "payload" (raw bodies)
    inputs: ClassVar[frozenset[str]] = frozenset({"spec", "payload"})

    def check(self, ctx: "RuleContext") -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError  # every rule class overrides it (tests/test_codes.py)

    # -- documentation ----------------------------------------------------------------
    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of the docstring (whole sentences), without reStructuredText
        markup: what ``vibespec rules`` and SARIF ``shortDescription`` show."""
        from ..doctext import summary  # lazy: doctext only for the rule listings (not while linting)

        return summary(cls.doc()) or cls.name

    @classmethod
    def area(cls) -> str:
        return AREAS.get(cls.code[:3], "other")


class EmittedCode:
    """The registry entry of a code reported outside a rule's ``check`` (the loaders, the spec
    compiler, the engine, the shape check, the wire parsers): code, name and severity from
    :mod:`vibespec.codes`, documentation from :mod:`vibespec.codedocs`. It reads like a rule
    class (``code``, ``name``, ``severity``, ``doc()``, ``summary()``, ``area()``) to everything
    that lists or documents codes, and is never run."""

    __slots__ = ("constant", "code", "name", "severity")

    def __init__(self, constant: Code) -> None:
        self.constant = constant
        self.code, self.name, self.severity = constant

    def __repr__(self) -> str:
        return f"EmittedCode({self.code})"

    def doc(self) -> str:
        from ..codedocs import DOCS  # lazy: the texts only for explain, the rule listings and hover

        return inspect.cleandoc(DOCS[self.constant])

    def summary(self) -> str:
        from ..doctext import summary  # lazy: doctext only for the rule listings (not while linting)

        return summary(self.doc()) or self.name

    def area(self) -> str:
        return AREAS.get(self.code[:3], "other")


#: every code ``vibespec rules`` lists: a payload rule class or an emitted code
Entry = type[Rule] | EmittedCode

#: the codes of vibespec/codes.py that no rule class documents
EMITTED: tuple[EmittedCode, ...] = tuple(EmittedCode(c) for c in codes.BY_CODE.values() if c not in codes.OF_RULES)


AREAS = {
    "VB0": "source",
    "VB1": "structure",
    "VB2": "content",
    "VB3": "carousel and keyboard",
    "VB4": "scheduling and options",
    "VB5": "failover and webhooks",
    "VB6": "addressing and bulk",
    "VB7": "templates and audiences",
    "VB8": "inbound and reports",
    "VB9": "suppressions",
}

CONTENT_TYPES = ("TEXT", "IMAGE", "VIDEO", "FILE", "CAROUSEL", "LOCATION", "CONTACT", "STICKER", "URL")


@dataclass
class RuleContext:
    """What a rule sees. ``body`` is the request body; ``origin`` is "spec" when it was
    compiled from a spec and "payload" for a raw body. ``facts`` carries what only the spec
    knows (see :mod:`vibespec.compiler.lower`), or ``None`` for raw bodies. ``now`` is an
    aware UTC datetime (injected, so tests are deterministic). ``settings`` holds per-rule
    options from configuration, keyed by rule name."""

    body: Any
    origin: str = "payload"
    facts: Any = None
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    settings: dict = field(default_factory=dict)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def _once(self, name: str, make) -> Iterator:
        """Each walk of the body is made once per context and shared by every rule."""
        got = self._memo.get(name)
        if got is None:
            got = self._memo[name] = list(make())
        return iter(got)

    # -- iteration helpers: each skips values of the wrong type ----------------------
    def messages(self) -> Iterator[tuple[tuple, dict]]:
        return self._once('messages', self._walk_messages)

    def _walk_messages(self) -> Iterator[tuple[tuple, dict]]:
        """``(path, message)`` for every message that is a mapping."""
        body = self.body
        if not isinstance(body, dict):
            return
        msgs = body.get("messages")
        if not isinstance(msgs, list):
            return
        for i, m in enumerate(msgs):
            if isinstance(m, dict):
                yield ("messages", i), m

    def contents(self) -> Iterator[tuple[tuple, dict, str]]:
        return self._once('contents', self._walk_contents)

    def _walk_contents(self) -> Iterator[tuple[tuple, dict, str]]:
        """``(path, content, TYPE)`` for every message content that is a mapping.
        ``TYPE`` is the upper-cased ``type`` string, or "" when missing or not a string."""
        for mpath, m in self.messages():
            c = m.get("content")
            if isinstance(c, dict):
                t = c.get("type")
                yield mpath + ("content",), c, (t.upper() if isinstance(t, str) else "")

    def message_options(self) -> Iterator[tuple[tuple, dict]]:
        return self._once('message_options', self._walk_message_options)

    def _walk_message_options(self) -> Iterator[tuple[tuple, dict]]:
        """``(path, options)`` for every ``messages[].options`` mapping."""
        for mpath, m in self.messages():
            o = m.get("options")
            if isinstance(o, dict):
                yield mpath + ("options",), o

    def webhooks(self) -> Iterator[tuple[tuple, dict]]:
        return self._once('webhooks', self._walk_webhooks)

    def _walk_webhooks(self) -> Iterator[tuple[tuple, dict]]:
        for mpath, m in self.messages():
            w = m.get("webhooks")
            if isinstance(w, dict):
                yield mpath + ("webhooks",), w

    def destinations(self) -> Iterator[tuple[tuple, dict]]:
        return self._once('destinations', self._walk_destinations)

    def _walk_destinations(self) -> Iterator[tuple[tuple, dict]]:
        """``(path, destination)`` for every destination mapping of every message."""
        for mpath, m in self.messages():
            ds = m.get("destinations")
            if isinstance(ds, list) or getattr(ds, "bare_is_to", False):  # compile's packed ids too
                for j, d in enumerate(ds):
                    if isinstance(d, dict):
                        yield mpath + ("destinations", j), d

    def schedule(self) -> tuple[tuple, dict] | None:
        """``(path, schedule)`` for ``options.schedule`` when it is a mapping."""
        body = self.body
        if isinstance(body, dict):
            o = body.get("options")
            if isinstance(o, dict):
                s = o.get("schedule")
                if isinstance(s, dict):
                    return ("options", "schedule"), s
        return None

    def button_grids(self) -> Iterator[tuple[tuple, dict, str]]:
        return self._once('button_grids', self._walk_button_grids)

    def _walk_button_grids(self) -> Iterator[tuple[tuple, dict, str]]:
        """``(path, buttonGrid, kind)`` with kind "carousel" (content.buttonGrid of a
        CAROUSEL) or "keyboard" (content.keyboard.buttonGrid of any type)."""
        for cpath, c, t in self.contents():
            g = c.get("buttonGrid")
            if isinstance(g, dict) and t == "CAROUSEL":
                yield cpath + ("buttonGrid",), g, "carousel"
            kb = c.get("keyboard")
            if isinstance(kb, dict):
                g = kb.get("buttonGrid")
                if isinstance(g, dict):
                    yield cpath + ("keyboard", "buttonGrid"), g, "keyboard"

    def buttons(self) -> Iterator[tuple[tuple, dict, str, dict]]:
        return self._once('buttons', self._walk_buttons)

    def _walk_buttons(self) -> Iterator[tuple[tuple, dict, str, dict]]:
        """``(path, button, kind, grid)`` for every button mapping in every grid."""
        for gpath, g, kind in self.button_grids():
            bs = g.get("buttons")
            if isinstance(bs, list):
                for k, b in enumerate(bs):
                    if isinstance(b, dict):
                        yield gpath + ("buttons", k), b, kind, g

    def setting(self, rule: "Rule | type[Rule]", key: str, default: Any) -> Any:
        return self.settings.get(rule.name, {}).get(key, default)


_CODE_RE = re.compile(r"^VB\d{3}$")


def validate_rule_class(cls: Entry) -> None:
    """Registry sanity: every rule has a well-formed code, a name and documentation, and a
    rule class has a ``check`` of its own (a code without one is an :class:`EmittedCode`)."""
    label = cls.__name__ if isinstance(cls, type) else repr(cls)
    if not _CODE_RE.match(cls.code):
        raise ValueError(f"{label}: bad code {cls.code!r}")
    if not cls.name or cls.name != cls.name.lower() or " " in cls.name:
        raise ValueError(f"{label}: name must be kebab-case, got {cls.name!r}")
    if isinstance(cls, EmittedCode):
        return  # its documentation: tests/test_codes.py checks every code has a text
    if not cls.__doc__ or not cls.__doc__.strip():
        raise ValueError(f"{label}: a rule's docstring is its documentation")
    if cls.check is Rule.check:
        raise ValueError(f"{label}: a rule class has a check (declare a code emitted elsewhere in vibespec/codes.py)")
    constant = codes.BY_CODE.get(cls.code)
    if constant is not None and (constant not in codes.OF_RULES or (cls.code, cls.name, cls.severity) != constant):
        raise ValueError(f"{label}: {cls.code} is declared in vibespec/codes.py; unpack that constant "
                         "(and list it in codes.OF_RULES)")
