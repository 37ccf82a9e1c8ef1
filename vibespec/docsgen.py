"""Generated artifacts: ``schemas/vibespec.schema.json`` (the spec language, for editors),
``schemas/viber-bot-request.schema.json`` (the body we emit), ``docs/rules.md`` (from the
rules' docstrings) and ``vibespec/spec/_table.py`` (the spec models for the pydantic-free fast
path). ``python -m vibespec.docsgen`` rewrites them; tests fail when stale."""

from __future__ import annotations

import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, BeforeValidator, PlainValidator

from . import sources as S
from .doctext import first_paragraph, link_citations, markdown
from .rules import ALL_RULES
from .rules.buttons import CUSTOM_TITLE_MAX
from .rules.carousel import CAROUSEL_ROWS_MAX
from .rules.content_media import CAPTION_SCHEMA_MAX
from .rules.content_text import TEXT_SCHEMA_MAX
from .spec import model as M
from .spec.model import Spec

SCHEMA_ID = "https://raw.githubusercontent.com/vibespec/vibespec/main/schemas/vibespec.schema.json"


def _collect_aliases() -> dict[str, tuple[str, ...]]:
    """canonical key -> its other spellings, from the pydantic models (the generated table keeps a copy
    for the compiler)."""

    out: dict[str, set[str]] = {}
    seen: set = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, f in model.model_fields.items():
            va = f.validation_alias
            choices = getattr(va, "choices", None)
            canonical = f.alias or name
            if choices:
                alts = [c for c in choices if isinstance(c, str) and c != canonical]
                if alts:
                    out.setdefault(canonical, set()).update(alts)
            for t in _models_in(f.annotation):
                visit(t)

    visit(M.Spec)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _models_in(annotation: Any):

    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            yield a
            continue
        for arg in typing.get_args(a) or ():
            stack.append(arg)


def _add_aliases(schema: dict) -> dict:
    """Editors should accept every spelling the compiler accepts (``latitude`` for ``lat``)."""

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
    schema = Spec.model_json_schema(mode="validation")
    schema = _add_aliases(schema)
    schema = _add_limits(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "description": "vibespec spec: Viber bot messages for Infobip POST /viber-bot/1/messages. "
                           "See docs/language.md.", **schema}


_COLOUR = {"pattern": "^#[0-9A-Fa-f]{6}$"}


def _limits() -> dict[tuple[str, str], dict]:
    """The limits of the published OpenAPI spec (and Viber's documented grid sizes) that a JSON
    schema can say, per (model, field): what the matching lint rules report as errors, so that
    editors with only the schema catch them too. Numbers come from the rules' own constants."""

    cols = {"minimum": 1, "maximum": 6}
    return {
        ("Carousel", "columns"): cols, ("Carousel", "rows"): {"minimum": 1, "maximum": CAROUSEL_ROWS_MAX},
        ("Carousel", "height_scale"): {"minimum": 20, "maximum": 100}, ("Carousel", "background"): _COLOUR,
        ("Keyboard", "columns"): cols, ("Keyboard", "rows"): {"minimum": 1}, ("Keyboard", "background"): _COLOUR,
        ("Button", "columns"): cols, ("Button", "rows"): {"minimum": 1, "maximum": CAROUSEL_ROWS_MAX},
        ("ButtonText", "opacity"): {"minimum": 0, "maximum": 100},
        ("ButtonText", "background_gradient_color"): _COLOUR,
        ("Background", "color"): _COLOUR,
        ("Frame", "border_width"): {"minimum": 0, "maximum": 10},
        ("Frame", "corner_radius"): {"minimum": 0, "maximum": 10}, ("Frame", "border_color"): _COLOUR,
        ("KeyboardDisplay", "occupancy"): {"minimum": 40, "maximum": 70},
        ("OpenUrl", "title"): {"maxLength": CUSTOM_TITLE_MAX},
        ("Message", "text"): {"maxLength": TEXT_SCHEMA_MAX},
        ("Image", "caption"): {"maxLength": CAPTION_SCHEMA_MAX},
        ("Video", "caption"): {"maxLength": CAPTION_SCHEMA_MAX},
    }


def _add_limits(schema: dict) -> dict:
    """Put :func:`_limits` into the schema: on the integer or string branch of each field (and
    of the aliases that copy it)."""
    defs = schema.get("$defs", {})
    for (model, name), extra in _limits().items():
        props = defs[model]["properties"]
        targets = [name] + [k for k, v in props.items() if v.get("description") == f"same as '{name}'"]
        for key in targets:
            field = props[key]
            branches = field.get("anyOf", [field])
            wanted = "integer" if any(k in extra for k in ("minimum", "maximum")) else "string"
            hit = [b for b in branches if b.get("type") == wanted]
            assert hit, (model, key, field)  # the declaration changed: update the table
            for b in hit:
                b.update(extra)
    return schema


def payload_schema() -> dict:
    from .wire.request import Request  # lazy: `vibespec schema` imports this module for the spec schema only; it does not load the wire models

    schema = Request.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "description": "Request body of Infobip POST /viber-bot/1/messages (shape only; limits are lint rules).",
            **schema}


def rules_markdown() -> str:
    lines = ["# Rules reference", "",
             "Generated from the rules' docstrings by `python -m vibespec.docsgen`; "
             "`vibespec explain CODE` prints the same text. Do not edit by hand.", "",
             "Severity: **error** when Infobip rejects, clips or silently changes the request; **warning** for "
             "stricter prose limits and inferred rules; **info** for notes. Configure with `select`, `ignore`, "
             "`severity` in `[tool.vibespec]` (see the README).", "", "| Code | Name | Severity | Summary |",
             "|---|---|---|---|"]
    for r in ALL_RULES:
        lines.append(f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity.value} | "
                     f"{_cell(first_paragraph(r.doc()))} |")
    area = None
    for r in ALL_RULES:
        if r.area() != area:
            area = r.area()
            lines += ["", f"## {area.capitalize()}", ""]
        lines += [f"### {r.code} {r.name}", "", f"*Severity: {r.severity.value}.*", "",
                  markdown(r.doc().strip("\n")), ""]
    lines += ["", *sources_markdown()]
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def sources_markdown() -> list[str]:
    """The "Sources" section of docs/rules.md: every source a rule may cite, with an anchor
    (``#s13``, ``#constraints-3``) that the citations in the rules above link to."""

    lines = ["## Sources", "",
             "What the rules' `Source:` lines cite. `S1`-`S22` and `[D3]` are public pages and specifications; "
             "`constraints.md §N` are sections of the limits notes the rules were written from, summarised "
             "here (each gathers the public sources, marks every limit as documented, inferred or third-party, "
             "and proposes a severity); `wire-format` are the notes on the exact request JSON. "
             "`vibespec explain CODE` lists the sources a rule cites.", "",
             "### Public sources", "", "| ID | Source | What it says |", "|---|---|---|"]
    for s in S.PUBLIC:
        lines.append(f'| <a id="{s.key}"></a>{s.label} | [{_cell(s.title)}]({s.url}) | {_cell(s.says)} |')
    lines += ["", "### Limits notes (constraints.md)", "", "| Section | Topic | What it says |", "|---|---|---|"]
    for s in S.NOTES:
        lines.append(f'| <a id="{s.key}"></a>{s.label} | {_cell(s.title)} | {_cell(link_citations(s.says))} |')
    lines += ["", "### Other notes and standards", "", "| Name | Source | What it says |", "|---|---|---|",
              f'| <a id="{S.WIRE.key}"></a>{S.WIRE.label} | {_cell(S.WIRE.title)} | '
              f'{_cell(link_citations(S.WIRE.says))} |']
    for s in S.STANDARDS:
        lines.append(f"| {s.label} | [{_cell(s.title)}]({s.url}) | {_cell(s.says)} |")
    lines.append("| RFC *n* | [RFC Editor](https://www.rfc-editor.org/) | Internet standards, linked where cited. |")
    return lines


def _fn_name(fn) -> str:
    """The expression naming a converter in the generated table (``C.zone``, ``C.Choice(...)``)."""
    fn = getattr(fn, "__wrapped__", fn)
    prefixes = {"vibespec.spec.coerce": "C", "vibespec.spec.shorthand": "S"}
    if repr(fn).startswith("C."):
        return repr(fn)
    module = getattr(fn, "__module__", None)
    if module in prefixes and getattr(fn, "__qualname__", "").isidentifier():
        return f"{prefixes[module]}.{fn.__qualname__}"
    raise ValueError(f"converter {fn!r} must live in vibespec.spec.coerce or shorthand to be named in the table")


def _type_spec(annotation, metadata=()) -> str:
    """A type of the spec models as the fast table's nested tuple (see vibespec.spec.fast)."""

    for m in metadata:
        if isinstance(m, PlainValidator):
            return f'("plain", {_fn_name(m.func)})'
    for m in metadata:
        if isinstance(m, BeforeValidator):
            return f'("before", {_fn_name(m.func)}, {_type_spec(annotation)})'
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_spec(args[0], args[1:])
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = _type_spec(rest[0]) if len(rest) == 1 else '("union", (' + "".join(
            _type_spec(a) + ", " for a in rest) + "))"
        return f'("opt", {inner})' if len(rest) < len(args) else inner
    if origin is typing.Literal:
        return f'("literal", {tuple(args)!r})'
    if origin is list:
        return f'("list", {_type_spec(args[0])})'
    if origin is dict:
        if args[0] is not str:
            raise ValueError(f"mapping keys must be strings in {annotation!r}")
        return f'("map", {_type_spec(args[1])})'
    if annotation is typing.Any:
        return '("any",)'
    if annotation in (dict, list) and not args:
        return f'("{annotation.__name__}",)' if annotation is dict else '("list", ("any",))'
    if annotation in (str, int, bool, float):
        return f'("{annotation.__name__}",)'
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f'("model", "{annotation.__name__}")'
    raise ValueError(f"the fast table cannot express {annotation!r}")


def _tagged_spec(annotation, key: str) -> str:
    """A union discriminated by ``key``: ``("tagged", key, {tag: model name})``."""

    tags = {}
    for member in typing.get_args(annotation):
        literal = member.model_fields[key].annotation
        for tag in typing.get_args(literal):
            tags[tag] = member.__name__
    return f'("tagged", {key!r}, {tags!r})'


def _models_table(roots: list, doc: list[str], imports: list[str]) -> tuple[dict, list[str]]:
    """(name -> model, the lines of a generated table module: MODELS, KNOWN_KEYS). A field's first
    accepted key is its canonical name (checked here), so no table lists those separately."""

    models: dict[str, type[BaseModel]] = {}
    stack = list(roots)
    while stack:
        model = stack.pop(0)
        if model.__name__ in models:
            continue
        models[model.__name__] = model
        for f in model.model_fields.values():
            stack.extend(_models_in(f.annotation))
            for m in f.metadata:
                stack.extend(_models_in(getattr(m, "json_schema_input_type", None)))
    lines = doc + ["", "Generated by ``python -m vibespec.docsgen``; do not edit. Each field is (attribute, accepted keys",
                   "in pydantic's lookup order, required, type); types are nested tuples (see",
                   ":mod:`vibespec.schema.interpreter`).\"\"\"", ""] + imports + ["", "MODELS = {"]
    for name in sorted(models):
        model = models[name]
        lines.append(f"    {name!r}: (")
        for attr, f in model.model_fields.items():
            choices = getattr(f.validation_alias, "choices", None)
            keys = [c for c in choices if isinstance(c, str)] if choices else [f.validation_alias or f.alias or attr]
            if model.model_config.get("populate_by_name") and attr not in keys:
                keys.append(attr)
            if keys[0] != (f.alias or attr):
                raise ValueError(f"{name}.{attr}: the first accepted key must be the canonical one")
            if not f.is_required() and f.default is not None:
                raise ValueError(f"{name}.{attr}: the fast table knows only None defaults")
            spec = _tagged_spec(f.annotation, f.discriminator) if isinstance(f.discriminator, str) else \
                _type_spec(f.annotation, f.metadata)
            lines.append(f"        ({attr!r}, {tuple(keys)!r}, {f.is_required()!r}, {spec}),")
        lines.append("    ),")
    lines.append("}")
    lines.append("# every spelling a model accepts, canonical first (for \"did you mean\")")
    lines.append("KNOWN_KEYS = {")
    for name in sorted(models):
        known: list[str] = []
        for attr, f in models[name].model_fields.items():
            known.append(f.alias or attr)
            choices = getattr(f.validation_alias, "choices", None)
            known.extend(c for c in choices or () if isinstance(c, str))
        lines.append(f"    {name!r}: {tuple(dict.fromkeys(known))!r},")
    lines.append("}")
    return models, lines


def fast_table() -> str:
    """``vibespec/spec/_table.py``: the spec models for :mod:`vibespec.spec.fast`."""

    _, lines = _models_table([M.Spec, M.SpecHeader],
                             ['"""The spec models of ``vibespec/spec/model.py`` as a table for :mod:`vibespec.spec.fast`.'],
                             ["from . import coerce as C", "from . import shorthand as S"])
    lines.append(f"MESSAGE_KEYS = {tuple(M.Message.model_fields)!r}")
    aliases = _collect_aliases()
    lines.append("ALIASES = {")
    lines.extend(f"    {k!r}: {v!r}," for k, v in sorted(aliases.items()))
    lines.append("}")
    return "\n".join(lines) + "\n"


def payload_table() -> str:
    """``vibespec/wire/_table.py``: the request body's models for :mod:`vibespec.rules.shape`."""
    from .wire.request import Request  # lazy: `vibespec schema` imports this module for the spec schema only; it does not load the wire models

    _, lines = _models_table([Request], ['"""The request body models of ``vibespec/wire/request.py`` as a table for',
                                         ":mod:`vibespec.rules.shape`."], [])
    return "\n".join(lines) + "\n"


def outputs(root: Path) -> dict[Path, str]:
    return {
        root / "vibespec" / "spec" / "_table.py": fast_table(),
        root / "vibespec" / "wire" / "_table.py": payload_table(),
        root / "schemas" / "vibespec.schema.json": json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n",
        root / "schemas" / "viber-bot-request.schema.json": json.dumps(payload_schema(), indent=2,
                                                                        ensure_ascii=False) + "\n",
        root / "docs" / "rules.md": rules_markdown(),
        **dict([_keydocs(root)]),
    }


def _keydocs(root: Path) -> tuple[Path, str]:
    from .lsp.keydocs_gen import output  # lazy: only regenerating the files needs the LSP key docs, not `vibespec schema`

    return output(root)


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
