"""The preview page: one self-contained HTML document drawn like a Viber chat.

Every value that comes from a spec or a body goes through :func:`esc` (HTML-escaped, control
characters shown as ``\\xNN``); colours reach CSS only when they are ``#RRGGBB``; numbers only
as numbers. Media URLs are shown as text inside labelled placeholders: nothing is fetched,
nothing is a live link, and the page has no script.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from ..diagnostics import Diagnostic, Severity
from . import geometry as g

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def esc(value: Any) -> str:
    """Text for HTML: escaped, with control and bidi-override characters made visible."""
    s = value if isinstance(value, str) else str(value)
    s = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", s)
    return html.escape(s, quote=True)


def color(value: Any) -> str | None:
    return value if isinstance(value, str) and _COLOR.fullmatch(value) else None


def _num(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def human_size(n: Any) -> str:
    n = _num(n)
    if n is None:
        return "?"
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{int(n)} B"


def duration(seconds: Any) -> str:
    s = _num(seconds)
    if s is None:
        return "?:??"
    s = int(s)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


CSS = """
*{box-sizing:border-box}
body{margin:0;background:#eceff3;font-family:"DejaVu Sans",Roboto,Arial,sans-serif;font-size:14px;color:#1c1c1c}
header.spec{background:#fff;border-bottom:1px solid #d6d9de;padding:12px 16px}
header.spec h1{font-size:16px;margin:0 0 6px}
header.spec dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;font-size:13px}
header.spec dt{color:#666}header.spec dd{margin:0}
main{padding:12px 16px}
section.msg{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;margin:0 0 24px}
.phone{width:360px;flex:none;background:#f6f4fb;border:1px solid #cfcbe0;border-radius:18px;padding:12px}
.meta{font-size:12px;color:#555;margin:0 0 8px;line-height:1.45}
.meta b{color:#1c1c1c}
.sender{display:flex;align-items:center;gap:8px;margin:0 0 6px;font-weight:bold;color:#59267c}
.avatar{width:32px;height:32px;border-radius:50%;background:#7360f2;color:#fff;display:flex;align-items:center;
 justify-content:center;font-size:15px;flex:none}
.sender small{display:block;font-weight:normal;color:#777;font-size:11px;word-break:break-all}
.bubble{background:#fff;border-radius:4px 14px 14px 14px;padding:8px 10px;max-width:300px;
 box-shadow:0 1px 1px rgba(0,0,0,.12);white-space:pre-wrap;overflow-wrap:anywhere}
.bubble.bare{background:none;box-shadow:none;padding:0;max-width:none}
.media{background:#d9dde3;border:1px dashed #8a94a3;border-radius:8px;color:#3c4654;font-size:12px;
 display:flex;flex-direction:column;justify-content:center;align-items:center;text-align:center;padding:6px;
 overflow:hidden;word-break:break-all}
.media .kind{font-weight:bold;font-size:13px;margin-bottom:2px}
.media.big{width:280px;height:170px;margin:0 0 6px}
.caption{margin-top:4px}
.file{display:flex;gap:10px;align-items:center}
.file .icon{width:40px;height:48px;border-radius:4px;background:#7360f2;color:#fff;font-size:11px;font-weight:bold;
 display:flex;align-items:center;justify-content:center;flex:none}
.small{font-size:11px;color:#666;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:20px 8px;padding-top:14px}
.card{position:relative;flex:none;border-radius:10px;overflow:visible;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.15)}
.cardno{position:absolute;top:-14px;right:2px;font-size:10px;color:#777}
.btn{position:absolute;padding:2px}
.face{position:relative;width:100%;height:100%;border-radius:6px;overflow:hidden;background:#fff;display:flex;
 flex-direction:column}
.card .face{background:transparent}
.face .img{position:absolute;inset:0;border-radius:inherit}
.label{position:relative;flex:1;display:flex;overflow:hidden;line-height:1.25}
.label>span{display:block;width:100%;overflow-wrap:anywhere;white-space:pre-wrap}
.act{position:absolute;right:3px;bottom:2px;font-size:9px;color:#555;background:rgba(255,255,255,.8);
 border-radius:3px;padding:0 3px}
.btn.clipped .face{outline:2px dashed #d9480f;outline-offset:-2px}
.clipmark{position:absolute;left:3px;bottom:2px;font-size:9px;font-weight:bold;color:#fff;background:#d9480f;
 border-radius:3px;padding:0 3px}
.keyboard{margin:10px -12px -12px;padding:8px 12px 12px;border-top:1px solid #cfcbe0;border-radius:0 0 18px 18px;
 background:#e9e9ef}
.keyboard .kbnote{font-size:11px;color:#666;margin-bottom:6px}
.kbgrid{position:relative}
.kbgrid .face{border:1px solid #c5c5cf}
.has-finding>.face{box-shadow:0 0 0 2px #e03131 inset}
.has-finding.warning>.face{box-shadow:0 0 0 2px #f08c00 inset}
.has-finding.info>.face{box-shadow:0 0 0 2px #1c7ed6 inset}
.fcodes{position:absolute;left:3px;top:2px;font-size:9px;font-weight:bold;color:#fff;background:#e03131;
 border-radius:3px;padding:0 3px;z-index:2}
.side{flex:1;min-width:260px;max-width:560px}
.sms{background:#fff;border:1px solid #d6d9de;border-left:4px solid #2f9e44;border-radius:6px;padding:8px 10px;
 margin-bottom:10px}
.sms h3,.findings h3,.sched h3{font-size:12px;margin:0 0 4px;color:#444;text-transform:uppercase;letter-spacing:.04em}
.sms .text{white-space:pre-wrap;overflow-wrap:anywhere}
.sched{background:#fff;border:1px solid #d6d9de;border-radius:6px;padding:8px 10px;margin-bottom:10px;font-size:13px}
.findings{background:#fff;border:1px solid #d6d9de;border-radius:6px;padding:8px 10px}
.findings ul{margin:0;padding:0;list-style:none}
.findings li{margin:0 0 6px;font-size:13px;overflow-wrap:anywhere}
.sev{display:inline-block;font-size:11px;font-weight:bold;border-radius:3px;padding:0 4px;color:#fff}
.sev.error{background:#e03131}.sev.warning{background:#f08c00}.sev.info{background:#1c7ed6}
.where{color:#666;font-size:12px}
.ok{color:#2f9e44;font-size:13px}
.more{background:#fff3bf;border:1px solid #f2d24b;border-radius:6px;padding:8px 10px;margin:0 0 16px}
"""


@dataclass
class MessageView:
    """One message to draw: its index in the body, the body message, and what we know of it."""

    index: int
    message: dict
    spec_id: Any = None
    template: str | None = None
    spec_line: int | None = None
    recipients: int = 0
    shown_to: list[str] = field(default_factory=list)
    window: Any = None
    findings: list[Diagnostic] = field(default_factory=list)
    row_note: str | None = None


@dataclass
class PageInfo:
    filename: str
    body: dict
    views: list[MessageView]
    general: list[Diagnostic]
    timezone: str | None = None
    send_at: datetime | None = None
    hidden_messages: int = 0
    note: str | None = None
    #: audience messages (and their destinations) counted by the compiler but not built
    uncounted_messages: int = 0
    uncounted_destinations: int = 0


def _sev_class(diags: Iterable[Diagnostic]) -> str:
    worst = max((d.severity.rank for d in diags), default=-1)
    return {2: "error", 1: "warning", 0: "info"}.get(worst, "")


def _finding_li(d: Diagnostic, element: str | None) -> str:
    where = f"{d.file}:{d.line}:{d.column}" if d.file else ""
    target = f" &middot; {esc(element)}" if element else ""
    help_ = f'<div class="small">help: {esc(d.help)}</div>' if d.help else ""
    return (f'<li><span class="sev {d.severity.value}">{esc(d.code)}</span> {esc(d.message)}'
            f'<div class="where">{esc(where)}{target}</div>{help_}</li>')


def _button_findings(findings: list[Diagnostic], prefix: str) -> dict[int, list[Diagnostic]]:
    out: dict[int, list[Diagnostic]] = {}
    pre = prefix + "/"
    for d in findings:
        p = d.pointer or ""
        if p.startswith(pre):
            head = p[len(pre):].split("/", 1)[0]
            if head.isdigit():
                out.setdefault(int(head), []).append(d)
    return out


def _action_label(action: Any) -> str:
    if not isinstance(action, dict):
        return "no action"
    t = str(action.get("actionType") or "REPLY").upper()
    body = action.get("actionBody")
    names = {"REPLY": "reply", "OPEN_URL": "open URL", "LOCATION_PICKER": "location picker",
             "SHARE_PHONE": "share phone", "NONE": "no action", "OPEN_MAP": "open map"}
    label = names.get(t, t.lower())
    if t in ("REPLY", "OPEN_URL") and isinstance(body, str) and body:
        short = body if len(body) <= 24 else body[:23] + "…"
        label = f"{label}: {short}"
    if action.get("silent") is True:
        label += " (silent)"
    return label


def _button(b: Any, box: g.Box, findings: list[Diagnostic], kind: str) -> str:
    b = b if isinstance(b, dict) else {}
    text = b.get("text") if isinstance(b.get("text"), dict) else {}
    bg = b.get("background") if isinstance(b.get("background"), dict) else {}
    media = b.get("media") if isinstance(b.get("media"), dict) else {}
    face_style = []
    c = color(bg.get("color"))
    if c:
        face_style.append(f"background:{c}")
    frame = bg.get("frame") if isinstance(bg.get("frame"), dict) else {}
    bw = _num(frame.get("borderWidth"))
    if bw:
        bw = max(0, min(int(bw), 10))
        face_style.append(f"border:{bw}px solid {color(frame.get('borderColor')) or '#000000'}")
    cr = _num(frame.get("cornerRadius"))
    if cr is not None:
        face_style.append(f"border-radius:{max(0, min(int(cr), 10))}px")
    inner = []
    for url, what in ((bg.get("mediaUrl"), "background " + str(bg.get("mediaType") or "picture").lower()),
                      (media.get("imageUrl"), "image")):
        if isinstance(url, str) and url:
            inner.append(f'<div class="img media"><span class="kind">{esc(what)}</span>{esc(url)}</div>')
    label = text.get("text")
    clipped = False
    if isinstance(label, str) and label:
        size = str(text.get("size") or "REGULAR").upper()
        px = g.TEXT_SIZES.get(size, g.TEXT_SIZES["REGULAR"])
        pads = text.get("paddings")
        pad = [12, 12, 12, 12]
        if isinstance(pads, list) and len(pads) == 4 and all(_num(p) is not None for p in pads):
            pad = [max(0, int(p)) for p in pads]
        halign = {"LEFT": "left", "RIGHT": "right"}.get(str(text.get("horizontalAlign") or "").upper(), "center")
        valign = {"TOP": "flex-start", "BOTTOM": "flex-end"}.get(str(text.get("verticalAlign") or "").upper(), "center")
        op = _num(text.get("opacity"))
        style = (f"padding:{pad[0]}px {pad[3]}px {pad[2]}px {pad[1]}px;font-size:{px}px;text-align:{halign};"
                 f"align-items:{valign}")
        if op is not None:
            style += f";opacity:{max(0, min(op, 100)) / 100:g}"
        grad = color(text.get("backgroundGradientColor"))
        if grad:
            style += f";background:linear-gradient(to bottom,transparent,{grad})"
        clipped = not g.text_fits(label, box.width, box.height, size, pads)
        inner.append(f'<div class="label" style="{style}"><span>{esc(label)}</span></div>')
    if clipped:
        inner.append('<span class="clipmark" title="this text does not fit the button">clipped</span>')
    action = _action_label(b.get("action"))
    if box.width >= 80 and box.height >= 40:  # on a small button the label would hide the face
        inner.append(f'<span class="act">{esc(action)}</span>')
    classes = ["btn"]
    if clipped:
        classes.append("clipped")
    title = f"button {box.index + 1}: {box.columns} columns x {box.rows} rows, {action}"
    if findings:
        classes += ["has-finding", _sev_class(findings)]
        codes = " ".join(sorted({d.code for d in findings}))
        inner.insert(0, f'<span class="fcodes">{esc(codes)}</span>')
        title += " - " + "; ".join(f"{d.code} {d.message}" for d in findings)
    return (f'<div class="{" ".join(classes)}" data-index="{box.index}" data-card="{box.card}" '
            f'data-columns="{box.columns}" data-rows="{box.rows}" title="{esc(title)}" '
            f'style="left:{box.left}px;top:{box.top}px;width:{box.width}px;height:{box.height}px">'
            f'<div class="face" style="{";".join(face_style)}">{"".join(inner)}</div></div>')


def _grid_html(grid: g.Grid, buttons: list, findings: dict[int, list[Diagnostic]], kind: str,
               background: str | None) -> str:
    per_card: dict[int, list[str]] = {}
    for box in grid.boxes:
        b = buttons[box.index] if box.index < len(buttons) else {}
        per_card.setdefault(box.card, []).append(_button(b, box, findings.get(box.index, []), kind))
    if kind == "keyboard":
        return (f'<div class="kbgrid" style="width:{grid.card_width}px;height:{grid.card_height}px">'
                f'{"".join(per_card.get(0, []))}</div>')
    bgc = f";background:{background}" if background else ""
    cards = []
    for n in range(grid.cards):
        cards.append(f'<div class="card" data-card="{n}" style="width:{grid.card_width}px;height:{grid.card_height}px'
                     f'{bgc}"><span class="cardno">card {n + 1} of {grid.cards}</span>{"".join(per_card.get(n, []))}</div>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _content(content: dict, findings: list[Diagnostic], base: str) -> str:
    t = str(content.get("type") or "").upper()
    if t == "TEXT":
        return f'<div class="bubble">{esc(content.get("text", ""))}</div>'
    if t in ("IMAGE", "VIDEO"):
        url = content.get("url", "")
        extra = ""
        kind = "image" if t == "IMAGE" else "video"
        if t == "VIDEO":
            extra = (f'<div class="small">&#9654; {esc(duration(content.get("duration")))} &middot; '
                     f'{esc(human_size(content.get("size")))}</div>')
        thumb = content.get("thumbnailUrl")
        thumb_html = f'<div class="small">thumbnail: {esc(thumb)}</div>' if isinstance(thumb, str) and thumb else ""
        cap = content.get("text")
        cap_html = f'<div class="caption">{esc(cap)}</div>' if isinstance(cap, str) and cap else ""
        return (f'<div class="bubble"><div class="media big"><span class="kind">{kind}</span>{esc(url)}{extra}'
                f'{thumb_html}</div>{cap_html}</div>')
    if t == "FILE":
        name = content.get("fileName") if isinstance(content.get("fileName"), str) else "(no file name)"
        ext = name.rsplit(".", 1)[1].upper()[:5] if "." in name else "FILE"
        return (f'<div class="bubble file"><div class="icon">{esc(ext)}</div><div><b>{esc(name)}</b>'
                f'<div class="small">{esc(human_size(content.get("size")))} &middot; {esc(content.get("url", ""))}'
                f'</div></div></div>')
    if t == "LOCATION":
        loc = content.get("location") if isinstance(content.get("location"), dict) else {}
        return (f'<div class="bubble"><div class="media big"><span class="kind">location</span>'
                f'{esc(loc.get("latitude", "?"))}, {esc(loc.get("longitude", "?"))}</div></div>')
    if t == "CONTACT":
        con = content.get("contact") if isinstance(content.get("contact"), dict) else {}
        name = con.get("name", "")
        initial = esc(str(name)[:1].upper() or "?")
        return (f'<div class="bubble file"><div class="avatar">{initial}</div><div><b>{esc(name)}</b>'
                f'<div class="small">{esc(con.get("phoneNumber", ""))}</div></div></div>')
    if t == "STICKER":
        return (f'<div class="bubble bare"><div class="media" style="width:140px;height:140px">'
                f'<span class="kind">sticker</span>id {esc(content.get("stickerId", "?"))}</div></div>')
    if t == "URL":
        return f'<div class="bubble"><span class="small">link</span><br>{esc(content.get("url", ""))}</div>'
    if t == "CAROUSEL":
        grid = g.carousel_grid(content)
        bg = content.get("buttonGrid") if isinstance(content.get("buttonGrid"), dict) else {}
        buttons = bg.get("buttons") if isinstance(bg.get("buttons"), list) else []
        bf = _button_findings(findings, base + "/content/buttonGrid/buttons")
        return (f'<div class="bubble bare carousel" data-kind="carousel" data-columns="{grid.columns}" '
                f'data-rows="{grid.rows}" data-column-px="{grid.column_px}" data-row-px="{grid.row_px}">'
                f'{_grid_html(grid, buttons, bf, "carousel", color(content.get("backgroundColor")))}</div>')
    return f'<div class="bubble">unknown content type {esc(t)}</div>'


def _keyboard(kb: Any, findings: list[Diagnostic], base: str) -> str:
    if not isinstance(kb, dict):
        return ""
    grid = g.keyboard_grid(kb)
    bgd = kb.get("buttonGrid") if isinstance(kb.get("buttonGrid"), dict) else {}
    buttons = bgd.get("buttons") if isinstance(bgd.get("buttons"), list) else []
    bf = _button_findings(findings, base + "/content/keyboard/buttonGrid/buttons")
    notes = ["keyboard"]
    disp = kb.get("keyboardDisplay") if isinstance(kb.get("keyboardDisplay"), dict) else {}
    if _num(disp.get("percentageOfKeyboardOccupancy")) is not None:
        notes.append(f"occupies {disp['percentageOfKeyboardOccupancy']}% of the screen")
    if disp.get("nativeKeyboardHeight") is True:
        notes.append("native keyboard height")
    if isinstance(kb.get("actionBarState"), str):
        notes.append(f"action bar {kb['actionBarState'].lower()}")
    c = color(kb.get("backgroundColor"))
    style = f' style="background:{c}"' if c else ""
    return (f'<div class="keyboard" data-kind="keyboard" data-columns="{grid.columns}" data-rows="{grid.rows}" '
            f'data-column-px="{grid.column_px}" data-row-px="{grid.row_px}"{style}>'
            f'<div class="kbnote">{esc(" · ".join(notes))}</div>'
            f'{_grid_html(grid, buttons, bf, "keyboard", None)}</div>')


def _validity(v: Any) -> str | None:
    if not isinstance(v, dict) or _num(v.get("amount")) is None:
        return None
    unit = str(v.get("timeUnit") or "MINUTES").lower()
    return f"{v['amount']} {unit}"


def _hm(t: Any) -> str:
    return f"{t[0]:02d}:{t[1]:02d}" if t else "?"


def _window_text(message: dict, wf: Any) -> str | None:
    opts = message.get("options") if isinstance(message.get("options"), dict) else {}
    w = opts.get("deliveryTimeWindow")
    if not isinstance(w, dict):
        return None
    def wire_time(x: Any) -> str:
        return f"{x.get('hour', 0):02d}:{x.get('minute', 0):02d}" if isinstance(x, dict) and \
            isinstance(x.get("hour"), int) and isinstance(x.get("minute"), int) else "?"
    days = w.get("days") if isinstance(w.get("days"), list) else []
    utc = f"{', '.join(str(d).lower()[:3] for d in days)} {wire_time(w.get('from'))}-{wire_time(w.get('to'))} UTC"
    if wf is not None and wf.zone and wf.zone != "UTC" and wf.local_from is not None:
        local = (f"{', '.join(str(d).lower()[:3] for d in wf.local_days)} {_hm(wf.local_from)}-{_hm(wf.local_to)} "
                 f"{wf.zone}")
        when = f" (converted for {wf.date.isoformat()})" if wf.date else ""
        return f"{local} = {utc}{when}"
    return utc


def _schedule_html(info: PageInfo, view: MessageView) -> str:
    m = view.message
    rows = []
    opts = m.get("options") if isinstance(m.get("options"), dict) else {}
    v = _validity(opts.get("validityPeriod"))
    rows.append(f"validity: {esc(v or '48 hours (Infobip default)')}")
    w = _window_text(m, view.window)
    if w:
        rows.append(f"delivery window: {esc(w)}")
    ref = opts.get("campaignReferenceId")
    if isinstance(ref, str):
        rows.append(f"campaign: {esc(ref)}")
    return '<div class="sched"><h3>Delivery</h3>' + "<br>".join(rows) + "</div>"


def _sms_html(message: dict) -> str:
    opts = message.get("options") if isinstance(message.get("options"), dict) else {}
    sms = opts.get("smsFailover")
    if not isinstance(sms, dict):
        return ""
    parts = ['<div class="sms"><h3>SMS failover</h3>']
    if sms.get("sender") is not None:
        parts.append(f'<div class="small">from {esc(sms.get("sender"))}</div>')
    parts.append(f'<div class="text">{esc(sms.get("text", ""))}</div>')
    v = _validity(sms.get("validityPeriod"))
    if v:
        parts.append(f'<div class="small">SMS validity {esc(v)}</div>')
    dm = sms.get("destinationMatching")
    if isinstance(dm, list) and dm:
        parts.append(f'<div class="small">{len(dm)} failover number(s)</div>')
    parts.append("</div>")
    return "".join(parts)


def _findings_html(view: MessageView) -> str:
    if not view.findings:
        return '<div class="findings"><h3>Lint</h3><div class="ok">no findings</div></div>'
    items = []
    base = f"/messages/{view.index}"
    for d in view.findings:
        element = None
        p = (d.pointer or "")[len(base):]
        m = re.match(r"/content/(keyboard/)?buttonGrid/buttons/(\d+)", p)
        if m:
            element = f"{'keyboard' if m.group(1) else 'carousel'} button {int(m.group(2)) + 1}"
        items.append(_finding_li(d, element))
    return f'<div class="findings"><h3>Lint</h3><ul>{"".join(items)}</ul></div>'


def _message_html(info: PageInfo, view: MessageView) -> str:
    m = view.message
    content = m.get("content") if isinstance(m.get("content"), dict) else {}
    base = f"/messages/{view.index}"
    disp = content.get("senderDisplayInfo") if isinstance(content.get("senderDisplayInfo"), dict) else {}
    name = disp.get("name") if isinstance(disp.get("name"), str) else m.get("sender", "")
    avatar = disp.get("avatarUrl")
    avatar_note = f"<small>avatar: {esc(avatar)}</small>" if isinstance(avatar, str) and avatar else ""
    name_html = f"<span>{esc(name)}{avatar_note}</span>"
    initial = esc(str(name)[:1].upper() or "?")
    meta = [f"<b>message {view.index + 1}</b>"]
    if view.spec_id is not None:
        meta.append(f"id {esc(view.spec_id)}")
    if view.template:
        meta.append(f"template {esc(view.template)}")
    if view.spec_line:
        meta.append(f"{esc(info.filename)}:{view.spec_line}")
    meta.append(f"sender {esc(m.get('sender', ''))}")
    shown = ", ".join(esc(t) for t in view.shown_to)
    more = view.recipients - len(view.shown_to)
    to = f"to {view.recipients} recipient{'s' if view.recipients != 1 else ''}: {shown}"
    if more > 0:
        to += f" and {more} more"
    meta.append(to)
    if view.row_note:
        meta.append(esc(view.row_note))
    phone = (f'<div class="phone"><div class="sender"><span class="avatar">{initial}</span>{name_html}'
             f'</div>{_content(content, view.findings, base)}{_keyboard(content.get("keyboard"), view.findings, base)}'
             f'</div>')
    side = f'<aside class="side">{_schedule_html(info, view)}{_sms_html(m)}{_findings_html(view)}</aside>'
    return (f'<section class="msg" id="m{view.index}" data-pointer="{base}">'
            f'<div style="width:100%" class="meta">{" &middot; ".join(meta)}</div>{phone}{side}</section>')


def page(info: PageInfo) -> str:
    body = info.body
    opts = body.get("options") if isinstance(body.get("options"), dict) else {}
    sched = opts.get("schedule") if isinstance(opts.get("schedule"), dict) else {}
    rows = []
    msgs = body.get("messages") if isinstance(body.get("messages"), list) else []
    dests = sum(len(m.get("destinations") or []) for m in msgs if isinstance(m, dict)) + info.uncounted_destinations
    n_msgs = len(msgs) + info.uncounted_messages
    rows.append(("request", f"{n_msgs} message{'s' if n_msgs != 1 else ''}, {dests} destination"
                            f"{'s' if dests != 1 else ''}"))
    if sched.get("bulkId") is not None:
        rows.append(("bulkId", str(sched["bulkId"])))
    if info.send_at is not None:
        utc = info.send_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        local = ""
        if info.timezone:
            try:
                from zoneinfo import ZoneInfo  # lazy: only a spec with a time zone needs zoneinfo (and its tz data)

                local = " = " + info.send_at.astimezone(ZoneInfo(info.timezone)).strftime("%Y-%m-%d %H:%M ") + info.timezone
            except Exception:
                local = ""
        rows.append(("send at", utc + local))
    elif sched.get("sendAt") is not None:
        rows.append(("send at", str(sched["sendAt"])))
    else:
        rows.append(("send at", "immediately"))
    sl = sched.get("sendingSpeedLimit")
    if isinstance(sl, dict) and _num(sl.get("amount")) is not None:
        rows.append(("speed limit", f"{sl['amount']} per {str(sl.get('timeUnit') or 'MINUTE').lower()}"))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    general = ""
    if info.general:
        general = ('<div class="findings" style="margin-top:8px"><h3>Lint (whole spec)</h3><ul>'
                   + "".join(_finding_li(d, None) for d in info.general) + "</ul></div>")
    note = f'<div class="more">{esc(info.note)}</div>' if info.note else ""
    hidden = ""
    if info.hidden_messages:
        hidden = (f'<div class="more">{info.hidden_messages} more distinct message'
                  f'{"s" if info.hidden_messages != 1 else ""} not shown (raise --max-messages to see them)</div>')
    sections = "".join(_message_html(info, v) for v in info.views)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>vibespec preview: {esc(info.filename)}</title><style>{CSS}</style></head><body>"
            f'<header class="spec"><h1>{esc(info.filename)}</h1><dl>{dl}</dl>{general}</header>'
            f"<main>{note}{sections}{hidden}</main></body></html>\n")
