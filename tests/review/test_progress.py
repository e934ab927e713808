"""Progress goes to a terminal only; redirected stderr stays empty."""

from __future__ import annotations

import io

from analyzer.progress import Progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_written_when_not_a_terminal():
    stream = io.StringIO()
    with Progress(stream) as p:
        p.step("reading files…")
    assert stream.getvalue() == ""


def test_status_line_is_shown_and_cleared_on_a_terminal():
    stream = Tty()
    with Progress(stream) as p:
        p.step("reading files…")
        p.step("analysing…")
    out = stream.getvalue()
    assert "reading files…" in out and "analysing…" in out
    assert out.endswith("\r\x1b[2K")


def test_cli_report_writes_nothing_to_redirected_stderr(tmp_path):
    from click.testing import CliRunner

    from analyzer.cli import main
    from tests.review.test_reports import FIXTURES

    result = CliRunner().invoke(
        main,
        ["report", str(FIXTURES / "patterns/single_call/raw_openai"), "-o", str(tmp_path / "r.md")],
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
