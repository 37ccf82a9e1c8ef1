"""Generated artifacts: ``schemas/vibespec.schema.json`` (the spec language, for editors),
``schemas/viber-bot-request.schema.json`` (the body we emit) and ``docs/rules.md`` (from the
rules' docstrings). ``python -m vibespec.docsgen`` rewrites them; tests fail when stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA_ID = "https://raw.githubusercontent.com/vibespec/vibespec/main/schemas/vibespec.schema.json"


def _add_aliases(schema: dict) -> dict:
    """Editors should accept every spelling the compiler accepts (``latitude`` for ``lat``)."""
    from pydantic import BaseModel

    from .compiler.lower import _models_in
    from .spec import model as M

    seen: set = set()
    stack = [M.Spec]
    defs = schema.get("$defs", {})
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        target = defs.get(model.__name__) if model is not M.Spec else schema
        for name, f in model.model_fields.items():
            for t in _models_in(f.annotation):
                if isinstance(t, type) and issubclass(t, BaseModel):
                    stack.append(t)
            choices = getattr(f.validation_alias, "choices", None)
            if not choices or target is None:
                continue
            props = target.get("properties", {})
            canonical = next((c for c in choices if c in props), None)
            if canonical is None:
                continue
            for alt in choices:
                if isinstance(alt, str) and alt not in props:
                    props[alt] = {**props[canonical], "description": f"same as '{canonical}'"}
    return schema


def spec_schema() -> dict:
    from .spec.model import Spec

    schema = Spec.model_json_schema(mode="validation")
    schema = _add_aliases(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "description": "vibespec spec: Viber bot messages for Infobip POST /viber-bot/1/messages. "
                           "See docs/language.md.", **schema}


def payload_schema() -> dict:
    from .payload.request import Request

    schema = Request.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "description": "Request body of Infobip POST /viber-bot/1/messages (shape only; limits are lint rules).",
            **schema}


def rules_markdown() -> str:
    from .rules import ALL_RULES

    lines = ["# Rules reference", "",
             "Generated from the rules' docstrings by `python -m vibespec.docsgen`; "
             "`vibespec explain CODE` prints the same text. Do not edit by hand.", "",
             "Severity: **error** when Infobip rejects, clips or silently changes the request; **warning** for "
             "stricter prose limits and inferred rules; **info** for notes. Configure with `select`, `ignore`, "
             "`severity` in `[tool.vibespec]` (see the README).", "", "| Code | Name | Severity | Summary |",
             "|---|---|---|---|"]
    for r in ALL_RULES:
        lines.append(f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity.value} | "
                     f"{r.summary().replace('|', chr(92) + '|')} |")
    area = None
    for r in ALL_RULES:
        if r.area() != area:
            area = r.area()
            lines += ["", f"## {area.capitalize()}", ""]
        lines += [f"### {r.code} {r.name}", "", f"*Severity: {r.severity.value}.*", ""]
        body = r.doc().split("\n", 1)
        lines.append(body[0].strip())
        if len(body) > 1:
            lines += ["", _md(body[1].strip("\n"))]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """Docstring sections -> markdown: indented example blocks become fenced code."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            while block and not block[-1].strip():
                block.pop()
            import textwrap

            code = textwrap.dedent("\n".join(block))
            lang = "json" if code.lstrip().startswith(("{", '"')) else "yaml"
            out.extend([f"```{lang}", code, "```", ""])
            block.clear()

    for line in text.split("\n"):
        if line.startswith("    ") or (block and not line.strip()):
            block.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out).rstrip()


def outputs(root: Path) -> dict[Path, str]:
    return {
        root / "schemas" / "vibespec.schema.json": json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n",
        root / "schemas" / "viber-bot-request.schema.json": json.dumps(payload_schema(), indent=2,
                                                                        ensure_ascii=False) + "\n",
        root / "docs" / "rules.md": rules_markdown(),
    }


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1]
    for path, text in outputs(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
