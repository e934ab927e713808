"""GitHub Actions workflow-command annotations (`::error file=…::message`).

Escaping follows the runner's rules: in the message `%`, `\\r`, `\\n` are percent-encoded;
in properties (`file`, `title`, …) also `:` and `,`, which would otherwise end the value.
"""

from __future__ import annotations

from collections.abc import Sequence

from analyzer.report.where import location
from analyzer.results import Finding

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    level = LEVELS.get(f.severity, "warning")
    props = {
        "file": f.path,
        "line": str(f.line),
        "col": str(f.col + 1),
        "title": f"{f.code} [{f.rule}]",
    }
    rendered = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    # GitHub has no notion of notebook cells: the message says where, in the one format
    where = location(f.path, f.line, f.cell, f.col + 1)
    message = f.message if f.cell is None else f"{where}: {f.message}"
    return f"::{level} {rendered}::{escape_data(message)}"


def render_github(findings: Sequence[Finding]) -> str:
    return "".join(annotation(f) + "\n" for f in findings)
