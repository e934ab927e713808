"""Load a project: discover its files, read them, and lower each into module facts.

This is the front half of the pipeline (discover -> load -> parse) behind one call, so
every command starts from the same `Project` and reports the same input errors.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from analyzer import ir
from analyzer.frontend.discover import discover
from analyzer.frontend.gcpause import paused_gc
from analyzer.frontend.parse import FactsCache, parse_docs
from analyzer.frontend.sources import load_source
from analyzer.lint.config import Config, load_config
from analyzer.progress import LONG_RUN_DELAY, REDRAW_INTERVAL, Progress


@dataclass(frozen=True)
class Project:
    """The facts of every analysed file, sorted by path, with every input diagnostic."""

    root: Path
    modules: tuple[ir.ModuleFacts, ...]
    errors: tuple[ir.Diagnostic, ...]
    config: Config
    cache_dir: Path | None = None  # where facts and results are cached (ARCHLINT_CACHE_DIR)
    # hash of every input (paths, kinds, content digests, input diagnostics), when cached
    inputs_key: str | None = None


class LazyModules(Sequence):
    """The modules of a project whose whole analysis may come from the cache: facts are
    read (or parsed) only when something iterates them, so a warm run never unpickles
    them."""

    def __init__(self, load: Callable[[], list[ir.ModuleFacts]], count: int) -> None:
        self._load_fn = load
        self._count = count
        self._items: tuple[ir.ModuleFacts, ...] | None = None

    def _items_now(self) -> tuple[ir.ModuleFacts, ...]:
        if self._items is None:
            self._items = tuple(self._load_fn())
        return self._items

    def __len__(self) -> int:
        return self._count if self._items is None else len(self._items)

    def __getitem__(self, index):
        return self._items_now()[index]

    def __iter__(self):
        return iter(self._items_now())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _inputs_key(cache: FactsCache, root: Path, docs, found_errors) -> str | None:
    """Hash of everything the facts come from; None when a file has no digest."""
    import hashlib

    h = hashlib.sha256(cache.version.encode())
    h.update(str(root).encode("utf-8", "surrogateescape"))
    for d in docs:
        if not d.digest:
            return None
        h.update(f"\0{d.path}\0{d.kind}\0{d.digest}".encode("utf-8", "surrogateescape"))
        h.update(repr(d.errors).encode("utf-8", "surrogateescape"))
    h.update(repr(tuple(found_errors)).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _errors_file(cache: FactsCache, key: str) -> Path:
    return cache.directory / "inputs" / f"{key}.pickle"


@paused_gc()
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

        def parse(show: bool = True) -> list[ir.ModuleFacts]:
            return parse_docs(
                docs,
                jobs=jobs,
                cache=cache,
                executor=executor,
                progress=(lambda d, t: progress.step(f"parsed {d}/{t} files")) if show else None,
                time_limit=time_limit,
            )

        key = _inputs_key(cache, found.root, docs, found.errors) if cache else None
        known = _read_errors(cache, key) if cache and key else None
        if known is not None:  # warm: facts are read only if the analysis needs them
            lazy = LazyModules(lambda: parse(show=False), len(docs))
            return Project(found.root, lazy, known, config, cache_dir, key)  # type: ignore[arg-type]
        modules = parse()
    finally:
        if own_progress:
            progress.done()
    errors = list(found.errors)
    for m in modules:
        errors.extend(m.errors)
    errors.sort(
        key=lambda d: (d.path, d.cell if d.cell is not None else -1, d.line or 0, d.message)
    )
    if cache is not None and key is not None:
        with suppress(Exception):
            cache.write(_errors_file(cache, key), pickle.dumps(tuple(errors)))
    return Project(found.root, tuple(modules), tuple(errors), config, cache_dir, key)


def _read_errors(cache: FactsCache, key: str) -> tuple[ir.Diagnostic, ...] | None:
    """The input diagnostics of a project seen before (facts cached), or None."""
    blob = cache.read(_errors_file(cache, key))
    if blob is None:
        return None
    try:
        errors = pickle.loads(blob)
    except Exception:
        return None
    if isinstance(errors, tuple) and all(isinstance(e, ir.Diagnostic) for e in errors):
        return errors
    return None
