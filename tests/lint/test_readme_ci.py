"""The README's CI examples work as written: the GitHub Actions workflow's commands run in
a shell on a small repository, and the pre-commit hook runs through its entry command.

No network: the workflow's install step is checked for its repository and rev, then
stands in for itself (this checkout's archlint is put on PATH); `uses:` steps are checked,
not run. The hook is run as pre-commit would run it: the hook's `entry` with the args the
README's `.pre-commit-config.yaml` gives.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer import __version__
from tests.lint.conftest import CLEAN, RETRY, write_project

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
HOOKS = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")


def _yaml_blocks() -> list[str]:
    section = README.split("## CI and pre-commit", 1)[1]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)


def _block(marker: str) -> str:
    (block,) = [b for b in _yaml_blocks() if marker in b]
    return block


def _shim(tmp_path: Path) -> dict[str, str]:
    """PATH with an `archlint` that runs this checkout, as `pip install` would provide."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "archlint"
    exe.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m analyzer.cli "$@"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return env


def _sh(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _repo(tmp_path: Path, app: str) -> Path:
    return write_project(
        tmp_path / "repo",
        {"src/app.py": app, "tests/test_app.py": RETRY, "examples/demo.py": RETRY},
    )


def test_workflow_commands_run_and_upload_even_when_check_fails(tmp_path):
    workflow = _block("jobs:")
    runs = re.findall(r"^\s*-?\s*run: (.+)$", workflow, re.M)
    install = [r for r in runs if "pip install" in r]
    assert len(install) == 1
    assert "github.com/archlint/archlint" in install[0] and f"@v{__version__}" in install[0]
    # the upload step runs whatever `check` exited with, and uploads what it wrote
    upload = workflow.split("upload-sarif", 1)[0].rsplit("- ", 1)[1]
    assert "if: always()" in upload
    out = re.search(r"sarif_file: (\S+)", workflow).group(1)
    assert "security-events: write" in workflow

    env = _shim(tmp_path)
    repo = _repo(tmp_path, RETRY)
    (repo / "pyproject.toml").write_text('[tool.archlint]\nextend-exclude = ["examples"]\n')
    codes = [_sh(cmd, repo, env) for cmd in runs if cmd not in install]
    assert [c.returncode for c in codes] == [1], [c.stderr for c in codes]  # findings: fails
    log = json.loads((repo / out).read_text())
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in log["runs"][0]["results"]
        for loc in res["locations"]
    }
    # relative to the repository root; tests are apart and examples excluded
    assert uris == {"src/app.py"}

    clean = _repo(tmp_path / "clean", CLEAN)
    (clean / "pyproject.toml").write_text('[tool.archlint]\nextend-exclude = ["examples"]\n')
    codes = [_sh(cmd, clean, env).returncode for cmd in runs if cmd not in install]
    assert codes == [0]


def _hook() -> dict[str, object]:
    entry = re.search(r"^\s*entry: (.+)$", HOOKS, re.M).group(1)
    args = json.loads(re.search(r"^\s*args: (\[.*\])$", HOOKS, re.M).group(1))
    hook_id = re.search(r"^- id: (\S+)", HOOKS, re.M).group(1)
    return {"id": hook_id, "entry": entry, "args": args}


def test_pre_commit_example_runs_through_the_hook_entry(tmp_path):
    config = _block("repos:")
    assert re.search(r"repo: https://github.com/archlint/archlint\b", config)
    assert re.search(rf"rev: v{re.escape(__version__)}\b", config)
    hook = _hook()
    assert re.search(rf"- id: {hook['id']}\b", config)
    m = re.search(r"args: (\[.*\])", config)
    args = json.loads(m.group(1)) if m else hook["args"]  # the config's args replace the hook's
    assert "pass_filenames: false" in HOOKS  # the whole project, not the staged files
    command = " ".join([str(hook["entry"]), *map(shlex.quote, args)])

    env = _shim(tmp_path)
    bad = _repo(tmp_path / "bad", RETRY)
    r = _sh(command, bad, env)
    assert r.returncode == 1 and "AL102" in r.stdout, r.stdout + r.stderr
    good = _repo(tmp_path / "good", CLEAN)
    (good / "pyproject.toml").write_text('[tool.archlint]\nextend-exclude = ["examples"]\n')
    r = _sh(command, good, env)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("phrase", ["include-tests", "extend-exclude", "-j N", "contains"])
def test_readme_explains_the_switches_and_the_output(phrase):
    assert phrase in README
