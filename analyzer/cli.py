"""The `archlint` command line: thin click commands over the pipeline modules.

Each command parses options, calls one pipeline function and writes its output; exit codes
follow DESIGN §5 (0 clean, 1 findings, 2 usage or internal error).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from analyzer import __version__
from analyzer.commands.common import (
    EXIT_USAGE,
    config_option,
    emit,
    jobs_option,
    load,
    markdown_option,
    output_option,
    paths_argument,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archlint")
def main() -> None:
    """archlint: find the LLM systems in a Python project, say who owns their sequence
    (a workflow pattern or an agent loop), and flag what makes them unsafe to run."""


@main.command()
@paths_argument
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@output_option
@markdown_option
@jobs_option
@config_option
def analyze(paths, fmt, output, markdown, jobs, config_path):
    """Classify every system and unit under PATHS and report their traits."""
    from analyzer.analysis import analyze_project
    from analyzer.report import render_json, render_text

    project = load(paths, markdown, jobs, config_path)
    result = analyze_project(project)
    emit(render_json(result) if fmt == "json" else render_text(result), output)


@main.command()
@paths_argument
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
@output_option
@markdown_option
@jobs_option
@config_option
def graph(paths, entries, fmt, output, markdown, jobs, config_path):
    """Print the project's call graph (PyCG JSON, our JSON, Graphviz dot or Mermaid)."""
    from analyzer.callgraph import build_call_graph
    from analyzer.callgraph.export import render_graph

    project = load(paths, markdown, jobs, config_path)
    cg = build_call_graph(project)
    text = render_graph(cg, fmt, entries=tuple(entries))
    if fmt == "mermaid":  # collapsed until Mermaid's default limits let it draw the graph
        from analyzer.report.graph_mermaid import fit_mermaid

        text = fit_mermaid(cg, text)
    emit(text, output)


@main.command()
@click.argument("pattern", required=False)
@click.option(
    "--async", "use_async", is_flag=True, help="Run it with the async API (analyzer.runtime.aio)."
)
def demo(pattern, use_async):
    """Run one reference-runtime pattern on a scripted model and print its trace.

    PATTERN is a pattern name as the README writes it, or its short name:
    agent_loop (agent), evaluator_optimizer (evaluate), orchestrator_workers
    (orchestrate), parallelization_voting (vote), parallelization_sectioning (parallel),
    routing (route), prompt_chaining (chain).
    """
    from analyzer.commands.demo_names import demo_choices, resolve_demo_pattern
    from analyzer.runtime.demo import DEMO_PATTERNS, run_demo

    resolved = resolve_demo_pattern(pattern, DEMO_PATTERNS) if pattern else None
    if resolved is None:
        raise click.UsageError(f"choose a pattern: {demo_choices(DEMO_PATTERNS)}")
    pattern = resolved
    click.echo(run_demo(pattern, use_async=use_async))


def _register_subcommands() -> None:
    """Command families live in their own modules (lint gate, reviews)."""
    import importlib

    for module_name in (
        "analyzer.commands.lint",
        "analyzer.commands.review",
        "analyzer.commands.scan",
    ):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register_subcommands()


def run() -> None:
    """Entry point that maps unexpected crashes to exit code 2 with a short message (one
    line and a hint; the traceback only with ARCHLINT_DEBUG=1), never a huge dump."""
    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # an internal error must not look like "findings"
        from analyzer.commands.internal_error import report

        report(exc)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    run()
