"""The `archlint` command line: thin click commands over the pipeline modules.

Each command parses options, calls one pipeline function and writes its output; exit codes
follow DESIGN §5 (0 clean, 1 findings, 2 usage or internal error).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from analyzer import __version__

EXIT_USAGE = 2

_paths = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
_markdown = click.option(
    "--markdown/--no-markdown",
    default=False,
    help="Also analyse Python blocks in Markdown files found in folders.",
)
_jobs = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Parallel parse processes."
)
_output = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)
_config = click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read [tool.archlint] from this pyproject.toml instead of the nearest one.",
)


def _default_jobs() -> int:
    import os

    return max(1, min(4, os.cpu_count() or 1))


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")


def _load(paths, markdown, jobs, config_path):
    from analyzer.config import ConfigError, load_config
    from analyzer.project import load_project

    explicit_md = any(p.suffix == ".md" for p in paths)
    try:
        start = paths[0] if paths[0].is_dir() else paths[0].parent
        config = load_config(start, config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    return load_project(
        paths,
        markdown=markdown or explicit_md,
        jobs=jobs or _default_jobs(),
        config=config,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archlint")
def main() -> None:
    """archlint: find the LLM systems in a Python project, say who owns their sequence
    (a workflow pattern or an agent loop), and flag what makes them unsafe to run."""


@main.command()
@_paths
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_output
@_markdown
@_jobs
@_config
def analyze(paths, fmt, output, markdown, jobs, config_path):
    """Classify every system and unit under PATHS and report their traits."""
    from analyzer.analysis import analyze_project
    from analyzer.report import render_json, render_text

    project = _load(paths, markdown, jobs, config_path)
    result = analyze_project(project)
    _emit(render_json(result) if fmt == "json" else render_text(result), output)


@main.command()
@_paths
@click.option(
    "--entry",
    "entries",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Entry file (repeatable); its module body is where PyCG's output starts.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pycg", "json", "dot", "mermaid"]),
    default="json",
    show_default=True,
)
@_output
@_markdown
@_jobs
@_config
def graph(paths, entries, fmt, output, markdown, jobs, config_path):
    """Print the project's call graph (PyCG JSON, our JSON, Graphviz dot or Mermaid)."""
    from analyzer.callgraph import build_call_graph
    from analyzer.callgraph.export import render_graph

    project = _load(paths, markdown, jobs, config_path)
    cg = build_call_graph(project)
    _emit(render_graph(cg, fmt, entries=tuple(entries)), output)


@main.command()
@click.argument("pattern", required=False)
def demo(pattern):
    """Run one reference-runtime pattern on a scripted model and print its trace."""
    from analyzer.runtime.demo import DEMO_PATTERNS, run_demo

    if pattern is None or pattern not in DEMO_PATTERNS:
        raise click.UsageError(f"choose a pattern: {', '.join(DEMO_PATTERNS)}")
    click.echo(run_demo(pattern))


def run() -> None:
    """Entry point that maps unexpected crashes to exit code 2 with a short message."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # an internal error must not look like "findings"
        click.echo(f"archlint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    run()
