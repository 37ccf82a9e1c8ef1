"""per-file-ignores and exclude patterns have gitignore semantics (as ruff's globs): ``**``
matches no folder too, ``*`` stops at ``/``. With fnmatch, ``specs/**/*.yaml`` did not match
``specs/c.yaml`` and ``specs/*.yaml`` matched ``specs/a/c.yaml``."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from vibespec.cli.app import cli
from vibespec.config import Config, _glob, load_config

SPEC = "vibespec: 1\ndefaults: {sender: DemoBot}\nmessages:\n  - {to: bot-user-1, text: Hi, validity: 72h}\n"


@pytest.mark.parametrize("pattern, path, hit", [
    ("specs/**/*.yaml", "specs/c.yaml", True),
    ("specs/**/*.yaml", "specs/a/b/c.yaml", True),
    ("specs/*.yaml", "specs/c.yaml", True),
    ("specs/*.yaml", "specs/a/c.yaml", False),
    ("c.viber.yaml", "specs/a/c.viber.yaml", True),      # no slash: the name, at any depth
    ("*.viber.toml", "deep/er/x.viber.toml", True),
    ("a/c.yaml", "specs/a/c.yaml", False),              # a slash anchors it at the root
    ("/specs/c.yaml", "specs/c.yaml", True),
    ("legacy/", "specs/legacy/x.viber.yaml", True),      # a folder: everything below it
    ("specs/?.yaml", "specs/ab.yaml", False),
    ("!specs/**", "other/x.viber.yaml", True),           # negated: files the rest does not match
    ("!specs/**", "specs/x.viber.yaml", False),
    ("specs/*.yaml", "/elsewhere/specs/c.yaml", False),  # outside the root: the name only
    ("c.yaml", "/elsewhere/specs/c.yaml", True),
])
def test_gitignore_semantics(pattern, path, hit):
    assert _glob(path, pattern) is hit


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VIBESPEC_CACHE_DIR", str(tmp_path / ".cache"))
    (tmp_path / "specs" / "a").mkdir(parents=True)
    (tmp_path / "specs" / "c.viber.yaml").write_text(SPEC)
    (tmp_path / "specs" / "a" / "c.viber.yaml").write_text(SPEC)
    return tmp_path


def _files_with(code, *args):
    r = CliRunner().invoke(cli, ["lint", "--no-cache", "--format", "json", *args])
    assert r.exit_code in (0, 1), r.output
    return sorted(os.path.relpath(d["file"]) for d in json.loads(r.output) if d["code"] == code)


def test_double_star_matches_the_top_folder_too(project):
    (project / "pyproject.toml").write_text('[tool.vibespec.per-file-ignores]\n"specs/**/*.yaml" = ["VB420"]\n')
    assert _files_with("VB420", "specs") == []


def test_single_star_stays_in_its_folder(project):
    (project / "pyproject.toml").write_text('[tool.vibespec.per-file-ignores]\n"specs/*.yaml" = ["VB420"]\n')
    assert _files_with("VB420", "specs") == [os.path.join("specs", "a", "c.viber.yaml")]


def test_exclude_uses_the_same_semantics(project):
    (project / "pyproject.toml").write_text('[tool.vibespec]\nexclude = ["specs/*.yaml"]\n')
    assert _files_with("VB420", "specs") == [os.path.join("specs", "a", "c.viber.yaml")]


def test_relative_file_from_another_folder_matches_from_the_config_root(project, monkeypatch):
    (project / "pyproject.toml").write_text('[tool.vibespec.per-file-ignores]\n"specs/a/*.yaml" = ["VB420"]\n')
    cfg = load_config(None, search_from=str(project / "specs" / "a"))
    monkeypatch.chdir(project / "specs" / "a")
    assert not cfg.enabled("VB420", "c.viber.yaml")
    assert cfg.enabled("VB420", os.path.join("..", "c.viber.yaml"))


def test_no_per_file_ignores_does_not_import_the_matcher():
    import subprocess
    import sys

    code = ("import sys; from vibespec.config import Config; c = Config(ignore=('VB420',)); "
            "c.enabled('VB201', 'specs/a.viber.yaml'); c.excluded('specs/a.viber.yaml'); "
            "print('pathspec' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    c = Config(per_file_ignores=(("specs/**", ("VB420",)),))
    assert not c.enabled("VB420", "specs/x.viber.yaml") and c.enabled("VB420", "other/x.viber.yaml")
