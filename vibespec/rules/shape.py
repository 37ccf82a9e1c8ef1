"""Shape problems of a raw request body (codes VB150-VB153), without pydantic.

The models of :mod:`vibespec.wire.request` are the declaration; ``wire/_table.py`` is generated
from them (``python -m vibespec.docsgen``) and :class:`vibespec.schema.interpreter.Schema`
(:mod:`vibespec.wire.fast`) checks a body
against it and explains what is wrong in pydantic's terms, so ``vibespec check`` starts as fast
as ``vibespec lint``. pydantic is imported only for what the explainer does not model.
``tests/test_fast_payload.py`` compares the findings of both paths."""

from __future__ import annotations

import difflib

from .. import codes
from .base import Finding
from ..wire.fast import MODELS
from ..wire.fast import SCHEMA as _SCHEMA

_CONTENT_KEY, _CONTENT_TAGS = next((f[3][1], f[3][2]) for f in MODELS["Message"] if f[0] == "content")


def _walk_loc(body, loc):
    """Real path (keys and indices) for a pydantic loc, dropping discriminator tags."""
    out, node = [], body
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == "from_" and "from" in node:
            out.append("from")
            node = node["from"]
        else:
            if isinstance(part, str) and part not in _CONTENT_TAGS:
                return tuple(out), part, False
    return tuple(out), None, True


_TYPES = {"string_type": "a string", "int_type": "an integer", "float_type": "a number", "bool_type": "a boolean",
          "list_type": "an array", "model_type": "an object", "dict_type": "an object", "int_from_float": "an integer"}


def structure_findings(body) -> list:
    """Shape problems of a raw body as ``[(Code, Finding)]`` (codes VB150-VB153)."""
    if not isinstance(body, dict):
        return [(codes.VB151, Finding((), "a request body is a JSON object"))]
    return findings_from_errors(body, _SCHEMA.check("Request", body)[1])


def findings_from_errors(body, errors: list[dict]) -> list:
    """Findings for validation errors in pydantic's form (from the explainer or from pydantic)."""
    out = []
    seen = set()
    for e in errors:
        path, missing, _ = _walk_loc(body, e["loc"])
        t = e["type"]
        key = (path, missing, t)
        if key in seen:
            continue
        seen.add(key)
        if t == "extra_forbidden":
            name = path[-1] if path else ""
            parent = _model_for(path[:-1], body)
            options = [f[1][0] for f in MODELS[parent]] if parent else []  # canonical names
            best = difflib.get_close_matches(str(name), options, n=1, cutoff=0.6)
            msg = f"unknown field '{name}'" + (f"; did you mean '{best[0]}'?" if best else "")
            out.append((codes.VB150, Finding(path, msg, "fields here: " + ", ".join(options) if options else None,
                                                         key=True)))
        elif t == "missing":
            out.append((codes.VB152, Finding(path, f"missing required field '{missing}'")))
        elif t in ("union_tag_invalid", "union_tag_not_found"):
            v = e.get("ctx", {}).get("tag")
            msg = ("content has no 'type'" if t == "union_tag_not_found"
                   else f"unknown content type {v!r}: expected one of {', '.join(_CONTENT_TAGS)}")
            out.append((codes.VB153, Finding(path + (("type",) if t == "union_tag_invalid" else ()), msg)))
        else:
            want = _TYPES.get(t)
            msg = f"{'/'.join(map(str, path)) or 'body'} must be {want}" if want else e["msg"]
            out.append((codes.VB151, Finding(path, msg)))
    return out


def _model_for(path, body) -> str | None:
    """The name of the model validating the object at ``path`` (best effort, for suggestions)."""
    cur = "Request"
    node = body
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        spec = next((f[3] for f in MODELS[cur] if part in f[1]), None)
        node = node.get(part) if isinstance(node, dict) else None
        if spec is None:
            return None
        while spec[0] in ("opt", "list"):
            spec = spec[1]
        if spec[0] == "tagged":
            tag = node.get(spec[1]) if isinstance(node, dict) else None
            cur = spec[2].get(tag) if isinstance(tag, str) else None
            if cur is None:
                return None
            continue
        if spec[0] != "model":
            return None
        cur = spec[1]
    return cur
