"""The test tiers (docs/DEVELOPING.md, "Running the tests"): the markers narrow a run only when
asked (`-m "not slow"` for the local loop); `python -m pytest` with no options, the README's
command and the one `.ci/run` runs, selects every test. A misspelt marker is an error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
# a small file with tests of every speed: cheap to collect, and `-m "not slow"` leaves some out
SAMPLE = "tests/bounded/test_bounded_locate.py"


def _pytest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _selected(*args: str) -> int:
    r = _pytest("--collect-only", *args, SAMPLE)
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"(\d+)(?:/\d+)? tests? collected", r.stdout)
    assert m, r.stdout
    return int(m.group(1))


def _markers() -> dict[str, str]:
    ini = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    return dict(m.split(":", 1) for m in ini["markers"])


@pytest.mark.slow
def test_the_default_command_selects_every_test():
    everything = _selected("-o", "addopts=")          # the configured options left out
    assert _selected() == everything                  # what `python -m pytest` selects
    assert _selected("-m", "not slow") < everything   # the tiers do select, when asked


def test_ci_and_readme_run_pytest_without_options():
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if "pytest" in line and not line.lstrip().startswith("#")]
    assert ci and all(line.endswith("python -m pytest") for line in ci), ci
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pip install ".[test]" && python -m pytest\n' in readme


def test_a_misspelt_marker_is_an_error(tmp_path):
    (tmp_path / "test_typo.py").write_text("import pytest\n\n\n@pytest.mark.slwo\ndef test_x():\n    pass\n")
    # the project's pytest table, as the configuration of a folder of its own (``-c pyproject.toml``
    # ignores addopts on pytest 9.0)
    text = PYPROJECT.read_text(encoding="utf-8")
    table = re.search(r"^\[tool\.pytest\.ini_options\]\n.*?(?=^\[)", text, re.S | re.M).group(0)
    (tmp_path / "pyproject.toml").write_text(table.replace('testpaths = ["tests"]', ""), encoding="utf-8")
    r = _pytest(str(tmp_path / "test_typo.py"), cwd=tmp_path)
    assert r.returncode != 0
    assert "'slwo' not found in `markers`" in r.stdout + r.stderr


def test_every_tier_is_documented_with_its_command():
    developing = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
    for name in [*_markers(), "hypothesis"]:
        assert f'-m "not {name}"' in developing or f"-m {name}" in developing, name
