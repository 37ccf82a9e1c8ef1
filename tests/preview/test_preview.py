"""vibespec preview without a browser: what the page says, what it escapes, what it never loads,
how it draws audiences, and the command's contract (outputs, exit codes, atomic writes)."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

import vibespec
from vibespec.previewer import RowError, preview
from vibespec.previewer.geometry import carousel_grid, keyboard_grid, text_fits

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.name.endswith((".viber.yaml", ".viber.toml")))
CASES = Path(__file__).parent / "cases"
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
CLI = [sys.executable, "-m", "vibespec"]


def run(*args, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_every_example_renders_a_self_contained_page(spec, snapshot, monkeypatch):
    monkeypatch.chdir(ROOT)  # the page names the spec as given: the same path in every checkout
    page = preview(spec.relative_to(ROOT), now=NOW)
    assert page.startswith("<!DOCTYPE html>")
    # nothing that loads or runs: no script, no element that fetches, no link, no url() in CSS
    assert not re.search(r"<(script|img|iframe|object|embed|link|video|audio|source)\b", page, re.I)
    assert not re.search(r"\b(src|href|srcset)\s*=", page, re.I)
    assert "url(" not in page
    assert "default-src 'none'" in page  # and the browser is told so too
    assert page == snapshot


def test_library_entry_point():
    assert vibespec.preview is preview
    assert "Was your issue solved?" in vibespec.preview(ROOT / "examples" / "keyboard.viber.yaml")


def test_every_content_type_is_drawn():
    pages = {p.name.split(".")[0]: preview(p, now=NOW) for p in EXAMPLES}
    assert "Was your issue solved?" in pages["keyboard"]
    assert "card 1 of 2" in pages["carousel"] and "card 2 of 2" in pages["carousel"]
    assert re.search(r'class="kind">video<', pages["video"]) and "&#9654;" in pages["video"]
    assert re.search(r'class="kind">image<', pages["image"])
    assert re.search(r'class="kind">location<', pages["location"])
    assert re.search(r'class="kind">sticker<', pages["sticker"])
    assert 'class="bubble file"' in pages["file"] and 'class="bubble file"' in pages["contact"]
    assert ">link<" in pages["url"]
    assert "SMS failover" in pages["failover"]
    # the schedule: sendAt in UTC and the spec's zone, the local window and its UTC form
    camp = pages["campaign"]
    assert "2027-03-02 08:00 UTC = 2027-03-02 09:00 Europe/Zagreb" in camp
    assert "08:00-20:00 Europe/Zagreb = mon, tue, wed, thu, fri 07:00-19:00 UTC" in camp
    assert "validity: 24 hours" in camp and "500 per hour" in camp


def test_values_from_the_spec_are_text_never_markup():
    page = preview(CASES / "mixed.viber.yaml", now=NOW)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "Bad &lt;b&gt;name&lt;/b&gt;" in page
    # a colour that is not #RRGGBB never reaches CSS
    assert "evil" not in re.sub(r'title="[^"]*"|<li>.*?</li>', "", page)
    # an escape sequence is shown, not sent raw
    assert "\x1b" not in page and "\\x1b[31m" in page


def test_hostile_values_everywhere():
    evil = '"><script>alert(1)</script><x y="'
    spec = f"""vibespec: 1
defaults: {{sender: '{evil}'}}
messages:
  - id: '{evil}'
    to: '{evil}'
    display: {{name: '{evil}', avatar: 'https://x.example/{evil}'}}
    file: {{url: 'https://x.example/a.pdf', name: '{evil}.pdf', size: 10}}
    failover: {{sms: {{text: '{evil}', sender: '{evil}'}}}}
"""
    page = preview(spec, filename=f"{evil}.viber.yaml", now=NOW)
    assert "<script" not in page
    assert page.count("&lt;script&gt;") >= 6
    # parsed as a browser would, the page holds only our own elements and attributes
    from html.parser import HTMLParser

    seen_tags, seen_attrs = set(), set()

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen_tags.add(tag)
            seen_attrs.update(a for a, _ in attrs)

    P().feed(page)
    assert seen_tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "dl", "dt", "dd", "main",
                         "section", "div", "span", "aside", "h3", "ul", "li", "b", "br", "small"}, seen_tags
    assert seen_attrs <= {"lang", "charset", "name", "content", "http-equiv", "class", "id", "style", "title",
                          "data-pointer", "data-index", "data-card", "data-columns", "data-rows", "data-kind",
                          "data-column-px", "data-row-px"}, seen_attrs


def test_findings_sit_beside_the_element_they_concern():
    page = preview(CASES / "mixed.viber.yaml", now=NOW)
    # VB350 is about carousel button 3 (index 2), VB308 about button 4 (index 3)
    b3 = re.search(r'<div class="btn[^"]*" data-index="2"[^>]*>', page).group(0)
    b4 = re.search(r'<div class="btn[^"]*" data-index="3"[^>]*>', page).group(0)
    assert "has-finding" in b3 and "VB350" in b3
    assert "has-finding" in b4 and "VB308" in b4
    assert "has-finding" not in re.search(r'<div class="btn[^"]*" data-index="1"[^>]*>', page).group(0)
    # and listed with code, message and spec line, naming the button
    assert re.search(r"VB350</span> colour .*?mixed\.viber\.yaml:14:\d+ &middot; carousel button 3", page)
    assert re.search(r"VB308</span> LOCATION_PICKER .*?mixed\.viber\.yaml:15:\d+ &middot; carousel button 4", page)


def test_text_that_cannot_fit_is_marked():
    page = preview(CASES / "mixed.viber.yaml", now=NOW)
    first = re.search(r'<div class="btn[^"]*" data-index="0"[^>]*>', page).group(0)
    assert "clipped" in first
    assert page.count('class="clipmark"') >= 2  # the long carousel label and the long keyboard word
    ok = preview(ROOT / "examples" / "keyboard.viber.yaml", now=NOW)
    assert "class=\"clipmark\"" not in ok


def test_text_fits_model():
    assert text_fits("Yes", 168, 48, None, None)
    assert not text_fits("A label far too long for one small keyboard button", 56, 48, None, None)
    assert text_fits("Buy product 1", 252, 84, "LARGE", None)
    assert not text_fits("Buy product 1", 252, 84, "LARGE", [40, 12, 40, 12])  # paddings eat the face


def test_geometry_follows_the_layout_rule():
    grid = carousel_grid({"buttonGrid": {"buttonsGroupColumns": 3, "buttonsGroupRows": 2,
                                         "buttons": [{"columns": 3, "rows": 1}, {"columns": 1, "rows": 1},
                                                     {"columns": 2, "rows": 1}, {"columns": 3, "rows": 2}]},
                          "heightScale": 50})
    assert grid.cards == 2 and grid.row_px == 21 and grid.column_px == 42
    assert [(b.card, b.left, b.top, b.width, b.height) for b in grid.boxes] == [
        (0, 0, 0, 126, 21), (0, 0, 21, 42, 21), (0, 42, 21, 84, 21), (1, 0, 0, 126, 42)]
    kb = keyboard_grid({"buttonGrid": {"buttons": [{"columns": 2, "rows": 2}, {"columns": 4}, {"columns": 4}]}})
    assert [(b.left // kb.column_px, b.top // kb.row_px, b.columns, b.rows) for b in kb.boxes] == [
        (0, 0, 2, 2), (2, 0, 4, 1), (2, 1, 4, 1)]


def _audience_spec(tmp_path: Path, rows: int, distinct: bool) -> Path:
    lines = ["to,name"] + [f"user-{i},{'Name%d' % i if distinct else 'Ana'}" for i in range(rows)]
    (tmp_path / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = tmp_path / "a.viber.yaml"
    spec.write_text("vibespec: 1\ndefaults: {sender: Bot}\ntemplates:\n  hi: {text: 'Hi {{ name }}'}\n"
                    "audience: people.csv\nmessages:\n  - template: hi\n    to: audience\n", encoding="utf-8")
    return spec


def test_audience_distinct_renders_once_with_counts(tmp_path):
    spec = _audience_spec(tmp_path, 7, distinct=False)
    page = preview(spec, now=NOW)
    assert page.count('<section class="msg"') == 1
    assert "to 7 recipients: user-0, user-1, user-2, user-3, user-4 and 2 more" in page
    assert "template hi" in page


def test_row_previews_one_audience_row(tmp_path):
    spec = _audience_spec(tmp_path, 5, distinct=True)
    page = preview(spec, now=NOW, row=3)
    assert page.count('<section class="msg"') == 1
    assert "Hi Name2" in page and "Hi Name1" not in page
    assert "to 1 recipient: user-2" in page and "audience row 3" in page
    with pytest.raises(RowError, match="out of range: the audience has 5 rows"):
        preview(spec, now=NOW, row=6)
    with pytest.raises(RowError, match="needs a spec whose messages go to an audience"):
        preview(ROOT / "examples" / "text.viber.yaml", now=NOW, row=1)


@pytest.mark.slow
def test_big_specs_stay_small_and_fast(tmp_path):
    # 100,000 rows that render 100,000 distinct messages: only --max-messages are drawn
    spec = _audience_spec(tmp_path, 100_000, distinct=True)
    t = time.perf_counter()
    page = preview(spec, now=NOW)
    took = time.perf_counter() - t
    assert page.count('<section class="msg"') == 100
    assert "99900 more distinct messages not shown" in page
    # the messages past the ones drawn are counted by the compiler, not built
    assert "<dt>request</dt><dd>100000 messages, 100000 destinations</dd>" in page
    assert "run vibespec lint for all 100000" in page
    assert len(page) < 2_000_000
    # 1,000 carousel buttons
    buttons = "\n".join(f"        - {{columns: 6, rows: 1, text: b{i}, action: {{reply: r{i}}}}}" for i in range(1000))
    big = tmp_path / "big.viber.yaml"
    big.write_text(f"vibespec: 1\nmessages:\n  - sender: Bot\n    to: u\n    carousel:\n      rows: 7\n"
                   f"      buttons:\n{buttons}\n", encoding="utf-8")
    t = time.perf_counter()
    page2 = preview(big, now=NOW)
    took2 = time.perf_counter() - t
    assert page2.count('class="btn') == 1000
    assert len(page2) < 3_000_000
    print(f"100k distinct rows: {took:.2f} s, {len(page) / 1e6:.2f} MB; 1,000 buttons: {took2:.2f} s, "
          f"{len(page2) / 1e6:.2f} MB")


# --------------------------------------------------------------------------- the command


@pytest.mark.slow
def test_cli_stdout_file_and_out_dir(tmp_path):
    r = run("preview", str(ROOT / "examples" / "keyboard.viber.yaml"), "--now", "2026-11-25T12:00:00Z")
    assert r.returncode == 0 and r.stdout.startswith("<!DOCTYPE html>")
    out = tmp_path / "k.html"
    r = run("preview", str(ROOT / "examples" / "keyboard.viber.yaml"), "-o", str(out))
    assert r.returncode == 0 and out.read_text().startswith("<!DOCTYPE html>")
    d = tmp_path / "site"
    r = run("preview", *map(str, EXAMPLES), "--out-dir", str(d))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in d.iterdir()) == sorted(p.name.split(".")[0] + ".html" for p in EXAMPLES)


def test_cli_bad_spec_writes_nothing(tmp_path):
    bad = tmp_path / "bad.viber.yaml"
    bad.write_text("vibespec: 1\nmessages:\n  - to: x\n    text: [1, 2]\n", encoding="utf-8")
    d = tmp_path / "site"
    r = run("preview", str(ROOT / "examples" / "text.viber.yaml"), str(bad), "--out-dir", str(d))
    assert r.returncode == 1
    assert "bad.viber.yaml:" in r.stderr and "Traceback" not in r.stderr
    assert not d.exists()


def test_cli_usage_errors(tmp_path):
    r = run("preview", str(ROOT / "examples" / "text.viber.yaml"), str(ROOT / "examples" / "url.viber.yaml"))
    assert r.returncode == 2 and "--out-dir" in r.stderr
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for p in (a, b):
        (p / "same.viber.yaml").write_text((ROOT / "examples" / "text.viber.yaml").read_text(), encoding="utf-8")
    r = run("preview", str(a / "same.viber.yaml"), str(b / "same.viber.yaml"), "--out-dir", str(tmp_path / "o"))
    assert r.returncode == 2 and "would both be written" in r.stderr
    assert not (tmp_path / "o").exists()
    r = run("preview", str(tmp_path / "missing.viber.yaml"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run("preview", str(ROOT / "examples" / "reminders.viber.yaml"), "--row", "99")
    assert r.returncode == 2 and "out of range" in r.stderr


def test_cli_does_not_import_the_previewer_for_lint():
    code = ("import sys\nfrom vibespec.cli.app import main\n"
            "try:\n    main(['lint', '--no-cache', %r])\nexcept SystemExit:\n    pass\n"
            "print('vibespec.previewer' in sys.modules)") % str(ROOT / "examples" / "text.viber.yaml")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().endswith("False")


def test_page_is_valid_enough_html():
    from html.parser import HTMLParser

    class P(HTMLParser):
        stack: list = []
        void = {"meta", "br", "img", "input", "link"}

        def handle_starttag(self, tag, attrs):
            if tag not in self.void:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
            self.stack.pop()

    for spec in [*EXAMPLES, CASES / "mixed.viber.yaml"]:
        p = P()
        p.stack = []
        p.feed(preview(spec, now=NOW))
        assert p.stack == [], spec.name
    assert html.unescape("&middot;") == "·"


def test_a_raw_request_body_is_drawn_with_check_findings(tmp_path):
    body = ROOT / "examples" / "carousel.json"
    page = preview(body, now=NOW)
    assert "card 1 of 2" in page and "Buy product 1" in page
    bad = tmp_path / "bad.json"
    bad.write_text(body.read_text().replace('"#2DB9B9"', '"teal"', 1), encoding="utf-8")
    page = preview(bad, now=NOW)
    assert re.search(r'<div class="btn[^"]*has-finding[^"]*" data-index="1"', page)
    assert re.search(r"VB350</span> colour &#x27;teal&#x27;.*?bad\.json:\d+:\d+ &middot; carousel button 2", page)
    with pytest.raises(RowError):
        preview(body, now=NOW, row=1)
    r = run("preview", str(tmp_path / "bad.json"), "-o", str(tmp_path / "bad.html"))
    assert r.returncode == 0 and "VB350" in (tmp_path / "bad.html").read_text()


def test_lower_counts_audience_messages_past_its_limit(tmp_path):
    from vibespec.api import read_source
    from vibespec.compiler.lower import lower

    spec = _audience_spec(tmp_path, 30, distinct=True)
    full = lower(read_source(str(spec)))
    cut = lower(read_source(str(spec)), message_limit=7)
    assert len(full.body["messages"]) == 30 and full.facts.hidden_messages == 0
    assert len(cut.body["messages"]) == 7 and cut.facts.hidden_messages == 23
    assert cut.facts.hidden_destinations == 23
    assert cut.body["messages"] == full.body["messages"][:7]  # the same first messages
