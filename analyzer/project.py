"""Load a project: discover its files, read them, and lower each into module facts.

This is the front half of the pipeline (discover -> load -> parse) behind one call, so
every command starts from the same `Project` and reports the same input errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analyzer import ir
from analyzer.config import Config, load_config
from analyzer.discover import discover
from analyzer.parse import FactsCache, parse_docs
from analyzer.sources import load_source


@dataclass(frozen=True)
class Project:
    """The facts of every analysed file, sorted by path, with every input diagnostic."""

    root: Path
    modules: tuple[ir.ModuleFacts, ...]
    errors: tuple[ir.Diagnostic, ...]
    config: Config


def load_project(
    paths: Sequence[Path],
    *,
    markdown: bool = False,
    jobs: int = 1,
    config: Config | None = None,
    cache_dir: Path | None = None,
) -> Project:
    """Discover, read and parse everything under `paths`; bad input becomes diagnostics."""
    paths = [Path(p) for p in paths]
    if config is None:
        start = paths[0] if paths else Path.cwd()
        config = load_config(start if start.is_dir() else start.parent)
    found = discover(paths, markdown=markdown or config.markdown, config=config)
    docs = [load_source(f.abspath, f.relpath) for f in found.files]
    cache = FactsCache(cache_dir) if cache_dir is not None else None
    modules = parse_docs(docs, jobs=jobs, cache=cache)
    errors = list(found.errors)
    for m in modules:
        errors.extend(m.errors)
    errors.sort(
        key=lambda d: (d.path, d.cell if d.cell is not None else -1, d.line or 0, d.message)
    )
    return Project(found.root, tuple(modules), tuple(errors), config)
