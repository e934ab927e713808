"""Rules: how a rule is written, how packs are found, and how findings are produced.

A rule is one class in one file (as in Fixit): its name, code, severity, documentation in
ruff's headings, and VALID/INVALID examples that the test suite runs. The built-in pack
(`rules/` in the repository, shipped as `analyzer.builtin_rules`) and a user's own packs
are loaded the same way: every `*.py` file in the folder, imported by path.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from analyzer.results import Finding, Unit

SEVERITIES = ("error", "warning", "info")
SUPPRESS = re.compile(r"#\s*archlint:\s*ignore(?:\[([^\]]*)\])?")
SUPPRESS_FILE = re.compile(r"#\s*archlint:\s*ignore-file(?:\[([^\]]*)\])?")


@dataclass(frozen=True)
class Example:
    """A small program for a rule's docs and tests.

    In INVALID examples, the line where a finding must land ends with `# expect: <rule>`;
    `files` adds more modules beside `main.py`.
    """

    code: str
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class RuleContext:
    """What a rule may read: the project, its units, the classifier's per-unit facts."""

    project: object
    units: Sequence[Unit]
    classifier: object
    options: dict

    def unit_facts(self, unit: Unit):
        return self.classifier.unit_facts.get(unit.node_id)


class Rule:
    """Base class of every rule. Subclasses set the class attributes and `check`."""

    name: ClassVar[str] = ""
    code: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    summary: ClassVar[str] = ""
    docs: ClassVar[str] = ""
    VALID: ClassVar[Sequence[Example | str]] = ()
    INVALID: ClassVar[Sequence[Example | str]] = ()
    default_options: ClassVar[dict] = {}

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self, unit: Unit, line: int, message: str, *, col: int = 0, path: str | None = None
    ) -> Finding:
        return Finding(
            rule=self.name,
            code=self.code,
            severity=self.severity,
            path=path or unit.path,
            line=max(line, 1),
            col=col,
            message=message,
            unit=unit.ref,
            cell=unit.cell,
        )


# -------------------------------------------------------------------- packs


def builtin_pack_dir() -> Path:
    """The built-in pack: inside the installed package, or `rules/` in a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "builtin_rules"
    if installed.is_dir():
        return installed
    return here.parent / "rules"


def load_pack(folder: Path, *, namespace: str) -> list[type[Rule]]:
    """Every Rule subclass defined in the folder's `*.py` files, in file order."""
    out: list[type[Rule]] = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        mod_name = f"{namespace}.{path.stem}"
        module = sys.modules.get(mod_name)
        if module is None:
            spec = importlib.util.spec_from_file_location(mod_name, path)
            if spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            sys.modules[mod_name] = module
            spec.loader.exec_module(module)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == mod_name
                and value.name
            ):
                out.append(value)
    return out


def load_rules(extra_packs: Sequence[Path] = ()) -> list[type[Rule]]:
    rules = load_pack(builtin_pack_dir(), namespace="archlint_pack_builtin")
    for i, folder in enumerate(extra_packs):
        rules += load_pack(Path(folder), namespace=f"archlint_pack_{i}")
    seen: dict[str, type[Rule]] = {}
    for r in rules:
        seen.setdefault(r.name, r)
    return sorted(seen.values(), key=lambda r: r.code)


# -------------------------------------------------------------------- running


def _suppressions(project) -> dict[str, tuple[dict[int, set[str] | None], set[str] | None]]:
    """Per path: line -> suppressed names (None = all), and file-level suppressions."""
    out: dict[str, tuple[dict[int, set[str] | None], set[str] | None]] = {}
    for m in getattr(project, "modules", ()):
        lines: dict[int, set[str] | None] = {}
        whole: set[str] | None = set()
        for _cell, line, text in m.comments:
            fm = SUPPRESS_FILE.search(text)
            if fm:
                names = _names(fm.group(1))
                whole = None if names is None or whole is None else whole | names
                continue
            sm = SUPPRESS.search(text)
            if sm:
                names = _names(sm.group(1))
                for ln in (line, line + 1):
                    prev = lines.get(ln, set())
                    lines[ln] = None if names is None or prev is None else prev | names
        out[m.path] = (lines, whole if whole else (None if whole is None else set()))
    return out


def _names(group: str | None) -> set[str] | None:
    if group is None:
        return None
    return {n.strip() for n in group.split(",") if n.strip()}


def _suppressed(f: Finding, sup) -> bool:
    entry = sup.get(f.path)
    if entry is None:
        return False
    lines, whole = entry
    if whole is None or (whole and (f.rule in whole or f.code in whole)):
        return True
    names = lines.get(f.line, set())
    return names is None or f.rule in names or f.code in names


def run_rules(project, units: Sequence[Unit], classifier, rules=None) -> list[Finding]:
    """Findings of every rule, minus suppressed ones, sorted by location."""
    config = getattr(project, "config", None)
    if rules is None:
        packs = [Path(p) for p in getattr(config, "rule_packs", ())]
        rules = [r() for r in load_rules(packs)]
    options_by_rule = getattr(config, "rule_options", {}) or {}
    out: list[Finding] = []
    for rule in rules:
        opts = {**rule.default_options, **options_by_rule.get(rule.name, {})}
        ctx = RuleContext(project, units, classifier, opts)
        out += list(rule.check(ctx))
    sup = _suppressions(project)
    out = [f for f in out if not _suppressed(f, sup)]
    out.sort(key=lambda f: (f.path, f.line, f.col, f.code, f.message))
    return out
