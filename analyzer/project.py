"""Load a project: discover its files, read them, and lower each into module facts.

This is the front half of the pipeline (discover -> load -> parse) behind one call, so
every command starts from the same `Project` and reports the same input errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from analyzer import ir
from analyzer.config import Config, load_config
from analyzer.discover import discover
from analyzer.parse import FactsCache, parse_docs
from analyzer.progress import LONG_RUN_DELAY, REDRAW_INTERVAL, Progress
from analyzer.sources import load_source


@dataclass(frozen=True)
class Project:
    """The facts of every analysed file, sorted by path, with every input diagnostic."""

    root: Path
    modules: tuple[ir.ModuleFacts, ...]
    errors: tuple[ir.Diagnostic, ...]
    config: Config
    cache_dir: Path | None = None  # where facts and results are cached (ARCHLINT_CACHE_DIR)


def load_project(
    paths: Sequence[Path],
    *,
    markdown: bool = False,
    jobs: int | None = None,
    config: Config | None = None,
    cache_dir: Path | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    quiet: bool = False,
    time_limit: float | None = None,
) -> Project:
    """Discover, read and parse everything under `paths`; bad input becomes diagnostics.

    Per-file parsing maps over `executor` when one is given (the seam for Dask), else over
    `jobs` processes (`None`: one per core). Progress (files parsed) goes to stderr for
    long runs when it is a terminal, unless `quiet`. `time_limit` bounds, in seconds, the
    parse of a file only libcst can read (`ARCHLINT_FILE_TIMEOUT`, default 60).
    """
    paths = [Path(p) for p in paths]
    if config is None:
        start = paths[0] if paths else Path.cwd()
        config = load_config(start if start.is_dir() else start.parent)
    own_progress = progress is None
    if progress is None:
        progress = Progress(
            enabled=False if quiet else None, delay=LONG_RUN_DELAY, interval=REDRAW_INTERVAL
        )
    try:
        found = discover(paths, markdown=markdown or config.markdown, config=config)
        docs = [load_source(f.abspath, f.relpath) for f in found.files]
        cache = FactsCache(cache_dir) if cache_dir is not None else None
        modules = parse_docs(
            docs,
            jobs=jobs,
            cache=cache,
            executor=executor,
            progress=lambda done, total: progress.step(f"parsed {done}/{total} files"),
            time_limit=time_limit,
        )
    finally:
        if own_progress:
            progress.done()
    errors = list(found.errors)
    for m in modules:
        errors.extend(m.errors)
    errors.sort(
        key=lambda d: (d.path, d.cell if d.cell is not None else -1, d.line or 0, d.message)
    )
    return Project(found.root, tuple(modules), tuple(errors), config, cache_dir)
