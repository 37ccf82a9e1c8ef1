"""Property tests (hypothesis).

1. Generated *valid* specs (every content type, options, buttons, recipients, YAML block or
   flow style, and TOML) always compile, and the body validates against Infobip's published
   OpenAPI schema (``tests/contract/openapi.py``; skipped when the reference file is absent).
2. Arbitrary text and bytes through ``vibespec.lint`` never raise; ``vibespec.compile`` raises
   nothing but ``VibespecError``.
3. Arbitrary JSON values (and their text) through ``validate_payload``, ``inbound.validate``
   and ``reports.validate`` never raise.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vibespec import api, inbound, reports
from vibespec.diagnostics import Diagnostic, VibespecError

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
FAST = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))


def _contract():
    """``errors(body) -> list[str]`` from tests/contract/openapi.py, or None."""
    path = Path(__file__).resolve().parents[1] / "contract" / "openapi.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("_vibespec_contract_openapi", path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)  # type: ignore[union-attr]
        if not Path(mod.OPENAPI).exists():
            return None
        mod.request_schema()
    except Exception:  # pragma: no cover - the contract helper is someone else's
        return None
    return mod.errors


CONTRACT = _contract()

# --------------------------------------------------------------------------- valid specs

_SAFE = st.characters(min_codepoint=0x20, max_codepoint=0x2FFF, blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
text = st.text(_SAFE, min_size=1, max_size=120).filter(lambda s: s.strip() == s and s.strip())
ident = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
sender = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,14}", fullmatch=True)
slug = st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)
https = slug.map(lambda s: f"https://cdn.example.com/{s}")
image_url = slug.map(lambda s: f"https://cdn.example.com/{s}.png")
duration = st.sampled_from(["30s", "45s", "30m", "2h", "1h30m", "120m", {"amount": 30, "unit": "minutes"}])
# within both schema maxima (video 27,262,976 bytes, file 52,428,800): generated specs are valid
size = st.one_of(st.integers(1, 27_262_976), st.sampled_from(["5MiB", "120KiB", "2MB", "900KB"]))


def recipients():
    one = st.one_of(ident, st.builds(lambda t, m: {"to": t, "message_id": m}, ident, ident))
    return st.one_of(ident, st.lists(one, min_size=1, max_size=4, unique_by=lambda x: json.dumps(x)))


def action():
    return st.one_of(
        ident.map(lambda r: {"reply": r}),
        https.map(lambda u: {"open_url": u}),
        st.builds(lambda a, b: {"open_map": {"lat": a, "lon": b}}, st.integers(-80, 80), st.integers(-170, 170)),
    )


def button(columns: int):
    return st.fixed_dictionaries(
        {"columns": st.just(columns), "rows": st.integers(1, 2), "action": action()},
        optional={"text": text.filter(lambda s: len(s) <= 40)},
    )


carousel = st.integers(1, 6).flatmap(lambda c: st.fixed_dictionaries(
    {"columns": st.just(c), "rows": st.just(7),
     "buttons": st.lists(st.fixed_dictionaries({
         "columns": st.just(c), "rows": st.just(7), "image": image_url,
         "action": action()}), min_size=1, max_size=6)}))

keyboard = st.fixed_dictionaries({"buttons": st.lists(button(3), min_size=1, max_size=4)})

content = st.one_of(
    st.fixed_dictionaries({"text": text}, optional={"keyboard": keyboard}),
    st.fixed_dictionaries({"image": st.one_of(image_url, st.fixed_dictionaries({"url": image_url},
                                                                               optional={"caption": text}))}),
    st.fixed_dictionaries({"video": st.fixed_dictionaries(
        {"url": slug.map(lambda s: f"https://cdn.example.com/{s}.mp4"), "size": size, "thumbnail": image_url},
        optional={"duration": st.sampled_from(["30s", "2m", 45])})}),
    st.fixed_dictionaries({"file": st.fixed_dictionaries(
        {"url": slug.map(lambda s: f"https://cdn.example.com/{s}.pdf"), "name": slug.map(lambda s: s + ".pdf"),
         "size": size})}),
    st.fixed_dictionaries({"location": st.fixed_dictionaries(
        {"lat": st.floats(-89, 89).map(lambda x: round(x, 4)), "lon": st.floats(-179, 179).map(lambda x: round(x, 4))})}),
    st.fixed_dictionaries({"contact": st.fixed_dictionaries(
        {"name": text.filter(lambda s: len(s) <= 28), "phone": st.from_regex(r"\+3859[0-9]{7}", fullmatch=True)})}),
    st.fixed_dictionaries({"sticker": st.sampled_from([40133, 40132, 114406])}),
    st.fixed_dictionaries({"url": https}),
    st.fixed_dictionaries({"carousel": carousel}),
)

options = st.fixed_dictionaries({}, optional={
    "validity": duration,
    "platform": st.fixed_dictionaries({"entity_id": ident, "application_id": ident}),
    "campaign_ref": ident,
    "webhooks": st.fixed_dictionaries({"delivery": https}, optional={"content_type": st.sampled_from(["json", "xml"]),
                                                                    "callback_data": ident}),
})


@st.composite
def specs(draw):
    n = draw(st.integers(1, 4))
    messages = []
    for i in range(n):
        m = {"to": draw(recipients()), "sender": draw(sender)}
        if draw(st.booleans()):
            m["id"] = f"m{i}"
        m.update(draw(content))
        m.update(draw(options))
        messages.append(m)
    spec = {"vibespec": 1}
    if draw(st.booleans()):
        spec["bulk_id"] = draw(ident)
    if draw(st.booleans()):
        spec["defaults"] = {"sender": draw(sender)}
    spec["messages"] = messages
    return spec


def _yaml(spec: dict, flow: bool) -> str:
    if flow:
        return json.dumps(spec, ensure_ascii=False) + "\n"  # JSON is YAML 1.2
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.allow_unicode = True
    buf = io.StringIO()
    y.dump(spec, buf)
    return buf.getvalue()


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"


def _toml(spec: dict) -> str:
    out = [f"{k} = {_toml_value(v)}" for k, v in spec.items() if k != "messages"]
    for m in spec["messages"]:
        out.append("\n[[messages]]")
        out += [f"{k} = {_toml_value(v)}" for k, v in m.items()]
    return "\n".join(out) + "\n"


@pytest.mark.slow
@SETTINGS
@given(spec=specs(), style=st.sampled_from(["block", "flow", "toml"]))
def test_valid_specs_compile_and_match_the_contract(spec, style):
    if style == "toml":
        src, name = _toml(spec), "gen.viber.toml"
    else:
        src, name = _yaml(spec, style == "flow"), "gen.viber.yaml"
    try:
        body = api.compile(src, filename=name)
    except VibespecError as e:
        pytest.fail(f"a valid spec did not compile: {e}\n{src}")
    assert isinstance(body, dict) and len(body["messages"]) == len(spec["messages"])
    json.dumps(body, allow_nan=False).encode("utf-8")  # JSON, UTF-8, finite
    if CONTRACT is not None:
        errs = CONTRACT(body)
        assert not errs, f"{errs}\n{src}\n{json.dumps(body, indent=1)}"


def test_contract_is_available_or_skipped():
    if CONTRACT is None:
        pytest.skip("tests/contract/openapi.py or the OpenAPI reference is not available")
    assert CONTRACT({"messages": [{"sender": "B", "destinations": [{"to": "u"}],
                                   "content": {"type": "TEXT", "text": "x" * 4001}}]})


# --------------------------------------------------------------------------- arbitrary input

_TOKENS = ["vibespec: 1\n", "messages:\n", "  - ", "to: u1\n", "text: ", "image: ", "carousel:\n", "buttons: ",
           "{", "}", "[", "]", ":", ": ", "&a ", "*a", "!!str ", "!x ", "<<: ", "---\n", "#", "'", '"', "\n",
           "    ", "\t", "1e999", ".nan", "~", "null", "9" * 30, "06:00", "2026-12-01T09:00:00", "=", "[[messages]]\n"]
yamlish = st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=8)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=300), yamlish)


def _ok_list(r):
    assert isinstance(r, list) and all(isinstance(d, Diagnostic) for d in r), r


def _text_source(s: str) -> str:
    return s + "\n"  # a one-line str naming a file would be read as a path


@FAST
@given(s=any_text, fmt=st.sampled_from(["x.viber.yaml", "x.viber.toml", "x.json"]))
def test_lint_arbitrary_text_never_raises(s, fmt):
    _ok_list(api.lint(_text_source(s), filename=fmt))


@FAST
@given(b=st.binary(max_size=300), fmt=st.sampled_from(["x.viber.yaml", "x.viber.toml", "x.json"]))
def test_lint_arbitrary_bytes_never_raises(b, fmt):
    _ok_list(api.lint(b, filename=fmt))


@FAST
@given(s=st.one_of(any_text.map(_text_source), st.binary(max_size=300)),
       fmt=st.sampled_from(["x.viber.yaml", "x.viber.toml"]))
def test_compile_arbitrary_input_raises_only_vibespec_error(s, fmt):
    try:
        body = api.compile(s, filename=fmt)
    except VibespecError as e:
        assert e.diagnostics and all(isinstance(d, Diagnostic) for d in e.diagnostics)
    else:
        assert isinstance(body, dict)
        json.dumps(body, allow_nan=False).encode("utf-8")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.sampled_from(["TEXT", "IMAGE", "CAROUSEL", "MINUTES", "https://a.example/x.png", "2026-11-25T12:00:00.000+0000"]),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
        ["messages", "results", "content", "type", "destinations", "sender", "to", "status", "error", "message",
         "price", "text", "buttons", "options", "webhooks", "receivedAt", "doneAt", "groupId"])), children, max_size=6),
    max_leaves=40,
)


@pytest.mark.slow
@FAST
@given(v=json_values)
def test_json_values_never_raise(v):
    _ok_list(api.validate_payload(v))
    _ok_list(inbound.validate(v))
    _ok_list(reports.validate(v))
    try:
        text = json.dumps(v)
    except ValueError:
        return
    _ok_list(api.validate_payload(text))
    _ok_list(inbound.validate(text))
    _ok_list(reports.validate(text))


@pytest.mark.slow
@FAST
@given(v=json_values, wrap=st.sampled_from(["messages", "results"]))
def test_shaped_json_never_raises(v, wrap):
    """The same values one level down, where the models look."""
    body = {wrap: [v, {"content": v}, {"message": v, "status": v}]}
    _ok_list(api.validate_payload(body))
    _ok_list(inbound.validate(body))
    _ok_list(reports.validate(body))
    for parse in (inbound.parse, reports.parse):
        try:
            parse(body)
        except VibespecError:
            pass
