"""Review commands: `report` (architecture review), `classify` (buyer's summary) and
`proposal` (lint a proposal's prose against the code)."""

from __future__ import annotations

from pathlib import Path

import click

from analyzer.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    config_option,
    emit,
    jobs_option,
    load,
    markdown_option,
    output_option,
)
from analyzer.progress import Progress
from analyzer.report.summary import FULL_SYSTEMS, TOP_SYSTEMS

path_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)


def _analyse(paths, markdown, jobs, config_path, progress: Progress):
    from analyzer.analysis import analyze_project

    progress.step("reading files…")
    project = load(paths, markdown, jobs, config_path)
    progress.step(f"analysing {len(project.modules)} file(s)…")
    return analyze_project(project)


def _title(paths) -> str:
    first = Path(paths[0]).resolve()
    return first.name or str(first)


@click.command()
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "--full",
    type=click.IntRange(min=0),
    default=FULL_SYSTEMS,
    show_default=True,
    help="Review this many systems (riskiest first) in full, with their diagram; 0: all.",
)
@output_option
@markdown_option
@jobs_option
@config_option
def report(paths, fmt, full, output, markdown, jobs, config_path):
    """Architecture review, riskiest systems first: a summary, then each system's traits,
    a diagram of every path and its findings."""
    with Progress() as progress:
        result = _analyse(paths, markdown, jobs, config_path, progress)
        progress.step("writing the review…")
        if fmt == "html":
            from analyzer.report.html import render_html

            text = render_html(result, _title(paths), full=full)
        else:
            from analyzer.report.markdown import render_markdown

            text = render_markdown(result, _title(paths), full=full)
    _warn(result)
    emit(text, output)


def _warn(result) -> None:
    for w in result.warnings:
        click.echo(f"archlint: warning: {w}", err=True)


@click.command("classify")
@path_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=TOP_SYSTEMS,
    show_default=True,
    help="Describe this many systems (riskiest first) in full, the rest one line each; 0: all.",
)
@output_option
@markdown_option
@jobs_option
@config_option
def classify_cmd(paths, fmt, top, output, markdown, jobs, config_path):
    """One page per system for a buyer, riskiest first: workflow or agent loop, cost,
    audit, questions to put to the vendor."""
    from analyzer.report.buyer import render_buyer

    with Progress() as progress:
        result = _analyse(paths, markdown, jobs, config_path, progress)
    _warn(result)
    emit(render_buyer(result, fmt, top=top), output)


@click.command()
@click.argument("doc", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--code",
    "code_path",
    type=click.Path(exists=True, path_type=Path),
    help="Check the proposal's claims against this code.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@output_option
@jobs_option
@config_option
def proposal(doc, code_path, fmt, exit_zero, output, jobs, config_path):
    """Lint a proposal's wording about architecture; with --code, check its claims."""
    from analyzer.report.proposal import lint_proposal, render_proposal

    text = doc.read_text(encoding="utf-8", errors="replace")
    with Progress() as progress:
        doc_result = None
        if doc.suffix.lower() in (".md", ".markdown"):
            doc_result = _analyse((doc,), False, jobs, config_path, progress)
        code_result = None
        if code_path is not None:
            code_result = _analyse((code_path,), False, jobs, config_path, progress)
    rep = lint_proposal(doc.name, text, doc_result, code_result)
    emit(render_proposal(rep, fmt), output)
    raise SystemExit(EXIT_OK if exit_zero or not rep.findings else EXIT_FINDINGS)


COMMANDS = [report, classify_cmd, proposal]
