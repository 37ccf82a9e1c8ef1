"""Templates and audiences: placeholders, their rendering, and CSV/inline recipient lists.

Placeholders (in any string of a template, nothing else is evaluated):

- ``{{ name }}``: the row's value of column ``name``;
- ``{{ name | default("there") }}``: with a default when the row has no (or an empty) value;
- ``{{ "{{" }}``: a quoted string renders as itself (so literal braces can be written), and
  ``\\{{`` is a literal ``{{`` too.

No logic, no attribute access, no code: a placeholder is a name, an optional default, or a
string literal, and anything else is an error."""

from __future__ import annotations

import csv
import io
import os
import re
from array import array
from dataclasses import dataclass, field
from typing import Any, Iterator

_NAME = r"[A-Za-z_][A-Za-z0-9_\-]*"


class TemplateError(ValueError):
    pass


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


_EXPR_RE = re.compile(
    rf"^\s*(?:(?P<name>{_NAME})\s*(?:\|\s*default\s*\(\s*(?:\"(?P<d1>(?:[^\"\\]|\\.)*)\"|'(?P<d2>(?:[^'\\]|\\.)*)')\s*\)\s*)?"
    rf"|\"(?P<l1>(?:[^\"\\]|\\.)*)\"|'(?P<l2>(?:[^'\\]|\\.)*)')\s*$",
    re.S,
)


@dataclass(frozen=True)
class Part:
    literal: str | None = None
    name: str | None = None
    default: str | None = None


MAX_PLACEHOLDER = 200  # characters between {{ and }}


def parse(text: str) -> tuple[Part, ...] | None:
    """The parts of a template string, or None when it has no placeholder. Linear in the
    length of the text (``str.find``, no backtracking)."""
    if "{{" not in text:
        return None
    parts: list[Part] = []
    pos = 0
    while True:
        j = text.find("{{", pos)
        if j < 0:
            break
        if j > 0 and text[j - 1] == "\\":  # \{{ is a literal {{
            if j - 1 > pos:
                parts.append(Part(literal=text[pos:j - 1]))
            parts.append(Part(literal="{{"))
            pos = j + 2
            continue
        close = text.find("}}", j + 2)
        if close < 0:
            raise TemplateError("a placeholder opened with {{ is not closed with }}: write a literal {{ as "
                                "\\{{ or {{ \"{{\" }}")
        inner = text[j + 2:close]
        if j > pos:
            parts.append(Part(literal=text[pos:j]))
        pos = close + 2
        if len(inner) > MAX_PLACEHOLDER:
            raise TemplateError(f"a placeholder of {len(inner)} characters: a placeholder is a name, a name with "
                                "a default, or a quoted string")
        e = _EXPR_RE.match(inner)
        if not e:
            raise TemplateError(f"invalid placeholder {'{{' + inner + '}}'!r}: use {{{{ name }}}}, "
                                f"{{{{ name | default(\"text\") }}}} or {{{{ \"{{{{\" }}}}")
        if e.group("name"):
            d = e.group("d1") if e.group("d1") is not None else e.group("d2")
            parts.append(Part(name=e.group("name"), default=_unescape(d) if d is not None else None))
        else:
            lit = e.group("l1") if e.group("l1") is not None else e.group("l2")
            parts.append(Part(literal=_unescape(lit)))
    if pos < len(text):
        parts.append(Part(literal=text[pos:]))
    return tuple(parts)


def names(parts: tuple[Part, ...]) -> list[str]:
    return [p.name for p in parts if p.name is not None]


def render(parts: tuple[Part, ...], row: dict[str, str]) -> tuple[str, list[str]]:
    """-> (text, names with no value and no default)."""
    out = []
    missing = []
    for p in parts:
        if p.name is None:
            out.append(p.literal or "")
            continue
        v = row.get(p.name)
        if v is None or v == "":
            if p.default is not None:
                out.append(p.default)
            else:
                missing.append(p.name)
        else:
            out.append(str(v))
    return "".join(out), missing


# --------------------------------------------------------------------------- audiences

RESERVED = ("to", "message_id", "phone")


class _Values:
    """The values of one CSV row as a read-only mapping over the row's fields (a tuple) and
    the header's column index, shared by every row: no dict per row (a 1,000,000-row
    audience kept 1,000,000 dicts)."""

    __slots__ = ("_record", "_index")

    def __init__(self, record: tuple, index: dict[str, int]) -> None:
        self._record, self._index = record, index

    def get(self, name: str, default: Any = None) -> Any:
        i = self._index.get(name)
        return self._record[i] if i is not None and i < len(self._record) else default

    def __getitem__(self, name: str) -> str:
        i = self._index.get(name)
        if i is None or i >= len(self._record):
            raise KeyError(name)
        return self._record[i]

    def __contains__(self, name: object) -> bool:
        i = self._index.get(name)  # type: ignore[arg-type]
        return i is not None and i < len(self._record)

    def __iter__(self):
        return (c for c, i in self._index.items() if i < len(self._record))

    def __len__(self) -> int:
        return min(len(self._record), len(self._index))

    def keys(self):
        return list(self)

    def items(self):
        return [(c, self._record[i]) for c, i in self._index.items() if i < len(self._record)]

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == (dict(other.items()) if hasattr(other, "items") else other)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class Row:
    """One audience row: its values (``values.get(name)``), where it was written, and for
    inline rows the document path. Slotted; a CSV row holds its fields as one tuple and
    the header's column index (shared by every row), not a dict."""

    __slots__ = ("_record", "_index", "file", "line", "column", "path")

    def __init__(self, values: "dict[str, str] | tuple", file: str, line: int, column: int = 1,
                 path: tuple | None = None, index: dict[str, int] | None = None) -> None:
        self._record, self._index = values, index
        self.file, self.line, self.column, self.path = file, line, column, path

    @property
    def values(self) -> "dict[str, str] | _Values":
        if self._index is None:
            return self._record  # type: ignore[return-value]
        return _Values(self._record, self._index)  # type: ignore[arg-type]

    @property
    def to(self) -> str:
        return self.values.get("to", "")

    def __repr__(self) -> str:
        return f"Row({self.values!r}, {self.file!r}, {self.line}, {self.column}, {self.path!r})"

    # A row is also its place, ``(file, line, column)``: the compiler's facts list the rows
    # behind each message's destinations without a tuple per row (a million rows, 70 MB).
    def __len__(self) -> int:
        return 3

    def __getitem__(self, i):
        return (self.file, self.line, self.column)[i]

    def __iter__(self):
        return iter((self.file, self.line, self.column))


class Places:
    """Where each destination of an audience message came from, as ``(file, line, column)``
    per index: a CSV audience's rows as one file name and an array of line numbers (four
    bytes a row), not an object per row."""

    __slots__ = ("file", "lines")

    def __init__(self, file: str, lines: "array") -> None:
        self.file, self.lines = file, lines

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [(self.file, line, 1) for line in self.lines[i]]
        return (self.file, self.lines[i], 1)

    def __iter__(self):
        file = self.file
        return ((file, line, 1) for line in self.lines)


@dataclass
class Audience:
    """An audience: inline rows (kept, they are in the spec), or a CSV file's bytes, checked
    once when read and parsed again on each pass over it (``iter(audience)``), so a row costs
    nothing while it is not being read (a 1,000,000-row file kept 300 MB of row objects)."""

    rows: list[Row] = field(default_factory=list)  # inline audiences only
    columns: list[str] = field(default_factory=list)
    file: str | None = None  # CSV file, or None for inline
    header_line: int = 1
    data: bytes | None = field(default=None, repr=False)  # CSV: the file's bytes
    start: int = 0  # where the text starts in ``data`` (after a byte order mark)
    count: int = 0  # rows (blank lines not counted)
    index: dict = field(default_factory=dict, repr=False)  # CSV: column -> field position

    def records(self) -> "Iterator[tuple[Any, int, Row | None]]":
        """``(values, line, row)`` of each row: an inline row gives its mapping and itself; a CSV
        row (parsed again on each pass) a view over its fields and None, so no row object is
        made for a row nothing reports on."""
        if self.data is None:
            return ((r.values, r.line, r) for r in self.rows)
        index = self.index
        return ((_Values(rec, index), line, None)
                for rec, line in _records(self, self.data, self.start, self.file or ""))

    def __iter__(self) -> Iterator[Row]:
        """Each row as a :class:`Row` (a CSV's made for the caller and not kept)."""
        file = self.file or ""
        return (row or Row(values._record, file, line, index=self.index) for values, line, row in self.records())

    def __len__(self) -> int:
        return len(self.rows) if self.data is None else self.count


class AudienceError(ValueError):
    def __init__(self, message: str, file: str | None, line: int = 1, column: int = 1, help: str | None = None):
        super().__init__(message)
        self.message, self.file, self.line, self.column, self.help = message, file, line, column, help


MAX_AUDIENCE_BYTES = 256 * 1024 * 1024


def read_csv(path: str, *, max_bytes: int = MAX_AUDIENCE_BYTES, roots: tuple[str, ...] | None = None,
             shown: str | None = None) -> Audience:
    """Read and parse a CSV audience. With ``roots`` (a path written in a spec: untrusted),
    the file must be a regular file whose real path lies inside one of ``roots``; without
    (a path the user gave on the command line), it is read as given (a pipe too), capped."""
    from ..files import read_capped  # lazy: only when an audience file is read

    shown = shown or path
    if roots is not None:
        data = read_contained(path, roots, max_bytes, shown)
    else:
        try:
            data = read_capped(path, max_bytes)
        except OSError as e:
            raise AudienceError(f"cannot read audience {shown}: {e.strerror or e}", None) from None
    if len(data) > max_bytes:
        raise AudienceError(f"audience {shown} is larger than {max_bytes} bytes", None)
    return parse_csv(data, path)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_contained(path: str, roots: tuple[str, ...], max_bytes: int, shown: str) -> bytes:
    """The bytes of ``path`` (at most ``max_bytes + 1``) when its real path (symbolic links
    resolved) is a regular file inside one of ``roots``. A path outside, or not a regular
    file (a FIFO, a device, a folder), gets one message whether or not it exists, so a spec
    cannot probe the machine's files; only a missing file inside the project is named as such."""
    import errno  # lazy: only when an audience file is read
    import hashlib  # lazy: only when an audience file is read
    import stat  # lazy: only when an audience file is read

    from ..files import note_read, read_fd  # lazy: only when an audience file is read (note_read: the cache keys on it)

    real = os.path.realpath(path)
    refused = AudienceError(
        f"audience {shown} is not a regular file inside the project ({roots[0] if roots else '?'})", None,
        help="keep audience files in the project (the folder of the configuration, or the repository); "
             "list other folders in 'read-paths' in [tool.vibespec]")
    if not any(_inside(real, os.path.realpath(r)) for r in roots):
        note_read(path, max_bytes, "!refused")
        raise refused
    if real != os.path.abspath(path):
        note_read(path, max_bytes, "!link")  # where a link leads can change: never cached
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0) \
        | getattr(os, "O_NOFOLLOW", 0)  # ``real`` is resolved: a link appearing now is refused
    try:
        fd = os.open(real, flags)  # non-blocking: opening a FIFO must not wait for a writer
    except FileNotFoundError:
        note_read(path, max_bytes, f"!{errno.ENOENT}")
        raise AudienceError(f"cannot read audience {shown}: no such file", None) from None
    except OSError:
        note_read(path, max_bytes, "!refused")
        raise refused from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            note_read(path, max_bytes, "!refused")
            raise refused
        if st.st_size > max_bytes:
            note_read(path, max_bytes, "!large")
            raise AudienceError(f"audience {shown} is larger than {max_bytes} bytes", None)
        data = read_fd(fd, max_bytes + 1)
        note_read(path, max_bytes, hashlib.sha256(data).hexdigest())
        return data
    except OSError as e:
        note_read(path, max_bytes, f"!{e.errno}")
        raise AudienceError(f"cannot read audience {shown}: {e.strerror or e}", None) from None
    finally:
        os.close(fd)


def _check_text(data: bytes, start: int, path: str) -> None:
    """Refuse bytes that are not UTF-8 text, with the place of the first bad byte; decoded
    in pieces of 256 KiB, so a large file is never held twice (as bytes and as text)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff"), start):
        raise AudienceError("the audience is UTF-16; save it as UTF-8", path, 1, 1, "CSV audiences are UTF-8 with a header row")
    import codecs  # lazy: only when an audience file is read

    view = memoryview(data)
    pos, n, step = start, len(data), 1 << 18
    while pos < n:
        end = min(n, pos + step)
        try:
            _text, used = codecs.utf_8_decode(view[pos:end], "strict", end == n)
        except UnicodeDecodeError as e:
            bad = pos + e.start
            line = data.count(b"\n", start, bad) + 1
            col = bad - max(start, data.rfind(b"\n", start, bad) + 1) + 1
            raise AudienceError(f"the audience is not valid UTF-8 (byte 0x{data[bad]:02x})", path, line, col,
                                "save the CSV as UTF-8") from None
        pos += used if used else end - pos
    if data.find(b"\x00", start) >= 0:
        raise AudienceError("the audience holds a NUL byte: it is not a text CSV", path)


def _records(aud: "Audience | None", data: bytes, start: int, path: str) -> Iterator[tuple[tuple, int]]:
    """``(fields, line)`` of each row of a CSV (``aud``: set its header when ``aud.columns``
    is empty). Lines end at \\n, \\r\\n or \\r, as ``csv`` reads a file opened with
    ``newline=""``; the text is decoded a block at a time."""
    raw = io.BytesIO(data)  # shares ``data``: no copy
    raw.seek(start)
    reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""), strict=True)
    header_seen = False
    width = 0
    line_start = 1
    try:
        for record in reader:
            line = line_start
            line_start = reader.line_num + 1
            if not header_seen:
                if not any(c.strip() for c in record):
                    continue
                header_seen = True
                header = [c.strip() for c in record]
                if "to" not in header:
                    raise AudienceError("the audience has no 'to' column", path, line, 1,
                                        "the header row needs 'to' (and optionally message_id, phone, variables)")
                dup = sorted({c for c in header if header.count(c) > 1})
                if dup:
                    raise AudienceError(f"column {dup[0]!r} appears twice in the header", path, line, 1)
                if aud is not None and not aud.columns:
                    aud.columns, aud.header_line = header, line
                    aud.index = {c: i for i, c in enumerate(header)}
                width = len(header)
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            if len(record) > width:
                raise AudienceError(f"row has {len(record)} fields but the header has {width}", path, line, 1,
                                    "quote fields that contain commas")
            yield tuple(record), line
    except csv.Error as e:
        raise AudienceError(f"CSV syntax error: {e}", path, reader.line_num or 1, 1) from None


def parse_csv(data: bytes, path: str) -> Audience:
    """Check a CSV audience whole (encoding, header, every row) and return it; its rows are
    read again from ``data`` on each pass (``iter(audience)``), never kept."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    _check_text(data, start, path)
    aud = Audience(file=path, data=data, start=start)
    count = 0
    for _record in _records(aud, data, start, path):
        count += 1
    aud.count = count
    if not aud.columns:
        raise AudienceError("the audience is empty: it needs a header row with 'to'", path)
    if not count:
        raise AudienceError("the audience has a header but no rows: the message would go to nobody", path,
                            aud.header_line, 1, "add one row per recipient under the header")
    return aud


def inline(rows: Any, filename: str, base_path: tuple, locate) -> Audience:
    """An inline ``audience:`` list of mappings."""
    aud = Audience(file=None)
    cols: list[str] = []
    if not isinstance(rows, list):
        raise AudienceError("audience must be a CSV path or a list of rows", filename, *locate(base_path))
    if not rows:
        raise AudienceError("the audience has no rows: the message would go to nobody", filename,
                            *locate(base_path), "add one row per recipient: - {to: bot-user-1, name: Ana}")
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            raise AudienceError("each audience row is a mapping with 'to' and variables", filename,
                                *locate(base_path + (i,)))
        values = {}
        for k, v in r.items():
            if isinstance(v, (dict, list)):
                raise AudienceError(f"audience value {k!r} must be text or a number", filename,
                                    *locate(base_path + (i, k)))
            values[str(k)] = "" if v is None else (str(v).lower() if isinstance(v, bool) else str(v))
            if k not in cols:
                cols.append(str(k))
        line, col = locate(base_path + (i,))
        aud.rows.append(Row(values, filename, line, col, base_path + (i,)))
    aud.columns = cols
    return aud


def resolve_path(spec_file: str, rel: str) -> str:
    """An audience path relative to the spec's folder."""
    if os.path.isabs(rel):
        return rel
    base = os.path.dirname(spec_file) if spec_file and not spec_file.startswith("<") else os.getcwd()
    return os.path.normpath(os.path.join(base, rel))


def project_roots(spec_file: str, config=None) -> tuple[str, ...]:
    """The folders a spec may read files from: the repository holding the spec and the folder
    of its configuration (``config.root``; without a ``config``, the configuration vibespec
    would find for the spec), else the spec's own folder; plus ``config.read_paths``. The
    current folder stands in for the spec's folder when the spec came from stdin."""
    from ..project import find_config, repo_root  # lazy: only a spec with an audience needs them

    base = os.path.dirname(os.path.abspath(spec_file)) if spec_file and not spec_file.startswith("<") \
        else os.getcwd()
    roots: list[str] = []
    repo = repo_root(base)
    if repo is not None:
        roots.append(str(repo))
    if config is not None:
        cfg_root = config.root if getattr(config, "path", None) else None
    else:
        found = find_config(base)
        cfg_root = str(found.parent) if found is not None else None
    if cfg_root:
        roots.append(cfg_root)
    if not roots:
        roots.append(base)
    roots.extend(getattr(config, "read_paths", ()) or ())
    return tuple(os.path.realpath(r) for r in dict.fromkeys(roots))
