"""Options and helpers shared by every subcommand."""

from __future__ import annotations

import os
from pathlib import Path

import click

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
markdown_option = click.option(
    "--markdown/--no-markdown",
    default=False,
    help="Also analyse Python blocks in Markdown files found in folders.",
)
_jobs = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel parse processes (default: the core count).",
)


def _set_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta["archlint.quiet"] = True
    return value


_quiet = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    expose_value=False,
    callback=_set_quiet,
    help="No progress on stderr.",
)


def jobs_option(f):
    """`-j N` and `-q` (no progress), on every command that reads a project."""
    return _jobs(_quiet(f))


output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read [tool.archlint] from this file instead of the nearest pyproject.toml.",
)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


class ConfigUsageError(click.ClickException):
    """A configuration (or an output file) that cannot be used: one line on stderr, exit 2
    (no usage banner, which would point at the command line when the problem is in a
    file)."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"archlint: {self.format_message()}", err=True)


def utf8_safe(text: str) -> str:
    """`text` with lone surrogates (undecodable bytes in file names, kept by Python as
    `\\udcff`) written as backslash escapes, so the output is always valid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def emit(text: str, output: Path | None) -> None:
    """Write to the file named by -o, else to stdout (always valid UTF-8)."""
    text = utf8_safe(text)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigUsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def load(paths, markdown: bool, jobs: int | None, config_path: Path | None):
    """Config, then the project; a bad config is a usage error (exit 2)."""
    from analyzer.frontend.project import load_project
    from analyzer.lint.config import ConfigError, load_config

    try:
        start = paths[0] if paths[0].is_dir() else paths[0].parent
        config = load_config(start, config_path)
    except ConfigError as exc:
        raise ConfigUsageError(str(exc)) from exc
    cache = os.environ.get("ARCHLINT_CACHE_DIR")
    ctx = click.get_current_context(silent=True)
    return load_project(
        paths,
        markdown=markdown,
        jobs=jobs or default_jobs(),
        config=config,
        cache_dir=Path(cache) if cache else None,
        quiet=bool(ctx and ctx.meta.get("archlint.quiet")),
    )
