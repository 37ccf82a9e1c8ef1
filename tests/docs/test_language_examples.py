"""Every example in docs/language.md really compiles, and shows the body it really gives.

Conventions in docs/language.md (read by this test):

- A fenced ```yaml block whose first line that is neither blank nor a ``#`` comment is
  ``vibespec: 1`` is a whole spec; a ```toml block whose first such line is ``vibespec = 1``
  likewise. Every whole spec must compile with ``vibespec.api.compile`` at
  ``now = 2026-11-25T12:00:00Z``. Blocks that are fragments (no ``vibespec`` line) are not run.
- ``<!-- compiles-to -->`` on the line before a ```json block that follows a spec block means
  the JSON is the **full request body** that spec compiles to. It is compared in value and in
  key order (the rendering ``vibespec compile`` prints).
- ``<!-- fails: VB112 -->`` on the line before a spec block means the spec must be refused
  with that diagnostic code (and nothing is compared).

To regenerate the JSON blocks after a deliberate change of the compiler, run
``python tests/docs/test_language_examples.py --update``: it pipes each spec through the
``vibespec compile`` command and rewrites the ``compiles-to`` blocks in place.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
NOW_TEXT = "2026-11-25T12:00:00Z"

_FENCE = re.compile(r"^```(\w*)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
_MARK = re.compile(r"<!--\s*(compiles-to|fails:\s*([A-Z0-9]+))\s*-->\s*$")


@dataclass
class Block:
    lang: str
    text: str
    line: int  # 1-based line of the opening fence
    start: int  # offsets of the body in the document
    end: int
    mark: str | None  # "compiles-to" | "fails"
    code: str | None  # for "fails"

    @property
    def is_spec(self) -> bool:
        want = {"yaml": "vibespec: 1", "toml": "vibespec = 1"}.get(self.lang)
        if want is None:
            return False
        for row in self.text.splitlines():
            s = row.strip()
            if s and not s.startswith("#"):
                return s.split("#")[0].strip() == want
        return False


def _blocks(text: str) -> list[Block]:
    out = []
    for m in _FENCE.finditer(text):
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mk = _MARK.search(before)
        mark = code = None
        if mk:
            mark = "compiles-to" if mk.group(1) == "compiles-to" else "fails"
            code = mk.group(2)
        out.append(Block(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1, m.start(2), m.end(2), mark, code))
    return out


def _pairs(blocks: list[Block]):
    """(spec block, json block or None) for every spec block."""
    for i, b in enumerate(blocks):
        if not b.is_spec:
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        yield b, (nxt if nxt is not None and nxt.lang == "json" and nxt.mark == "compiles-to" else None)


def _cases():
    blocks = _blocks(DOC.read_text(encoding="utf-8"))
    return [pytest.param(spec, js, id=f"line{spec.line}-{spec.lang}") for spec, js in _pairs(blocks)]


# --------------------------------------------------------------------------- the tests


def test_doc_has_examples():
    blocks = _blocks(DOC.read_text(encoding="utf-8"))
    pairs = list(_pairs(blocks))
    assert len(pairs) >= 25
    assert sum(1 for _, j in pairs if j is not None) >= 20
    assert any(s.lang == "toml" for s, _ in pairs)
    # every compiles-to marker sits on a JSON block right after a spec block
    for i, b in enumerate(blocks):
        if b.mark == "compiles-to":
            assert b.lang == "json", f"line {b.line}: compiles-to marks a {b.lang or 'plain'} block"
            assert i > 0 and blocks[i - 1].is_spec, f"line {b.line}: compiles-to JSON does not follow a spec block"
        if b.mark == "fails":
            assert b.is_spec, f"line {b.line}: 'fails' marks a block that is not a whole spec"


@pytest.mark.parametrize("spec,js", _cases())
def test_example(spec: Block, js: Block | None):
    from vibespec.api import compile
    from vibespec.compiler.emit import dumps
    from vibespec.diagnostics import VibespecError

    name = f"language.md:{spec.line}.viber.{spec.lang}"
    if spec.mark == "fails":
        with pytest.raises(VibespecError) as err:
            compile(spec.text, filename=name, fmt=spec.lang, now=NOW)
        codes = [d.code for d in err.value.diagnostics]
        assert spec.code in codes, f"{name}: expected {spec.code}, got {codes}"
        assert js is None, f"{name}: a failing example has no compiled body"
        return
    try:
        body = compile(spec.text, filename=name, fmt=spec.lang, now=NOW)
    except VibespecError as e:
        pytest.fail(f"{name} does not compile: " + "; ".join(f"{d.code} {d.message}" for d in e.diagnostics))
    if js is not None:
        shown = json.loads(js.text)
        assert body == shown, f"{name}: the JSON shown at line {js.line} is not what the spec compiles to"
        # same key order as the compiler's own rendering
        assert dumps(body, 2) == json.dumps(shown, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- --update


def _compile_cli(spec: Block) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "vibespec", "compile", "-", "--stdin-filename", f"example.viber.{spec.lang}",
         "--now", NOW_TEXT, "--indent", "2"],
        input=spec.text.encode("utf-8"), capture_output=True, check=False,
    )
    if r.returncode != 0:
        raise SystemExit(f"docs/language.md line {spec.line}: does not compile:\n{r.stderr.decode()}")
    return r.stdout.decode("utf-8")


def update() -> int:
    text = DOC.read_text(encoding="utf-8")
    blocks = _blocks(text)
    edits = []
    for spec, js in _pairs(blocks):
        if js is not None and spec.mark != "fails":
            edits.append((js.start, js.end, _compile_cli(spec)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    DOC.write_text(text, encoding="utf-8")
    print(f"updated {len(edits)} JSON blocks in {DOC}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        raise SystemExit(update())
    raise SystemExit("usage: python tests/docs/test_language_examples.py --update")
