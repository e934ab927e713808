"""Turn loaded sources into module facts: over any executor, cached by content hash.

Per-file work is one pure function, `facts_blob`, from a plain `SourceDoc` to the pickled
`ModuleFacts`, so it can be mapped over any `concurrent.futures.Executor` (processes here,
Dask for an organisation's scan) and only bytes cross a boundary. Results are put back in
input order, so they never depend on the executor or the job count. Facts are pickled in a
deep-stack thread (`analyzer.frontend.deep`), so a deeply nested file pickles the same everywhere.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import suppress
from pathlib import Path

from analyzer import __version__, ir
from analyzer.frontend.deep import run_deep
from analyzer.frontend.extract import DEFAULT_TIME_LIMIT, extract_cells
from analyzer.frontend.sources import SourceDoc

# Below this many files a process pool costs more than it saves.
_MIN_FILES_FOR_POOL = 16
# Bumped when the pickled layout of cache entries changes (the IR itself is covered by
# the analyzer version and a fingerprint of `ir.py`).
_CACHE_FORMAT = 2


def module_name(relpath: str) -> tuple[str, bool]:
    """Dotted module name for a POSIX path relative to the root, and whether it is a package."""
    parts = relpath.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = parts[:-1] if is_package else [*parts[:-1], stem]
    return ".".join(parts), is_package


def facts_from_doc(doc: SourceDoc, time_limit: float | None = None) -> ir.ModuleFacts:
    """Facts for one loaded source; a cell that does not parse becomes a diagnostic, and
    anything else that goes wrong is contained to this file."""
    module, is_package = module_name(doc.path)
    cells = [(c.index, c.code, c.line_offset, c.col_offset) for c in doc.cells]
    try:
        return extract_cells(
            path=doc.path,
            module=module,
            kind=doc.kind,
            cells=cells,
            is_package=is_package,
            digest=doc.digest,
            errors=doc.errors,
            time_limit=DEFAULT_TIME_LIMIT if time_limit is None else time_limit,
        )
    except Exception as exc:  # last resort: one bad file must not stop the run
        message = f"internal error while parsing: {type(exc).__name__}: {str(exc)[:200]}"
        return ir.ModuleFacts(
            path=doc.path,
            module=module,
            kind=doc.kind,
            scopes=(),
            imports=(),
            errors=(*doc.errors, ir.Diagnostic(doc.path, message)),
            is_package=is_package,
            digest=doc.digest,
        )


def dumps_facts(facts: ir.ModuleFacts) -> bytes:
    """Pickled facts; deep trees pickle recursively, so this runs on a deep stack."""
    return run_deep(pickle.dumps, facts, protocol=pickle.HIGHEST_PROTOCOL)


def loads_facts(blob: bytes) -> ir.ModuleFacts | None:
    """Facts from `dumps_facts`' bytes, or None when they are not facts."""
    facts = pickle.loads(blob)
    return facts if isinstance(facts, ir.ModuleFacts) else None


def facts_blob(doc: SourceDoc, time_limit: float | None = None) -> bytes:
    """The per-file task mapped over executors: a doc in, its pickled facts out."""
    return dumps_facts(facts_from_doc(doc, time_limit))


def _ir_fingerprint() -> str:
    """A hash of the code facts come from (the IR and every front-end module, whatever
    it is split into), so facts from edited code are never reused."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in (here.parent / "ir.py", *sorted(here.glob("*.py"))):
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()[:16]


class FactsCache:
    """Facts pickled on disk under a key of content digest, path and analyzer version.

    Safe to share: entries are written to a temporary file and renamed into place (a
    concurrent run sees the old entry or the new one, never half of one), and an entry that
    cannot be read, is from another version or holds something else is ignored and rebuilt.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.version = f"{__version__}\0{_CACHE_FORMAT}\0{_ir_fingerprint()}"

    def key(self, *parts: str) -> str:
        return hashlib.sha256("\0".join((self.version, *parts)).encode()).hexdigest()

    def _file(self, doc: SourceDoc) -> Path:
        key = self.key(doc.path, doc.kind, doc.digest)
        return self.directory / key[:2] / f"{key}.pickle"

    def read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    def write(self, path: Path, data: bytes) -> None:
        """Atomic write: a unique temporary file renamed over the target."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                with suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            pass  # a cache that cannot be written only costs speed

    def get(self, doc: SourceDoc) -> ir.ModuleFacts | None:
        if not doc.digest:
            return None
        blob = self.read(self._file(doc))
        if blob is None:
            return None
        try:
            facts = loads_facts(blob)
        except Exception:  # corrupt, truncated or foreign: rebuilt by the caller
            return None
        if facts is None or facts.path != doc.path or facts.digest != doc.digest:
            return None
        return facts

    def put_blob(self, doc: SourceDoc, blob: bytes) -> None:
        if doc.digest:
            self.write(self._file(doc), blob)

    def put(self, doc: SourceDoc, facts: ir.ModuleFacts) -> None:
        if doc.digest:
            self.put_blob(doc, dumps_facts(facts))


def map_facts(
    executor: Executor,
    docs: Sequence[SourceDoc],
    *,
    time_limit: float | None = None,
) -> Iterator[tuple[int, bytes]]:
    """(index, pickled facts) for every doc, as the executor finishes them (any order).

    The seam for other executors (a Dask client's `get_executor()`, threads): the task is
    `facts_blob`, a module-level function of plain data.
    """
    from concurrent.futures import as_completed

    futures: dict[Future, int] = {
        executor.submit(facts_blob, doc, time_limit): i for i, doc in enumerate(docs)
    }
    for future in as_completed(futures):
        yield futures[future], future.result()


def _worker_init() -> None:
    """Pool workers start quiet: a worker's stray output must not reach ours."""
    import warnings

    warnings.simplefilter("ignore")


def default_jobs() -> int:
    """One worker per core."""
    return max(1, os.cpu_count() or 1)


def parse_docs(
    docs: Sequence[SourceDoc],
    *,
    jobs: int | None = 1,
    cache: FactsCache | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    time_limit: float | None = None,
) -> list[ir.ModuleFacts]:
    """Facts for every doc, in the order given, whatever the executor or `jobs` is.

    With `executor`, per-file work is mapped over it; otherwise over a process pool of
    `jobs` workers (`None`: one per core) when there are enough files, else in-process.
    `progress(done, total)` is called as files finish.
    """
    results: list[ir.ModuleFacts | None] = [None] * len(docs)
    todo: list[int] = []
    for i, doc in enumerate(docs):
        hit = cache.get(doc) if cache is not None else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    total = len(docs)
    done = total - len(todo)
    if progress is not None:
        progress(done, total)
    jobs = default_jobs() if jobs is None else jobs

    def finish(i: int, blob: bytes) -> None:
        nonlocal done
        facts = loads_facts(blob)
        results[i] = facts
        if cache is not None:
            cache.put_blob(docs[i], blob)
        done += 1
        if progress is not None:
            progress(done, total)

    pending = [docs[i] for i in todo]
    if executor is not None and pending:
        for k, blob in map_facts(executor, pending, time_limit=time_limit):
            finish(todo[k], blob)
    elif jobs > 1 and len(pending) >= _MIN_FILES_FOR_POOL:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            for k, blob in map_facts(pool, pending, time_limit=time_limit):
                finish(todo[k], blob)
    else:
        for k, doc in enumerate(pending):
            facts = facts_from_doc(doc, time_limit)
            results[todo[k]] = facts
            if cache is not None:
                cache.put(doc, facts)
            done += 1
            if progress is not None:
                progress(done, total)
    return [r for r in results if r is not None]
