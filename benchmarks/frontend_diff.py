"""Differential check of the two front ends: the stdlib-`ast` lowering and the libcst one
must give identical facts. Usage: python benchmarks/frontend_diff.py DIR... [--show N]

Prints every file whose facts differ with the first differing field, and a summary."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyzer.frontend.discover import discover
from analyzer.frontend.extract import extract_cells
from analyzer.frontend.parse import module_name
from analyzer.frontend.sources import SourceDoc, load_source


def first_difference(a: object, b: object, where: str = "") -> str | None:
    """Path and values of the first place two IR values differ, or None."""
    if type(a) is not type(b):
        return f"{where}: type {type(a).__name__} != {type(b).__name__}: {a!r:.200} | {b!r:.200}"
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            if not f.compare:
                continue
            d = first_difference(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
            if d:
                return d
        return None
    if isinstance(a, (tuple, list)):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            d = first_difference(x, y, f"{where}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{where}: length {len(a)} != {len(b)}"
        return None
    if a != b and not (a != a and b != b):  # NaN equals NaN here
        return f"{where}: {a!r:.300} != {b!r:.300}"
    return None


def facts(doc: SourceDoc, frontend: str):
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
        frontend=frontend,
    )


def compare_docs(docs: list[SourceDoc]) -> list[tuple[str, str]]:
    """(path, first difference) for every doc whose two lowerings differ."""
    out = []
    for doc in docs:
        a = facts(doc, "auto")
        b = facts(doc, "cst")
        d = first_difference(a, b)
        if d:
            out.append((doc.path, d))
    return out


def main(argv: list[str]) -> int:
    show = 20
    if "--show" in argv:
        i = argv.index("--show")
        show = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    total = 0
    bad: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    for root in argv:
        found = discover([Path(root)], markdown=True)
        docs = [load_source(f.abspath, f.relpath) for f in found.files]
        total += len(docs)
        bad += [(f"{root}/{p}", d) for p, d in compare_docs(docs)]
    for path, d in bad[:show]:
        print(f"{path}\n    {d}")
    print(f"{len(bad)} of {total} files differ ({time.perf_counter() - t0:.1f} s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
