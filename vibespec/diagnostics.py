"""The one diagnostic type shared by every stage, the CLI and the library."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable


class Severity(str, enum.Enum):
    """How bad a finding is. Ordered: ``INFO < WARNING < ERROR``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:  # "error", not "Severity.ERROR"
        return self.value

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        v = str(value).strip().lower()
        if v in ("warn",):
            v = "warning"
        try:
            return cls(v)
        except ValueError:
            raise ValueError(f"unknown severity {value!r}: use error, warning or info") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file. Lines and columns are 1-based; the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> "Span":
        return cls(line, column, line, column + 1)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: what, how bad, where (file, 1-based line/column span) and, where it
    applies, the JSON pointer of the compiled body it concerns.

    ``line == 0`` means the finding has no text position, only its ``pointer``: a body
    given as a Python dict (``validate_payload(dict)``) was never text the user saw."""

    code: str
    severity: Severity
    message: str
    file: str | None = None
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    help: str | None = None
    pointer: str | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.file or "", self.line, self.column, self.code, self.message)

    @property
    def positioned(self) -> bool:
        """Whether the finding has a line and column (see the class docstring)."""
        return self.line > 0

    def where(self) -> str:
        """``file:line:col``, or ``file#/json/pointer`` for a finding with no text position."""
        name = self.file if self.file is not None else "<input>"
        if not self.positioned:
            return f"{name}#{self.pointer or ''}"
        return f"{name}:{self.line}:{self.column}"

    def with_severity(self, severity: Severity) -> "Diagnostic":
        return _replace(self, severity=severity)

    def with_file(self, file: str | None) -> "Diagnostic":
        return _replace(self, file=file)

    def to_dict(self) -> dict:
        if not self.positioned:
            return {"code": self.code, "severity": self.severity.value, "message": self.message,
                    "file": self.file, "line": None, "column": None, "end_line": None, "end_column": None,
                    "help": self.help, "pointer": self.pointer}
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column + 1,
            "help": self.help,
            "pointer": self.pointer,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Diagnostic":
        return cls(
            code=d["code"],
            severity=Severity(d["severity"]),
            message=d["message"],
            file=d.get("file"),
            line=d.get("line", 1) if d.get("line", 1) is not None else 0,
            column=d.get("column", 1) if d.get("column", 1) is not None else 0,
            end_line=d.get("end_line"),
            end_column=d.get("end_column"),
            help=d.get("help"),
            pointer=d.get("pointer"),
        )

    def format_short(self) -> str:
        """``file:line:col: CODE message`` (the concise form)."""
        return f"{self.where()}: {self.code} [{self.severity.value}] {self.message}"


class Help(str):
    """A help text written twice: naming the request body's keys (``sendAt``, ``30 per
    HOUR``), which is the text's value, and naming the spec's (``send_at``, ``30/hour``).

    Rules see only the body, so a finding's help is written for it; when the finding is
    mapped back to a spec, the engine shows :attr:`spec` instead, so that the help names
    the keys of the document the user wrote. A plain ``str`` help reads the same for both.
    A finding's message may be a :class:`Help` too."""

    spec: str

    def __new__(cls, body: str, spec: str) -> "Help":
        self = super().__new__(cls, body)
        self.spec = spec
        return self

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.spec)

    def for_document(self, spec_mode: bool) -> str:
        """The spelling for a spec (``spec_mode``) or for a raw body, as a plain ``str``."""
        return self.spec if spec_mode else str.__str__(self)


def help_text(help: "str | None", spec_mode: bool) -> "str | None":
    """A finding's help as plain text for the document kind (see :class:`Help`)."""
    if isinstance(help, Help):
        return help.for_document(spec_mode)
    return help


def _replace(d: Diagnostic, **changes) -> Diagnostic:
    values = {f: getattr(d, f) for f in Diagnostic.__dataclass_fields__}
    values.update(changes)
    return Diagnostic(**values)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Deterministic order: file, line, column, code, message; exact duplicates dropped."""
    seen = set()
    out = []
    for d in sorted(diags, key=lambda d: d.sort_key):
        if d in seen:
            continue
        seen.add(d)
        out.append(d)
    return out


def pointer_from_path(path: Iterable) -> str:
    """RFC 6901 JSON pointer for a path of keys and indices."""
    parts = []
    for p in path:
        s = str(p)
        parts.append(s.replace("~", "~0").replace("/", "~1"))
    return "/" + "/".join(parts) if parts else ""


def get_path(node, path: Iterable, default=None):
    """The value at ``path`` (keys and list indices) inside ``node``, or ``default``."""
    for p in path:
        if isinstance(node, dict) and p in node:
            node = node[p]
        elif isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            node = node[p]
        else:
            return default
    return node


@dataclass
class VibespecError(Exception):
    """The one exception the library raises for bad input. It carries diagnostics
    (each with file, line and column where one exists)."""

    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        self.diagnostics = tuple(self.diagnostics)
        Exception.__init__(self, self.__str__())

    def __str__(self) -> str:
        if not self.diagnostics:
            return "vibespec error"
        first = self.diagnostics[0].format_short()
        more = len(self.diagnostics) - 1
        return first + (f" (and {more} more)" if more else "")

    def __hash__(self) -> int:  # exceptions must stay hashable for tracebacks
        return id(self)
