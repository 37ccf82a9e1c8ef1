"""The CLI's other commands never import the language server's libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cli_commands_do_not_import_pygls():
    code = ("import sys\nfrom vibespec.cli.app import main\n"
            "try:\n    main(['lint', '--no-cache', %r])\nexcept SystemExit:\n    pass\n"
            "print(any(m.split('.')[0] in ('pygls', 'lsprotocol') for m in sys.modules))"
            ) % str(ROOT / "examples" / "text.viber.yaml")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().endswith("False")
