"""One way to write a place in the code, used by every report: `path:line[:col]`, with the
notebook cell or Markdown block between the path and the line: `x.ipynb[cell 7]:12`.

Lines count within the cell for notebooks (as the analysis reports them), so the cell is
part of the place; the file is always named, so a line never refers to an unnamed file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analyzer.results import Unit


def location(
    path: str, line: int | None = None, cell: int | None = None, col: int | None = None
) -> str:
    """`path[cell N]:line:col`; the parts not known are left out. `col` is 1-based."""
    out = path + (f"[cell {cell}]" if cell is not None else "")
    if line:
        out += f":{line}"
        if col:
            out += f":{col}"
    return out


def unit_place(u: Unit) -> str:
    """Where a unit starts."""
    return location(u.path, u.line, u.cell)


def unit_label(u: Unit) -> str:
    """How reports name a unit: its qualified name and where it starts."""
    return f"{u.qualname} ({unit_place(u)})"


_LINE_REF = re.compile(r"\(line (\d+)\)")


def _span_of(u: Unit) -> tuple[str, int | None, int, int]:
    return (u.path, u.cell, u.line, max(u.end_line, u.line))


def place_lines(text: str, spans: Sequence[tuple[str, int | None, int, int]]) -> str:
    """Evidence's bare `(line N)` written as a full location: the file is the first span
    (path, cell, first line, last line) that holds line N, else the first span's file.

    Status evidence rolls up from every unit a system runs, so a bare line number may
    belong to another module; the first span is the unit the text is about."""
    if not spans or "(line " not in text:
        return text

    def repl(m: re.Match) -> str:
        n = int(m.group(1))
        path, cell = spans[0][0], spans[0][1]
        for p, c, first, last in spans:
            if first <= n <= last:
                path, cell = p, c
                break
        return f"({location(path, n, cell)})"

    return _LINE_REF.sub(repl, text)


def unit_spans(result, u: Unit) -> list[tuple[str, int | None, int, int]]:
    """The unit's own span, then those of the units it runs (from the classifier)."""
    spans = [_span_of(u)]
    classifier = getattr(result, "extra", {}).get("classifier")
    if classifier is None or not u.node_id:
        return spans
    try:
        reach = classifier.reach(u.node_id)
    except Exception:  # a unit the classifier does not know: its own span only
        return spans
    by_node = {x.node_id: x for x in result.units}
    spans += [_span_of(by_node[n]) for n in sorted(reach) if n in by_node and n != u.node_id]
    return spans
