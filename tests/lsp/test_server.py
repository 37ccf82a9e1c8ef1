"""The language server, driven by a real LSP client over stdio (pytest-lsp): diagnostics equal
to the CLI's, changes, hover, completion, code actions applied, configuration reload, outline."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types as T  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.name.endswith((".viber.yaml", ".viber.toml")))


def _utf8(p: Path) -> bool:
    try:
        p.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:  # an editor holds text, not these bytes: the CLI's own tests cover them
        return False


CASES = sorted(p for p in (ROOT / "tests" / "rules" / "cases").rglob("*")
               if p.name.endswith((".viber.yaml", ".viber.toml")) and _utf8(p))

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.server]


@pytest_lsp.fixture(scope="module",
                    config=ClientServerConfig(server_command=[sys.executable, "-m", "vibespec", "server"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=ROOT.as_uri(),
        initialization_options={"debounce": 10}))
    yield
    await lsp_client.shutdown_session()


async def _diagnostics(client: LanguageClient, uri: str, version: int | None = None, timeout: float = 20):
    """Wait until the server has published diagnostics for ``uri`` (for ``version``)."""
    async def wait():
        while True:
            got = client.diagnostics.get(uri)
            if got is not None and (version is None or client._versions.get(uri) == version):
                return list(got)
            params = await client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            client._versions = getattr(client, "_versions", {})
            client._versions[params.uri] = params.version

    if not hasattr(client, "_versions"):
        client._versions = {}
    return await asyncio.wait_for(wait(), timeout)


def _open(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    lang = "toml" if path.suffix == ".toml" else "yaml"
    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(
        uri=uri, language_id=lang, version=version,
        text=path.read_bytes().decode("utf-8") if text is None else text)))
    return uri


def _change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=text)]))


def _now_free(message: str) -> str:
    """Plan findings name times computed from "now" (to the second): the CLI and the server
    run at different seconds."""
    return re.sub(r"\d{4}-\d\d-\d\d \w{3} \d\d:\d\d(:\d\d)?", "<time>", message)


def _key(d: T.Diagnostic) -> tuple:
    sev = {T.DiagnosticSeverity.Error: "error", T.DiagnosticSeverity.Warning: "warning",
           T.DiagnosticSeverity.Information: "info"}[d.severity]
    return (d.code, sev, d.range.start.line + 1, d.range.start.character + 1,
            _now_free(d.message.split("\nhelp: ")[0]))


def _cli_json(paths: list[Path]) -> dict[str, list[tuple]]:
    r = subprocess.run([sys.executable, "-m", "vibespec", "lint", "--no-cache", "--format", "json", "-j", "1",
                        *map(str, paths)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode in (0, 1), r.stderr
    out: dict[str, list[tuple]] = {str(p): [] for p in paths}
    for d in json.loads(r.stdout):
        out.setdefault(d["file"], []).append((d["code"], d["severity"], d["line"], d["column"],
                                              _now_free(d["message"])))
    return out


@pytest.mark.slow
async def test_diagnostics_equal_the_cli_for_every_example_and_rule_case(client):
    files = EXAMPLES + CASES
    assert len(CASES) > 100
    expected = _cli_json(files)
    mismatches = []
    for path in files:
        uri = _open(client, path)
        got = sorted(_key(d) for d in await _diagnostics(client, uri))
        want = sorted(expected.get(str(path), []))
        # the CLI's columns are code points, the server's UTF-16: equal on these ASCII-positioned files
        if got != want:
            mismatches.append((path.name, got, want))
        client.text_document_did_close(T.DidCloseTextDocumentParams(T.TextDocumentIdentifier(uri)))
    assert not mismatches, mismatches[:3]


async def test_change_updates_diagnostics_and_links_the_rule(client, tmp_path):
    spec = tmp_path / "live.viber.yaml"
    text = (ROOT / "examples" / "text.viber.yaml").read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    uri = _open(client, spec)
    assert await _diagnostics(client, uri) == []
    bad = text + "    validity: 72h\n"
    _change(client, uri, bad, 2)
    diags = await _diagnostics(client, uri, version=2)
    assert [d.code for d in diags] == ["VB420"]
    d = diags[0]
    assert d.severity == T.DiagnosticSeverity.Error and d.source == "vibespec"
    from vibespec.rules import BY_CODE

    assert d.code_description.href.endswith(f"docs/rules.md#vb420-{BY_CODE['VB420'].name}")
    line = bad.split("\n").index("    validity: 72h")
    assert d.range.start.line == line and d.range.start.character == len("    validity: ")
    _change(client, uri, text, 3)
    assert await _diagnostics(client, uri, version=3) == []


async def test_hover_on_a_key_a_diagnostic_and_a_window(client, tmp_path):
    spec = tmp_path / "hover.viber.yaml"
    text = ("vibespec: 1\ntimezone: Europe/Zagreb\nsend_at: 2027-03-02T09:00:00\nmessages:\n  - sender: Bot\n"
            "    to: u1\n    text: hi\n    validity: 72h\n    window: {days: weekdays, from: \"08:00\", to: \"20:00\"}\n")
    spec.write_text(text, encoding="utf-8")
    uri = _open(client, spec)
    await _diagnostics(client, uri)
    lines = text.split("\n")

    async def hover(line: int, ch: int) -> str:
        h = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(line, ch)))
        return h.contents.value if h else ""

    v = lines.index("    validity: 72h")
    on_key = await hover(v, 6)
    assert "**`validity`**" in on_key and "duration" in on_key
    on_value = await hover(v, 15)
    assert "**VB420**" in on_value and "Why:" in on_value  # the rule's explain text
    w = next(i for i, l in enumerate(lines) if l.startswith("    window"))
    on_window = await hover(w, 6)
    assert "08:00-20:00 Europe/Zagreb" in on_window and "07:00-19:00 UTC" in on_window
    s = lines.index("send_at: 2027-03-02T09:00:00")
    assert "2027-03-02 08:00:00 UTC" in await hover(s, 2)


async def test_completion_of_keys_and_values(client, tmp_path):
    spec = tmp_path / "complete.viber.yaml"
    text = ("vibespec: 1\nmessages:\n  - sender: Bot\n    to: u\n    text: hi\n    keyboard:\n      buttons:\n"
            "        - columns: 3\n          \n")
    spec.write_text(text, encoding="utf-8")
    uri = _open(client, spec)
    await _diagnostics(client, uri)
    res = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(uri), T.Position(8, 10)))
    labels = {i.label for i in res.items}
    assert {"rows", "text", "background", "image", "action"} <= labels
    assert "columns" not in labels  # already written
    assert "sender" not in labels   # a message key, not a button's
    text2 = text.replace("          \n", "          text: {size: \n")
    _change(client, uri, text2, 2)
    await _diagnostics(client, uri, version=2)
    res = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(uri), T.Position(8, len("          text: {size: "))))
    assert {i.label for i in res.items} == {"small", "regular", "large"}
    # TOML: keys of a [messages.keyboard] table
    toml = tmp_path / "complete.viber.toml"
    ttext = "vibespec = 1\n[[messages]]\nsender = \"Bot\"\nto = \"u\"\ntext = \"hi\"\n[messages.keyboard]\n\n"
    toml.write_text(ttext, encoding="utf-8")
    turi = _open(client, toml)
    await _diagnostics(client, turi)
    res = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(turi), T.Position(6, 0)))
    assert {"buttons", "action_bar", "background"} <= {i.label for i in res.items}


def _apply(text: str, edits: list[T.TextEdit]) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        s, en = e.range.start, e.range.end
        assert s.line == en.line
        line = lines[s.line]
        lines[s.line] = line[:s.character] + e.new_text + line[en.character:]
    return "\n".join(lines)


async def test_code_actions_fix_and_ignore(client, tmp_path):
    spec = tmp_path / "fix.viber.yaml"
    text = "vibespec: 1\nmessages:\n  - sender: Bot\n    to: u\n    text: hi\n    validty: 2h\n"
    spec.write_text(text, encoding="utf-8")
    uri = _open(client, spec)
    diags = await _diagnostics(client, uri)
    typo = [d for d in diags if "validty" in d.message]
    assert typo, diags
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), typo[0].range, T.CodeActionContext(diagnostics=typo)))
    fix = next(a for a in actions if a.title == "Replace with validity")
    fixed = _apply(text, fix.edit.changes[uri])
    assert "    validity: 2h" in fixed
    _change(client, uri, fixed, 2)
    assert await _diagnostics(client, uri, version=2) == []
    # ignore a finding on its line
    bad = fixed.replace("validity: 2h", "validity: 72h")
    _change(client, uri, bad, 3)
    diags = await _diagnostics(client, uri, version=3)
    assert [d.code for d in diags] == ["VB420"]
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), diags[0].range, T.CodeActionContext(diagnostics=diags)))
    ign = next(a for a in actions if a.title == "Ignore VB420 on this line")
    ignored = _apply(bad, ign.edit.changes[uri])
    assert "    validity: 72h  # vibespec: ignore[VB420]" in ignored
    _change(client, uri, ignored, 4)
    assert await _diagnostics(client, uri, version=4) == []


async def test_configuration_is_read_and_reloaded(client, tmp_path):
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / ".git").mkdir()
    spec = proj / "c.viber.yaml"
    text = "vibespec: 1\nmessages:\n  - sender: Bot\n    to: u\n    text: hi\n    validity: 72h\n"
    spec.write_text(text, encoding="utf-8")
    uri = _open(client, spec)
    assert [d.code for d in await _diagnostics(client, uri)] == ["VB420"]
    cfg = proj / "vibespec.toml"
    cfg.write_text('ignore = ["VB420"]\n', encoding="utf-8")
    client.diagnostics.pop(uri, None)
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=cfg.as_uri(), type=T.FileChangeType.Created)]))
    assert await _diagnostics(client, uri) == []
    # the same as the CLI with that configuration
    r = subprocess.run([sys.executable, "-m", "vibespec", "lint", "--no-cache", str(spec)], capture_output=True,
                       text=True, cwd=proj)
    assert r.returncode == 0
    # an edit of the configuration, seen even without a notification (checked at each lint)
    cfg.write_text('severity = {VB420 = "info"}\n', encoding="utf-8")
    _change(client, uri, text + "\n", 2)
    diags = await _diagnostics(client, uri, version=2)
    assert [(d.code, d.severity) for d in diags] == [("VB420", T.DiagnosticSeverity.Information)]


async def test_document_symbols(client):
    path = ROOT / "examples" / "campaign.viber.yaml"
    uri = _open(client, path)
    await _diagnostics(client, uri)
    syms = await client.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(uri)))
    assert [s.name for s in syms] == ["defaults", "teaser", "products", "survey"]
    lines = path.read_text().split("\n")
    teaser = syms[1]
    assert "teaser" in lines[teaser.selection_range.start.line]
    rem = ROOT / "examples" / "reminders.viber.yaml"
    ruri = _open(client, rem)
    await _diagnostics(client, ruri)
    syms = await client.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(ruri)))
    kinds = {s.name: s.kind for s in syms}
    assert kinds.get("reminder") == T.SymbolKind.Class and kinds.get("audience") == T.SymbolKind.Array
