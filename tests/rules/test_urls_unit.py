"""Unit tests of the URL rules (VB280-VB283, VB357) beyond their case files."""

from __future__ import annotations

import json

import pytest

from vibespec.api import validate_payload
from vibespec.rules.common import mask_credentials
from vibespec.rules.urls import host_not_public

SECRET = "hunter2pw"


def _body(url: str) -> bytes:
    """A body with ``url`` in every URL field."""
    button = {"text": {"text": "B"}, "background": {"mediaUrl": url}, "media": {"imageUrl": url},
              "action": {"actionType": "OPEN_URL", "actionBody": url,
                         "openUrlSettings": {"actionPredefinedUrl": url, "mediaPlayer": {"thumbnailUrl": url}}}}
    msgs = [{"sender": "DemoBot", "destinations": [{"to": "u1"}],
             "content": {"type": t, "url": url, "thumbnailUrl": url, "fileName": "a.pdf", "size": 10,
                         "senderDisplayInfo": {"name": "D", "avatarUrl": url},
                         "keyboard": {"buttonGrid": {"buttons": [button]}}},
             "webhooks": {"delivery": {"url": url}, "seen": {"url": url}}}
            for t in ("IMAGE", "VIDEO", "FILE", "URL")]
    return json.dumps({"messages": msgs}).encode()


@pytest.mark.parametrize("url", [f"https://admin:{SECRET}@example.com/a.png", f"http://admin:{SECRET}@example.com/a",
                                 f"ftp://admin:{SECRET}@example.com/a", f"https://{SECRET}@example.com/a.jpg",
                                 f"http://admin:{SECRET}@127.0.0.1:99999/x"])
def test_no_message_repeats_a_password(url):
    diags = validate_payload(_body(url), filename="b.json")
    assert any(d.code == "VB280" for d in diags) == ("//" in url)
    for d in diags:
        assert SECRET not in d.message and SECRET not in (d.help or ""), d.format_short()


def test_every_url_field_is_checked():
    diags = [d for d in validate_payload(_body("https://u:p@example.com/a.png"), filename="b.json")
             if d.code == "VB280"]
    fields = {d.pointer.split("/", 3)[-1] for d in diags}
    assert fields == {
        "content/url", "content/thumbnailUrl", "content/senderDisplayInfo/avatarUrl",
        "webhooks/delivery/url", "webhooks/seen/url",
        "content/keyboard/buttonGrid/buttons/0/background/mediaUrl",
        "content/keyboard/buttonGrid/buttons/0/media/imageUrl",
        "content/keyboard/buttonGrid/buttons/0/action/actionBody",
        "content/keyboard/buttonGrid/buttons/0/action/openUrlSettings/actionPredefinedUrl",
        "content/keyboard/buttonGrid/buttons/0/action/openUrlSettings/mediaPlayer/thumbnailUrl",
    }


def test_mask_credentials():
    assert mask_credentials("https://u:p@h/x?q=a@b") == "https://***@h/x?q=a@b"
    assert mask_credentials("see HTTP://tok@h") == "see HTTP://***@h"
    assert mask_credentials("mailto:a@b") == "mailto:a@b"


@pytest.mark.parametrize("host,public", [
    ("localhost", False), ("LOCALHOST.", False), ("a.localhost", False), ("127.0.0.1", False), ("127.1", False),
    ("2130706433", False), ("0x7f.0.0.1", False), ("::1", False), ("::ffff:127.0.0.1", False), ("0.0.0.0", False),
    ("169.254.169.254", False), ("fe80::1%eth0", False), ("10.0.0.1", False), ("172.31.255.255", False),
    ("192.168.0.1", False), ("100.64.0.1", False), ("fd00::1", False), ("192.0.2.1", False), ("224.0.0.1", False),
    ("example.com", True), ("8.8.8.8", True), ("172.32.0.1", True), ("2606:4700::1111", True), ("cafe.be", True),
    ("localhost.example.com", True), ("123.example", True),
])
def test_host_not_public(host, public):
    assert (host_not_public(host) is None) is public
