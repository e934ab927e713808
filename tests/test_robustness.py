"""Regression tests for issue 16: one bad input never fails the whole run.

Each test is one reproducer: a pathological input line, a bad glob in `.gitignore` or in
our config, odd bytes in file names, and the "internal errors" that used to end the run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from analyzer.frontend.discover import discover
from analyzer.frontend.gitignore import compile_glob, glob_matches, glob_problems, glob_to_regex
from analyzer.frontend.sources import blank_magics, load_source
from analyzer.lint.config import ConfigError, load_config

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


def _input_regexes():
    """Every regex applied to input text, with the worst inputs we know for each."""
    from analyzer.frontend.sources import _CLOSE, _FENCE, _MAGIC_TARGET
    from analyzer.lint.baseline import _LINE_REFS
    from analyzer.lint.engine import SUPPRESS, SUPPRESS_FILE

    n = 50_000
    return [
        (
            SUPPRESS.search,
            ["#" + " " * n, "# archlint:" + " " * n + "x", "# archlint: ignore[" + "a" * n],
        ),
        (SUPPRESS_FILE.search, ["#" + " " * n, "# archlint: ignore-file[" + "a," * n]),
        (_LINE_REFS.search, ["line " + " " * n, "lines 1" + " " * n + "-", ":1" * n]),
        (_FENCE.match, [" " * n, " " * n + "`", "~" * n + " " * n + "x"]),
        (_CLOSE.match, [" " * n, "`" * n + " " * n + "x", "`" * n + "~"]),
        (_MAGIC_TARGET.fullmatch, ["a " * n + "=", "[" * n + "("]),
    ]


def test_every_input_regex_is_linear_on_its_worst_inputs() -> None:
    for apply, texts in _input_regexes():
        for text in texts:
            with fast():
                apply(text)


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


# --------------------------------------------------------------------------- the CLI

RETRY_LATIN1 = (
    "# -*- coding: latin-1 -*-\r\n"
    "# caf\u00e9 cr\u00e8me\r\n"
    "import anthropic\r\n"
    "from tenacity import retry\r\n"
    "client = anthropic.Anthropic(max_retries=0)\r\n"
    "\r\n"
    "@retry\r\n"
    "def ask(p):\r\n"
    '    return client.messages.create(model="m", max_tokens=5, messages=[])\r\n'
).encode("latin-1")


def cli(*args: object, env: dict[str, str] | None = None):
    from click.testing import CliRunner

    from analyzer.cli import main

    return CliRunner(env=env).invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_error_line(result) -> str:
    """The run failed with exit 2 and said why on exactly one stderr line."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("archlint: ") and "Usage:" not in result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    ("count", "needle"),
    [
        ("Infinity", "Infinity is not valid JSON"),
        ("NaN", "NaN is not valid JSON"),
        ("-1", "'count' must be a non-negative integer"),
        ("1.5", "'count' must be a non-negative integer"),
        ('"2"', "'count' must be a non-negative integer"),
    ],
)
def test_malformed_baseline_is_one_line_exit_2(tmp_path: Path, count: str, needle: str) -> None:
    root = write(tmp_path / "p", {"a.py": ASK})
    entry = f'{{"rule": "r", "path": "a.py", "unit": null, "fingerprint": "f", "count": {count}}}'
    base = tmp_path / "b.json"
    base.write_text(f'{{"version": 1, "tool": "archlint", "findings": [{entry}]}}')
    assert needle in one_error_line(cli("check", root, "--baseline", base))


@pytest.mark.parametrize("findings", ['"x"', "[1]", '[{"rule": 1}]', "[" * 100_000 + "]" * 100_000])
def test_baseline_structure_problems_are_one_line(tmp_path: Path, findings: str) -> None:
    root = write(tmp_path / "p", {"a.py": ASK})
    base = tmp_path / "b.json"
    base.write_text(f'{{"version": 1, "findings": {findings}}}')
    assert "baseline" in one_error_line(cli("check", root, "--baseline", base))


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("exclude = 3", "pyproject.toml: 'exclude' must be a list of strings"),
        ('extend-exclude = ["[z-a]"]', "'extend-exclude': bad glob pattern '[z-a]'"),
    ],
)
def test_config_error_is_one_line_without_usage_banner(
    tmp_path: Path, body: str, needle: str
) -> None:
    root = write(tmp_path, {"a.py": ASK, "pyproject.toml": f"[tool.archlint]\n{body}\n"})
    for command in ("analyze", "check", "graph"):
        assert needle in one_error_line(cli(command, root))


def test_fix_attempts_of_wrong_type_is_a_config_error(tmp_path: Path) -> None:
    table = '[tool.archlint.rules.unbounded-retry]\nfix-attempts = "three"\n'
    root = write(tmp_path, {"a.py": RETRY_LATIN1, "pyproject.toml": table})
    line = one_error_line(cli("check", root, "--diff"))
    assert "fix-attempts must be a positive integer, got 'three'" in line


def test_diff_and_fix_keep_a_latin1_file_in_latin1(tmp_path: Path) -> None:
    root = write(tmp_path, {"a.py": RETRY_LATIN1})
    r = cli("check", root, "--diff")
    assert r.exit_code == 1, r.output
    assert "+@retry(stop=stop_after_attempt(3))" in r.stdout
    assert (root / "a.py").read_bytes() == RETRY_LATIN1
    r = cli("check", root, "--fix", "--select", "AL102")
    assert r.exit_code == 0, r.output
    after = (root / "a.py").read_bytes()
    assert "caf\u00e9 cr\u00e8me\r\n".encode("latin-1") in after  # same encoding
    assert b"@retry(stop=stop_after_attempt(3))\r\n" in after  # same newlines
    assert b"from tenacity import retry, stop_after_attempt\r\n" in after


def test_fixer_leaves_files_it_cannot_handle() -> None:
    from analyzer.lint.fix import fix_source

    deep = "import tenacity\nx = " + "(" * 3000 + "1" + ")" * 3000 + "\n"
    assert fix_source(deep).fixed == 0
    assert fix_source('x = "a" b"b"\n').fixed == 0


ODD_NAMES = [b"b\xff.py", b"line\nbreak.py", b"tab\there.py", b"caf\xc3\xa9.py", b"q'\"<&>.py"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_odd_file_names_give_valid_utf8_in_every_format(tmp_path: Path, fmt: str) -> None:
    import os

    root = tmp_path / "p"
    root.mkdir()
    for name in ODD_NAMES:
        with open(os.path.join(os.fsencode(root), name), "wb") as fh:
            fh.write(ASK.encode())
    (root / "plain.py").write_text(ASK)
    out = tmp_path / f"out.{fmt}"
    r = cli("check", root, "--format", fmt, "-o", out)
    assert r.exit_code == 1, r.output
    text = out.read_bytes().decode("utf-8")  # strict: raises on invalid UTF-8
    shown = json.dumps("b\\xff.py")[1:-1] if fmt in ("json", "sarif") else "b\\xff.py"
    assert shown in text and "plain.py" in text
    r = cli("check", root, "--format", fmt)
    r.stdout_bytes.decode("utf-8")
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt == "github":
        assert len(text.strip().splitlines()) == len(ODD_NAMES) + 1  # one line each
    r = cli("analyze", root, "--format", "json")
    units = json.loads(r.stdout_bytes.decode("utf-8"))["units"]
    assert {u["path"] for u in units} == {
        "b\\xff.py",
        "line\\x0abreak.py",
        "tab\\x09here.py",
        "caf\u00e9.py",
        "q'\"<&>.py",
        "plain.py",
    }


class _Huge:
    """Stands for the libcst node a KeyError once held: rendering it must not happen."""

    def __repr__(self) -> str:
        raise RecursionError("maximum recursion depth exceeded")


def _crash(monkeypatch, exc: BaseException) -> None:
    import analyzer.analysis

    def boom(project):
        raise exc

    monkeypatch.setattr(analyzer.analysis, "analyze_project", boom)


@pytest.mark.parametrize(
    "exc", [KeyError(_Huge()), RuntimeError("x" * 10_000_000), ValueError("a\nb\nc")]
)
def test_internal_error_is_one_short_line_and_a_hint(
    tmp_path: Path, monkeypatch, capsys, exc: BaseException
) -> None:
    import sys

    from analyzer.cli import run

    root = write(tmp_path, {"a.py": ASK})
    _crash(monkeypatch, exc)
    monkeypatch.delenv("ARCHLINT_DEBUG", raising=False)
    monkeypatch.setattr(sys, "argv", ["archlint", "analyze", str(root)])
    with pytest.raises(SystemExit) as info:
        run()
    assert info.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 2 and len(err) < 1000, err
    assert lines[0].startswith(f"archlint: internal error: {type(exc).__name__}")
    assert "ARCHLINT_DEBUG=1" in lines[1]


def test_internal_error_traceback_only_in_debug_mode(tmp_path: Path, monkeypatch, capsys) -> None:
    import sys

    from analyzer.cli import run

    root = write(tmp_path, {"a.py": ASK})
    _crash(monkeypatch, RuntimeError("kaputt"))
    monkeypatch.setenv("ARCHLINT_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["archlint", "analyze", str(root)])
    with pytest.raises(SystemExit):
        run()
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError: kaputt" in err


def test_check_internal_error_is_short_too(tmp_path: Path, monkeypatch) -> None:
    import analyzer.commands.lint as lint

    def boom(project):
        raise KeyError(_Huge())

    monkeypatch.setattr(lint, "_analyze", boom)
    monkeypatch.delenv("ARCHLINT_DEBUG", raising=False)
    r = cli("check", write(tmp_path, {"a.py": ASK}))
    assert r.exit_code == 2
    assert r.stderr.startswith("archlint: internal error: KeyError: <_Huge>")


def test_markdown_syntax_error_message_and_line_agree(tmp_path: Path) -> None:
    from analyzer.frontend.project import load_project
    from analyzer.lint.config import Config

    (tmp_path / "a.md").write_text("# Title\n\ntext\n\n```python\nx = 1\ndef f(:\n```\n")
    project = load_project([tmp_path / "a.md"], config=Config())
    [error] = project.errors
    assert error.line == 7
    assert f"line {error.line}" in error.message


def test_unwritable_output_and_baseline_are_one_line_exit_2(tmp_path: Path) -> None:
    root = write(tmp_path / "p", {"a.py": ASK})
    missing = tmp_path / "no" / "such"
    line = one_error_line(cli("analyze", root, "-o", missing / "out.txt"))
    assert "cannot write" in line and "No such file or directory" in line
    line = one_error_line(cli("check", root, "--write-baseline", missing / "b.json"))
    assert "cannot write baseline" in line


def test_lone_surrogate_in_a_notebook_cell_costs_one_statement(tmp_path: Path) -> None:
    """JSON may escape a lone surrogate ("\\ud800"); no parser takes one, so the cell was
    lost. Now it reads as U+FFFD with a diagnostic, and the rest of the cell counts."""
    body = "def ask(p):\n    return client.messages.create(model='m', messages=[])\n"
    nb = {
        "metadata": {},
        "cells": [
            {"cell_type": "code", "source": "import anthropic\nclient = anthropic.Anthropic()\n"},
            {"cell_type": "code", "source": "note = '\ud800'\n" + body},
        ],
    }
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    doc = load_source(tmp_path / "n.ipynb", "n.ipynb")
    assert [(e.line, e.cell) for e in doc.errors] == [(1, 1)]
    assert "lone surrogate" in doc.errors[0].message
    assert doc.cells[1].code == "note = '\ufffd'\n" + body


def test_a_fifo_named_gitignore_does_not_block_discovery(tmp_path: Path) -> None:
    import os

    write(tmp_path, {"a.py": ASK, "sub/b.py": ASK})
    os.mkfifo(tmp_path / ".gitignore")
    os.mkfifo(tmp_path / "sub" / ".gitignore")
    with fast(5):
        found = discover([tmp_path], config=load_config(tmp_path))
    assert [f.relpath for f in found.files] == ["a.py", "sub/b.py"]
