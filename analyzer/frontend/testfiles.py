"""Units in test files are reported apart: they make no system and no finding by default.

Tests call every entry point of a project, so without this every real system looks like a
callee of a test and the test functions crowd the report (81 of 81 systems in one project
were tests). This runs after classification and changes only what the output says: which
units are systems and which findings are kept. `include-tests = true` in `[tool.archlint]`
keeps test units as ordinary units (still flagged `is_test`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath

from analyzer.results import Finding, Unit

TEST_DIRS = frozenset({"tests", "test", "testing"})


def is_test_path(path: str) -> bool:
    """A file pytest would collect or configure: under a tests/ folder, `test_*.py`,
    `*_test.py` or `conftest.py` (notebooks and Markdown follow the same names)."""
    p = PurePosixPath(path)
    if any(part in TEST_DIRS for part in p.parts[:-1]):
        return True
    stem = p.stem
    return stem == "conftest" or stem.startswith("test_") or stem.endswith("_test")


def include_tests(config: object, units: Sequence[Unit] = ()) -> bool:
    """The `include-tests` switch; also on when every unit is in a test file (a test file
    named on the command line is what the user asked about)."""
    if getattr(config, "include_tests", False):
        return True
    return bool(units) and all(is_test_path(u.path) for u in units)


def apply_test_policy(
    units: Sequence[Unit],
    callers: Callable[[str], Iterable[str]] | None,
    *,
    include: bool = False,
) -> list[Unit]:
    """Units flagged `is_test`; unless `include`, test units are not systems and a unit
    called only from tests becomes a system (an entry point of the real program).

    `callers(node_id)` gives the node ids of the units that call a unit directly.
    """
    flagged = [dataclasses.replace(u, is_test=is_test_path(u.path)) for u in units]
    if include or not any(u.is_test for u in flagged):
        return flagged
    test_nodes = {u.node_id for u in flagged if u.is_test}
    out = []
    for u in flagged:
        if u.is_test:
            u = dataclasses.replace(u, is_system=False)
        elif not u.is_system and callers is not None and not u.cells:
            real = [c for c in callers(u.node_id) if c not in test_nodes and c != u.node_id]
            if not real:
                u = dataclasses.replace(u, is_system=True)
        out.append(u)
    return out


def drop_test_findings(
    findings: Sequence[Finding], units: Sequence[Unit], *, include: bool = False
) -> list[Finding]:
    """Findings outside test files and test units (input errors are always kept)."""
    if include:
        return list(findings)
    test_refs = {u.ref for u in units if u.is_test}
    return [
        f
        for f in findings
        if f.rule == "input-error" or (f.unit not in test_refs and not is_test_path(f.path))
    ]
