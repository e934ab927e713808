"""Progress for long runs: files parsed on a terminal, nothing for short runs, with `-q`
or when stderr is not a terminal."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from analyzer.frontend.project import load_project
from analyzer.progress import Progress

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "patterns" / "routing"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_shown_before_the_delay():
    now = [0.0]
    stream = Tty()
    p = Progress(stream, delay=2.0, clock=lambda: now[0])
    p.step("parsed 1/10 files")
    assert stream.getvalue() == ""
    now[0] = 2.5
    p.step("parsed 9/10 files")
    p.done()
    assert "parsed 9/10 files" in stream.getvalue()
    assert "1/10" not in stream.getvalue()


def test_files_parsed_are_counted_on_a_terminal():
    stream = Tty()
    progress = Progress(stream, enabled=True)
    project = load_project([PROJECT], jobs=1, progress=progress)
    n = len(project.modules)
    assert f"parsed {n}/{n} files" in stream.getvalue()


def test_quiet_and_redirected_runs_write_nothing(capsys):
    from analyzer.cli import main

    for args in (["-q"], []):
        result = CliRunner().invoke(main, ["analyze", str(PROJECT), "-j", "1", *args])
        assert result.exit_code == 0, result.output
    assert capsys.readouterr().err == ""
