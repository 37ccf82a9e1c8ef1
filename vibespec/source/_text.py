"""Shared helpers for the loaders: decoding, size checks, positions and error construction."""

from __future__ import annotations

import bisect
import re

from .. import codes
from ..diagnostics import VibespecError
from .nodes import Limits

_BOM = "\ufeff"
_LIMIT_HELP = "raise the limit in [tool.vibespec.limits] ({name}) if this input is trusted"


def fail(
    code: codes.Code,
    message: str,
    filename: str,
    line: int = 1,
    column: int = 1,
    end_line: int | None = None,
    end_column: int | None = None,
    help: str | None = None,
) -> VibespecError:
    """A :class:`VibespecError` holding one diagnostic of ``code`` (return it; the caller raises)."""
    line = max(1, int(line))
    column = max(1, int(column))
    if end_line is None:
        end_line, end_column = line, column + 1
    elif end_column is None:
        end_column = column + 1
    return VibespecError(
        (
            code.diagnostic(
                message,
                file=filename,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                help=help,
            ),
        )
    )


def limit_help(name: str) -> str:
    return _LIMIT_HELP.format(name=name)


class LineIndex:
    """Converts 0-based character offsets into 1-based (line, column)."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def pos(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a 0-based character offset (one-off use)."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def _bytes_line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[start:offset].decode("utf-8", errors="replace")
    return line, len(prefix) + 1


_ENC_HELP = "save the file as UTF-8 (without NUL bytes); vibespec reads only UTF-8 text"


def check_size(n: int, filename: str, limits: Limits) -> None:
    if n > limits.max_bytes:
        raise fail(
            codes.VB007,
            f"the input is {n} bytes, more than the limit of {limits.max_bytes} bytes",
            filename,
            help=limit_help("max_bytes"),
        )


def decode(source: str | bytes, filename: str, limits: Limits) -> str:
    """Bytes or text to text: size limit, UTF-8 (a BOM is dropped), no NUL characters."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        check_size(len(data), filename, limits)
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (
            len(data) >= 4 and (data[0] == 0) != (data[1] == 0) and b"\x00" in data[:4]
        ):
            raise fail(
                codes.VB002,
                "the file looks like UTF-16 text, not UTF-8",
                filename,
                help=_ENC_HELP,
            )
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line, col = _bytes_line_col(data, e.start)
            raise fail(
                codes.VB002,
                f"the file is not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})",
                filename,
                line,
                col,
                help=_ENC_HELP,
            ) from None
    elif isinstance(source, str):
        text = source
        n = len(text)
        if n > limits.max_bytes or (
            n * 4 > limits.max_bytes
            and len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes
        ):
            check_size(len(text.encode("utf-8", "surrogatepass")), filename, limits)
        if text.startswith(_BOM):
            text = text[1:]
    else:
        raise TypeError(f"source must be str or bytes, not {type(source).__name__}")
    i = text.find("\x00")
    if i != -1:
        line, col = line_col(text, i)
        raise fail(
            codes.VB002,
            "the file contains a NUL byte (binary data?)",
            filename,
            line,
            col,
            help=_ENC_HELP,
        )
    m = _SURROGATE.search(text)
    if m:
        line, col = line_col(text, m.start())
        raise fail(codes.VB002, "the text contains an unpaired surrogate character", filename,
                   line, col, help=_ENC_HELP)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")
_BLANK_OR_COMMENT = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")


def is_blank(text: str, comments: bool = True) -> bool:
    """True when the text holds only whitespace (and, with ``comments``, ``#`` comments)."""
    if comments:
        return _BLANK_OR_COMMENT.fullmatch(text) is not None
    return not text.strip()


def empty_error(filename: str) -> Exception:
    return fail(
        codes.VB003,
        "the file is empty (no data, only whitespace or comments)",
        filename,
        help="write the spec's content, or delete the file",
    )


def root_error(filename: str, kind: str, line: int = 1, column: int = 1) -> Exception:
    return fail(
        codes.VB004,
        f"the top level of the file is {kind}, not a mapping",
        filename,
        line,
        column,
        help="start the file with keys such as 'vibespec: 1' and 'messages:'",
    )




def check_depth(data: object, max_depth: int) -> tuple | None:
    """Path of the first container nested deeper than ``max_depth`` (the root container has
    depth 1), found without recursion; None when within the limit."""
    if not isinstance(data, (dict, list)):
        return None
    stack = [(data, ())]
    pop, push = stack.pop, stack.append
    while stack:
        node, path = pop()
        if len(path) >= max_depth:
            return path
        for k, v in node.items() if isinstance(node, dict) else enumerate(node):
            if isinstance(v, (dict, list)):
                push((v, path + (k,)))
    return None
