"""SARIF 2.1.0 for GitHub code scanning.

Besides what the schema checks, GitHub wants: every result with at least one location,
`partialFingerprints` (so alerts survive code moving), and rules with `shortDescription`,
`fullDescription` and `help`. Rule ids are the short codes (`AL101`), names the kebab-case
rule names; `help.markdown` is the rule's documentation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from analyzer.lint.baseline import fingerprint
from analyzer.results import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/archlint/archlint"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _first_paragraph(docs: str, heading: str) -> str:
    m = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", docs, re.S | re.M)
    if not m:
        return ""
    return " ".join(m.group(1).split())


def rule_descriptor(rule) -> dict:
    docs = getattr(rule, "docs", "") or ""
    summary = getattr(rule, "summary", "") or rule.name
    full = _first_paragraph(docs, "What it does") or summary
    help_text = docs.strip() or summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": f"{INFORMATION_URI}/blob/main/rules/{rule.name.replace('-', '_')}.py",
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"tags": ["llm", "architecture"]},
    }


class _Stub:
    """A descriptor for a finding whose rule class is not at hand (e.g. from a pack)."""

    def __init__(self, f: Finding) -> None:
        self.code, self.name, self.severity = f.code, f.rule, f.severity
        self.summary = f.rule.replace("-", " ")
        self.docs = ""


def _result(f: Finding, index: int, occurrence: int) -> dict:
    region = {"startLine": max(f.line, 1), "startColumn": max(f.col, 0) + 1}
    loc: dict = {
        "physicalLocation": {
            "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }
    if f.unit:
        loc["logicalLocations"] = [{"fullyQualifiedName": f.unit, "kind": "function"}]
    out: dict = {
        "ruleId": f.code,
        "ruleIndex": index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [loc],
        "partialFingerprints": {"archlintFindingHash/v1": f"{fingerprint(f)}:{occurrence}"},
    }
    if f.cell is not None:
        out["properties"] = {"cell": f.cell}
    return out


def sarif_log(
    findings: Sequence[Finding],
    rules: Sequence = (),
    *,
    version: str = "",
    root: Path | str | None = None,
) -> dict:
    """The SARIF log as a dict: one run, the given rules plus any a finding needs."""
    descriptors: list[dict] = []
    index: dict[str, int] = {}
    for r in rules:
        if r.code not in index:
            index[r.code] = len(descriptors)
            descriptors.append(rule_descriptor(r))
    for f in findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(rule_descriptor(_Stub(f)))
    seen: dict[str, int] = {}
    results = []
    for f in findings:
        fp = fingerprint(f)
        seen[fp] = seen.get(fp, 0) + 1
        results.append(_result(f, index[f.code], seen[fp]))
    run: dict = {
        "tool": {
            "driver": {
                "name": "archlint",
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
                **({"version": version, "semanticVersion": version} if version else {}),
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": Path(root).resolve().as_uri() + "/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(
    findings: Sequence[Finding],
    rules: Sequence = (),
    *,
    version: str = "",
    root: Path | str | None = None,
) -> str:
    log = sarif_log(findings, rules, version=version, root=root)
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
