"""Turn loaded sources into module facts: in parallel processes, cached by content hash.

Workers receive plain `SourceDoc`s and return plain `ModuleFacts`, so nothing but pickled
data crosses a process boundary, and the result order never depends on the job count.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analyzer import __version__, ir
from analyzer.extract import extract_cells
from analyzer.sources import SourceDoc

# Below this many files a process pool costs more than it saves.
_MIN_FILES_FOR_POOL = 16


def module_name(relpath: str) -> tuple[str, bool]:
    """Dotted module name for a POSIX path relative to the root, and whether it is a package."""
    parts = relpath.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = parts[:-1] if is_package else [*parts[:-1], stem]
    return ".".join(parts), is_package


def facts_from_doc(doc: SourceDoc) -> ir.ModuleFacts:
    """Facts for one loaded source; a cell that does not parse becomes a diagnostic."""
    module, is_package = module_name(doc.path)
    cells = [(c.index, c.code, c.line_offset, c.col_offset) for c in doc.cells]
    return extract_cells(
        path=doc.path,
        module=module,
        kind=doc.kind,
        cells=cells,
        is_package=is_package,
        digest=doc.digest,
        errors=doc.errors,
    )


class FactsCache:
    """Facts pickled on disk under a key of content digest, path and analyzer version."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _file(self, doc: SourceDoc) -> Path:
        key = hashlib.sha256(f"{__version__}\0{doc.path}\0{doc.digest}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, doc: SourceDoc) -> ir.ModuleFacts | None:
        if not doc.digest:
            return None
        try:
            with self._file(doc).open("rb") as fh:
                facts = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return facts if isinstance(facts, ir.ModuleFacts) else None

    def put(self, doc: SourceDoc, facts: ir.ModuleFacts) -> None:
        if not doc.digest:
            return
        target = self._file(doc)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(facts, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(target)
        except OSError:
            pass  # a cache that cannot be written only costs speed


def parse_docs(
    docs: Sequence[SourceDoc], *, jobs: int = 1, cache: FactsCache | None = None
) -> list[ir.ModuleFacts]:
    """Facts for every doc, in the order given, whatever `jobs` is."""
    results: list[ir.ModuleFacts | None] = [None] * len(docs)
    todo: list[int] = []
    for i, doc in enumerate(docs):
        hit = cache.get(doc) if cache is not None else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    if jobs > 1 and len(todo) >= _MIN_FILES_FOR_POOL:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, len(todo) // (jobs * 4))
            for i, facts in zip(
                todo,
                pool.map(facts_from_doc, [docs[i] for i in todo], chunksize=chunk),
                strict=False,
            ):
                results[i] = facts
    else:
        for i in todo:
            results[i] = facts_from_doc(docs[i])
    if cache is not None:
        for i in todo:
            cache.put(docs[i], results[i])  # type: ignore[arg-type]
    return [r for r in results if r is not None]
