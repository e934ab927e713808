"""The wheel ships the analyzer with its rule pack inside it, and `archlint` runs from it.

The rule pack lives in `rules/` in the repository but must never install as a top-level
`rules` package (a popular PyPI name): it maps to `analyzer.builtin_rules`.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list(out.glob("archlint-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contents(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("archlint-")}
    assert tops == {"analyzer"}, tops
    assert "analyzer/builtin_rules/missing_stop_condition.py" in names
    assert "analyzer/schema/analyze.schema.json" in names
    assert not any(n.startswith("rules/") for n in names)


def test_archlint_runs_from_a_fresh_virtualenv(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    py = bindir / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True
    )
    # Dependencies come from this environment (no network), added after the install so
    # pip does not mistake this environment's archlint for the wheel's.
    Path(site, "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    example = REPO / "fixtures" / "patterns" / "agent_loop" / "raw_anthropic"
    run = subprocess.run(
        [str(bindir / "archlint"), "analyze", str(example), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # away from the source tree, so only the installed copy can import
    )
    assert run.returncode == 0, run.stderr
    assert '"schema_version": 1' in run.stdout
    where = subprocess.run(
        [str(py), "-c", "import analyzer.lint.engine as r; print(r.builtin_pack_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert where.endswith("analyzer/builtin_rules") and str(venv) in where
    top_rules = subprocess.run(
        [str(py), "-c", "import importlib.util as u; print(u.find_spec('rules'))"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert top_rules == "None"
