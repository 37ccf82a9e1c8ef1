"""A strict JSON Schema for Infobip's ``ViberBotRequest``, built from the published OpenAPI
file (3.210.0): ``$ref``s resolved into ``$defs``, ``allOf`` flattened, OpenAPI
discriminators turned into ``if``/``then`` dispatch on the discriminator property, and every
object closed (``additionalProperties: false``) so undeclared keys are rejected.

Plain JSON Schema ignores OpenAPI discriminators, so validating against the raw component
would not check content fields at all (a 4001-character text would pass)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

OPENAPI = Path(__file__).resolve().parents[3] / "shared" / "reference" / "infobip-viber-openapi.json"
_KEEP = ("type", "enum", "maxLength", "minLength", "minimum", "maximum", "pattern", "maxItems", "minItems", "const")


class _Converter:
    def __init__(self, spec: dict):
        self.components = spec["components"]["schemas"]
        self.defs: dict[str, dict] = {}

    @staticmethod
    def _name(ref: str) -> str:
        return ref.rsplit("/", 1)[-1]

    def ref(self, ref: str) -> dict:
        name = self._name(ref)
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against cycles
            self.defs[name] = self.convert(self.components[name])
        return {"$ref": f"#/$defs/{name}"}

    def _flatten(self, schema: dict, drop_discriminator: bool) -> dict:
        """Merge allOf parts into one object schema (properties, required)."""
        props: dict = {}
        required: list = []
        other: dict = {}
        parts = [schema] + list(schema.get("allOf", ()))
        for part in parts:
            if "$ref" in part:
                part = self.components[self._name(part["$ref"])]
                part = self._flatten(part, True)
            for k, v in part.get("properties", {}).items():
                props[k] = v
            required += [r for r in part.get("required", ()) if r not in required]
            for k in _KEEP:
                if k in part and k not in other:
                    other[k] = part[k]
        out = dict(other)
        if props:
            out["properties"] = props
        if required:
            out["required"] = required
        if not drop_discriminator and "discriminator" in schema:
            out["discriminator"] = schema["discriminator"]
        return out

    def convert(self, schema: dict) -> dict:
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        flat = self._flatten(schema, False) if ("allOf" in schema or "properties" in schema) else schema
        out: dict = {k: flat[k] for k in _KEEP if k in flat}
        if "discriminator" in flat:
            prop = flat["discriminator"]["propertyName"]
            mapping = flat["discriminator"]["mapping"]
            out["type"] = "object"
            out["required"] = sorted(set(flat.get("required", [])) | {prop})
            out["properties"] = {prop: {"enum": sorted(mapping)}}
            out["allOf"] = [{"if": {"properties": {prop: {"const": k}}, "required": [prop]},
                             "then": self.ref(target)} for k, target in sorted(mapping.items())]
            return out
        if "properties" in flat or flat.get("type") == "object":
            out["type"] = "object"
            out["properties"] = {k: self.convert(v) for k, v in flat.get("properties", {}).items()}
            if flat.get("required"):
                out["required"] = list(flat["required"])
            out["additionalProperties"] = False
        if "items" in schema:
            out["items"] = self.convert(schema["items"])
        return out


@lru_cache(maxsize=None)
def request_schema() -> dict:
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    conv = _Converter(spec)
    name = next(k for k in conv.components if k.endswith(".ViberBotRequest"))
    root = conv.ref("#/components/schemas/" + name)
    # subtype schemas list the shared `type` property through their base: allow it
    for d in conv.defs.values():
        props = d.get("properties")
        if isinstance(props, dict) and d.get("additionalProperties") is False and "senderDisplayInfo" in props:
            props.setdefault("type", {"type": "string"})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "$defs": conv.defs}


def errors(body) -> list[str]:
    """Every contract violation of ``body`` as ``pointer: message``."""
    from jsonschema import Draft202012Validator

    v = Draft202012Validator(request_schema())
    out = []
    for e in sorted(v.iter_errors(body), key=lambda e: list(e.absolute_path)):
        out.append("/" + "/".join(str(p) for p in e.absolute_path) + f": [{e.validator}] " + e.message[:200])
    return out
