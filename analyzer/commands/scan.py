"""`archlint scan`: many repositories, one task each, one portfolio report.

The command only gathers paths and options and picks the executor; the work and the
report live in `analyzer.portfolio`, so the output is the same on every executor.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from analyzer import __version__
from analyzer.commands.common import (
    EXIT_USAGE,
    config_option,
    emit,
    markdown_option,
    output_option,
)
from analyzer.progress import Progress


@click.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--from",
    "from_file",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="Read repository paths from FILE, one a line ('-' for stdin; '#' lines are comments).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True
)
@output_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the Dask cluster at this scheduler address (tcp://host:8786).",
)
@click.option("--dask", is_flag=True, help="Run on a local Dask cluster of -j workers.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Repositories analysed at once on this machine (default: the core count).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Riskiest systems listed in the Markdown report.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@markdown_option
@config_option
def scan(paths, from_file, fmt, output, scheduler, dask, jobs, top, quiet, markdown, config_path):
    """Analyse many repositories and write a portfolio report, riskiest systems first.

    A repository that cannot be analysed is an error entry in the report; the scan goes on.
    """
    from analyzer.portfolio import (
        ExecutorError,
        build_portfolio,
        make_tasks,
        open_executor,
        read_path_list,
        render_portfolio_json,
        render_portfolio_markdown,
        run_tasks,
    )

    listed = list(paths) + (read_path_list(from_file.read()) if from_file else [])
    if not listed:
        raise click.UsageError("give repository paths or --from FILE")
    if scheduler and dask:
        raise click.UsageError("--scheduler and --dask cannot be combined")
    cache = os.environ.get("ARCHLINT_CACHE_DIR")
    tasks = make_tasks(
        listed,
        markdown=markdown,
        config_path=str(Path(config_path).resolve()) if config_path else None,
        cache_dir=str(Path(cache).resolve()) if cache else None,
    )
    workers = jobs or os.cpu_count() or 1
    with Progress(enabled=False if quiet else None) as progress:
        progress.step(f"0/{len(tasks)} repositories done")
        try:
            with open_executor(
                scheduler=scheduler, dask=dask, jobs=min(workers, len(tasks))
            ) as executor:
                results = run_tasks(
                    tasks,
                    executor,
                    on_done=lambda k, n: progress.step(f"{k}/{n} repositories done"),
                )
        except ExecutorError as exc:
            click.echo(f"archlint: {exc}", err=True)
            raise SystemExit(EXIT_USAGE) from exc
    portfolio = build_portfolio(results, __version__)
    if fmt == "markdown":
        emit(render_portfolio_markdown(portfolio, top=top), output)
    else:
        emit(render_portfolio_json(portfolio), output)
    failed = portfolio["totals"]["failed"]
    if failed:
        click.echo(
            f"archlint: {failed} of {len(tasks)} repositories could not be analysed "
            "(see their errors in the report)",
            err=True,
        )


COMMANDS = [scan]
