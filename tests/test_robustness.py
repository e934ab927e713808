"""Regression tests for issue 16: one bad input never fails the whole run.

Each test is one reproducer: a pathological input line, a bad glob in `.gitignore` or in
our config, odd bytes in file names, and the "internal errors" that used to end the run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from analyzer.config import ConfigError, load_config
from analyzer.discover import discover
from analyzer.gitignore import compile_glob, glob_matches, glob_problems, glob_to_regex
from analyzer.sources import blank_magics, load_source

ASK = """\
import anthropic

client = anthropic.Anthropic(max_retries=0)


def ask(prompt):
    return client.messages.create(model="m", max_tokens=64, messages=[{"role": "user", "content": prompt}])
"""


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return root


def fast(seconds: float = 1.0):
    """A context manager asserting its body ran in under `seconds` (catastrophic
    backtracking takes minutes, so the margin is wide on a loaded machine)."""

    class _Timer:
        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            if exc[0] is None:
                assert time.perf_counter() - self.start < seconds

    return _Timer()


# --------------------------------------------------------------------------- regexes


@pytest.mark.parametrize(
    "line",
    [
        " " * 20_000,
        "a" * 20_000 + " =",
        "(" + " " * 20_000 + "x",
        "x" + " ," * 10_000 + " == %y",
        "[" * 10_000 + "= 1",
    ],
)
def test_magic_detection_is_linear(line: str) -> None:
    with fast():
        assert blank_magics(line) == line


def test_magic_assignments_still_blanked() -> None:
    src = "files = !ls\nx, y = %time f()\na[0].b = !pwd\nz = a != b\nw == %x"
    assert blank_magics(src).split("\n") == ["", "", "", "z = a != b", "w == %x"]


def test_notebook_line_of_spaces_loads_quickly(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "source": " " * 5000 + "\n"}], "metadata": {}}
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    with fast():
        doc = load_source(tmp_path / "n.ipynb", "n.ipynb")
    assert doc.errors == () and len(doc.cells) == 1


@pytest.mark.parametrize(
    "pattern",
    ["*a*a*a*a*a*a*a*a*b", "**/a/**/a/**/a/**/a/**/b", "*[ab]*[ab]*?*[ab]*c", "a*/*a*/**/*b"],
)
def test_globs_do_not_backtrack(pattern: str) -> None:
    glob = compile_glob(pattern)
    with fast():
        assert not glob.fullmatch("a" * 255)
        assert not glob.fullmatch("/".join(["a" * 20] * 200))
    import re

    rx = re.compile(glob_to_regex(pattern), re.DOTALL)
    with fast():
        assert rx.fullmatch("a" * 5000) is None


# --------------------------------------------------------------------------- globs


def test_reversed_range_matches_nothing_and_is_reported() -> None:
    assert glob_problems("[z-a]") == ["reversed character range z-a"]
    assert glob_problems("*.py[co]") == []
    assert not glob_matches("[z-a]", "z")
    assert glob_matches("[z-ab]", "b")  # the rest of the class still counts, as in git
    assert not glob_matches("x[!z-a]", "x/")  # a negated class never matches a slash


def test_posix_classes_and_escapes_in_classes() -> None:
    assert glob_matches("v[[:digit:]].py", "v1.py")
    assert not glob_matches("v[[:digit:]].py", "vx.py")
    assert glob_matches("[\\]]x", "]x")
    assert glob_matches("[a-\\z]", "q")


def test_bad_gitignore_line_is_inert_like_git(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": ASK, "skip.py": ASK, ".gitignore": "[z-a]\n[\nskip.py\n"})
    found = discover([tmp_path], config=load_config(tmp_path))
    assert [f.relpath for f in found.files] == ["a.py"]
    assert found.errors == ()


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('extend-exclude = ["ok", "[z-a]"]', "'extend-exclude': bad glob pattern '[z-a]'"),
        ('exclude = ["x[9-0]y"]', "'exclude': bad glob pattern 'x[9-0]y'"),
        ('per-file-ignores = { "[z-a].py" = ["AL101"] }', "'per-file-ignores': bad glob"),
    ],
)
def test_bad_glob_in_config_is_a_config_error(tmp_path: Path, body: str, needle: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.archlint]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert needle in str(info.value)
    assert "reversed character range" in str(info.value)


def test_deeply_nested_toml_is_a_config_error(tmp_path: Path) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    (tmp_path / "pyproject.toml").write_text(f"[tool.archlint]\nx = {deep}\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(tmp_path)


@pytest.mark.parametrize("value", ['"three"', "0", "-1", "true", "2.5"])
def test_fix_limits_must_be_positive_integers(tmp_path: Path, value: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.archlint.rules.unbounded-retry]\nfix-attempts = {value}\n"
    )
    with pytest.raises(ConfigError, match="fix-attempts must be a positive integer"):
        load_config(tmp_path)
