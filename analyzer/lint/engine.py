"""Rules: how a rule is written, how packs are found, and how findings are produced.

A rule is one class in one file (as in Fixit): its name, code, severity, documentation in
ruff's headings, and VALID/INVALID examples that the test suite runs. The built-in pack
(`rules/` in the repository, shipped as `analyzer.builtin_rules`) and a user's own packs
are loaded the same way: every `*.py` file in the folder, imported by path.

Which rules run, and which findings survive, is decided here so that every front end
(`archlint check`, `archlint analyze`, tests) agrees: selection by name, code or code
prefix (`select`/`extend-select`/`ignore`, as in ruff), `per-file-ignores`, inline and
file-level suppressions, and per-rule options such as a severity override.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from analyzer.results import Finding, Unit

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
SUPPRESS = re.compile(r"#\s*archlint:\s*ignore(?![-\w])(?:\[([^\]]*)\])?")
SUPPRESS_FILE = re.compile(r"#\s*archlint:\s*ignore-file(?:\[([^\]]*)\])?")
CODE_PREFIX = re.compile(r"[A-Z]{2,}\d*")


class SelectorError(ValueError):
    """A rule selector (in config or on the command line) that names no known rule."""


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
    known_rules: frozenset[str] = frozenset()  # names and codes of every loaded rule

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
    package = Path(__file__).resolve().parent.parent
    installed = package / "builtin_rules"
    if installed.is_dir():
        return installed
    return package.parent / "rules"


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


def _pack_namespace(folder: Path) -> str:
    """A module namespace per pack folder, stable for one folder and distinct across them."""
    slug = re.sub(r"\W", "_", str(folder.resolve()))
    return f"archlint_pack_{slug}"


def load_rules(extra_packs: Sequence[Path] = ()) -> list[type[Rule]]:
    """The built-in pack then each extra pack; a name defined twice keeps its first rule."""
    rules = load_pack(builtin_pack_dir(), namespace="archlint_pack_builtin")
    for folder in extra_packs:
        rules += load_pack(Path(folder), namespace=_pack_namespace(Path(folder)))
    seen: dict[str, type[Rule]] = {}
    for r in rules:
        seen.setdefault(r.name, r)
    return sorted(seen.values(), key=lambda r: r.code)


def resolve_packs(config, extra: Sequence[Path | str] = ()) -> list[Path]:
    """Pack folders from `rule-packs` (paths relative to the config file, or importable
    package names) and from the command line (paths relative to the working directory)."""
    out: list[Path] = []
    base = getattr(config, "base_dir", None) if config is not None else None
    for raw in getattr(config, "rule_packs", ()) if config is not None else ():
        out.append(_resolve_pack(str(raw), base))
    for raw in extra:
        out.append(_resolve_pack(str(raw), None))
    return out


def _resolve_pack(raw: str, base: Path | None) -> Path:
    candidate = Path(raw)
    if not candidate.is_absolute() and base is not None:
        candidate = base / candidate
    if candidate.is_dir():
        return candidate
    if re.fullmatch(r"[A-Za-z_][\w.]*", raw):
        try:
            spec = importlib.util.find_spec(raw)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            return Path(next(iter(spec.submodule_search_locations)))
    raise SelectorError(f"rule pack not found: {raw}")


# -------------------------------------------------------------------- selection


def _specificity(selector: str, rule: type[Rule] | Rule) -> int:
    """How precisely `selector` names `rule`: -1 not at all, 0 `ALL`, else the prefix
    length, 100 for the full name or code (ruff: the more specific selector wins)."""
    if selector == "ALL":
        return 0
    if selector == rule.name or selector == rule.code:
        return 100
    if CODE_PREFIX.fullmatch(selector) and rule.code.startswith(selector):
        return len(selector)
    return -1


def matches(selector: str, rule: type[Rule] | Rule) -> bool:
    return _specificity(selector, rule) >= 0


def check_selectors(selectors: Iterable[str], rules: Sequence, where: str) -> None:
    """Every selector must name at least one loaded rule (a typo must not pass silently)."""
    for s in selectors:
        if not any(matches(s, r) for r in rules):
            raise SelectorError(f"{where}: unknown rule selector '{s}'")


def select_rules(
    rules: Sequence,
    *,
    select: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list:
    """The rules to run. An empty `select` means every loaded rule; for each rule the most
    specific matching selector decides, and `ignore` wins a tie."""
    check_selectors(select, rules, "select")
    check_selectors(extend_select, rules, "extend-select")
    check_selectors(ignore, rules, "ignore")
    chosen = list(select) or ["ALL"]
    out = []
    for r in rules:
        on = max((_specificity(s, r) for s in [*chosen, *extend_select]), default=-1)
        off = max((_specificity(s, r) for s in ignore), default=-1)
        if on >= 0 and on > off:
            out.append(r)
    return out


# -------------------------------------------------------------------- suppressions


@dataclass(frozen=True)
class Suppression:
    """One `# archlint: ignore[...]` / `ignore-file[...]` comment; names None means all."""

    path: str
    cell: int | None
    line: int
    names: tuple[str, ...] | None
    file_level: bool


def suppressions_of(module) -> list[Suppression]:
    out = []
    for cell, line, text in getattr(module, "comments", ()):
        fm = SUPPRESS_FILE.search(text)
        if fm:
            out.append(Suppression(module.path, cell, line, _names(fm.group(1)), True))
            continue
        sm = SUPPRESS.search(text)
        if sm:
            out.append(Suppression(module.path, cell, line, _names(sm.group(1)), False))
    return out


def _names(group: str | None) -> tuple[str, ...] | None:
    if group is None:
        return None
    return tuple(n.strip() for n in group.split(",") if n.strip())


def _names_hit(names: tuple[str, ...] | None, f: Finding) -> bool:
    if names is None:
        return True
    return any(
        n == f.rule or n == f.code or (CODE_PREFIX.fullmatch(n) and f.code.startswith(n))
        for n in names
    )


class _Suppressions:
    """Index of a project's suppressions: by (path, cell, line) and by path for files."""

    def __init__(self, project) -> None:
        self.lines: dict[tuple[str, int | None, int], list[Suppression]] = {}
        self.files: dict[str, list[Suppression]] = {}
        for m in getattr(project, "modules", ()):
            for s in suppressions_of(m):
                if s.file_level:
                    self.files.setdefault(s.path, []).append(s)
                else:
                    # the comment's own line, and the line below it
                    for ln in (s.line, s.line + 1):
                        self.lines.setdefault((s.path, s.cell, ln), []).append(s)

    def hides(self, f: Finding) -> bool:
        if any(_names_hit(s.names, f) for s in self.files.get(f.path, ())):
            return True
        return any(_names_hit(s.names, f) for s in self.lines.get((f.path, f.cell, f.line), ()))


# -------------------------------------------------------------------- running


def _relative_to_config(project, path: str) -> str:
    """A finding's path as `per-file-ignores` patterns see it: relative to the config."""
    config = getattr(project, "config", None)
    base = getattr(config, "base_dir", None)
    root = getattr(project, "root", None)
    if base is None or root is None:
        return path
    absolute = (Path(root) / path).resolve()
    try:
        return absolute.relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return path


def _per_file_ignored(project, f: Finding, cache: dict[str, tuple[str, ...]]) -> bool:
    config = getattr(project, "config", None)
    if config is None or not getattr(config, "per_file_ignores", None):
        return False
    if f.path not in cache:
        rel = _relative_to_config(project, f.path)
        selectors = config.ignored_rules(rel)
        if rel != f.path:
            selectors += tuple(s for s in config.ignored_rules(f.path) if s not in selectors)
        cache[f.path] = selectors
    return any(matches(s, _RuleRef(f.rule, f.code)) for s in cache[f.path])


@dataclass(frozen=True)
class _RuleRef:
    name: str
    code: str


def configured_rules(project, extra_packs: Sequence[Path] = ()) -> tuple[list[Rule], list]:
    """(instances of the selected rules, every loaded rule class) for a project's config."""
    config = getattr(project, "config", None)
    packs = resolve_packs(config, extra_packs)
    loaded = load_rules(packs)
    if config is not None:
        check_selectors(
            [s for sel in config.per_file_ignores.values() for s in sel],
            loaded,
            "per-file-ignores",
        )
    chosen = select_rules(
        loaded,
        select=getattr(config, "select", ()),
        extend_select=getattr(config, "extend_select", ()),
        ignore=getattr(config, "ignore", ()),
    )
    return [r() for r in chosen], loaded


def run_rules(
    project, units: Sequence[Unit], classifier, rules=None, *, known=None
) -> list[Finding]:
    """Findings of the selected rules, minus suppressed and per-file-ignored ones, sorted.

    With `rules` None the project's configuration chooses them (packs, select, ignore).
    """
    config = getattr(project, "config", None)
    loaded: Sequence = known or ()
    if rules is None:
        rules, loaded = configured_rules(project)
    if not loaded:
        loaded = load_rules(resolve_packs(config)) if config is not None else load_rules()
    known_names = frozenset(
        {r.name for r in [*loaded, *rules]} | {r.code for r in [*loaded, *rules]}
    )
    options_by_rule = getattr(config, "rule_options", {}) or {}
    out: list[Finding] = []
    for rule in rules:
        opts = {**rule.default_options, **_kebab(options_by_rule.get(rule.name, {}))}
        opts.update(_kebab(options_by_rule.get(rule.code, {})))
        ctx = RuleContext(project, units, classifier, opts, known_names)
        severity = opts.get("severity")
        for f in rule.check(ctx):
            if severity in SEVERITIES and f.severity != severity:
                f = dataclasses.replace(f, severity=severity)
            out.append(f)
    out = [placed_message(f) for f in with_columns(project, out)]
    sup = _Suppressions(project)
    pfi_cache: dict[str, tuple[str, ...]] = {}
    out = [f for f in out if not sup.hides(f) and not _per_file_ignored(project, f, pfi_cache)]
    out = list(dict.fromkeys(out))
    out.sort(
        key=lambda f: (
            f.path,
            f.cell if f.cell is not None else -1,
            f.line,
            f.col,
            f.code,
            f.message,
        )
    )
    return out


def _construct_columns(module) -> dict[tuple[int | None, int], int]:
    """(cell, line) -> column of the leftmost construct that starts on that line: a
    statement, a `def`/`class`, or a decorator."""
    from analyzer import ir

    out: dict[tuple[int | None, int], int] = {}

    def note(cell: int | None, loc, shift: int = 0) -> None:
        if loc is None or not getattr(loc, "line", 0):
            return
        key, col = (cell, loc.line), max(loc.col - shift, 0)
        out[key] = min(out.get(key, col), col)

    for scope in getattr(module, "scopes", ()):
        if scope.kind != "module":
            note(scope.cell, scope.loc)
        for d in scope.decorators:  # a decorator's construct starts at its `@`
            note(scope.cell, getattr(d, "loc", None), shift=1)
        for st in ir.walk_stmts(scope.body):
            note(scope.cell, st.loc)
    return out


def with_columns(project, findings: Sequence[Finding]) -> list[Finding]:
    """Findings a rule placed at column 0 moved to the column of the construct that starts
    on their line, so every rule points where the code is (a loop at column 4 is reported
    at column 4, as ruff does), not at the margin."""
    modules = {m.path: m for m in getattr(project, "modules", ())}
    cache: dict[str, dict[tuple[int | None, int], int]] = {}
    out = []
    for f in findings:
        if f.col == 0 and f.path in modules:
            if f.path not in cache:
                cache[f.path] = _construct_columns(modules[f.path])
            col = cache[f.path].get((f.cell, f.line), 0)
            if col:
                f = dataclasses.replace(f, col=col)
        out.append(f)
    return out


_BARE_LINE = re.compile(r" ?\(line (\d+)\)")


def placed_message(f: Finding) -> Finding:
    """A message's bare `(line N)` (from the classifier's evidence) written in the one
    location format, with its file: dropped when it is the finding's own line, else
    `(path[cell N]:line)`, so a message never names a line without its file."""
    if "(line " not in f.message:
        return f
    from analyzer.report.where import location

    def repl(m: re.Match) -> str:
        n = int(m.group(1))
        return "" if n == f.line else f" ({location(f.path, n, f.cell)})"

    return dataclasses.replace(f, message=_BARE_LINE.sub(repl, f.message))


def _kebab(opts: dict) -> dict:
    """Options as rules read them: `max-turns` and `max_turns` are the same key."""
    return {str(k).replace("_", "-"): v for k, v in opts.items()}


def at_or_above(findings: Iterable[Finding], level: str) -> list[Finding]:
    """Findings whose severity is `level` or more severe (the `fail-on` test)."""
    floor = SEVERITY_RANK.get(level, SEVERITY_RANK["warning"])
    return [f for f in findings if SEVERITY_RANK.get(f.severity, 0) >= floor]


# -------------------------------------------------------------------- helpers for rules
# Facts the classifier does not expose per unit yet, computed from the IR the same way
# for every rule that needs them.


def unit_taint(ctx: RuleContext, uf, seeded: Iterable[str] = ()):
    """Model-output names of a unit's scope (the classifier's own taint definition)."""
    from analyzer.classify.taint import Taint

    def is_source(call) -> bool:
        return ctx.classifier.site_of(uf.node, uf.facts, call) is not None

    return Taint(uf.scope, is_source, frozenset(seeded))


def callees(ctx: RuleContext, facts, call) -> list[str]:
    """Qualified names of the external and builtin functions a call may reach."""
    return [
        t.name
        for t in ctx.classifier.cg.targets(facts.path, call.cid)
        if t.kind in ("external", "builtin")
    ]


def guarded_statements(body, guards: tuple = ()):
    """Every statement with the if-tests that must hold to reach it, including earlier
    `if <test>: return/raise/continue/break` statements of the enclosing blocks (their
    negation guards what follows)."""
    from analyzer import ir

    current = tuple(guards)
    for s in body:
        yield s, current
        if isinstance(s, ir.If):
            yield from guarded_statements(s.body, (*current, s.test))
            yield from guarded_statements(s.orelse, (*current, ir.UnaryOp("not", s.test, s.loc)))
            if s.body and _terminates(s.body[-1]) and not s.orelse:
                current = (*current, ir.UnaryOp("not", s.test, s.loc))
        elif isinstance(s, ir.Match):
            for case in s.cases:
                yield from guarded_statements(case.body, (*current, s.subject))
        else:
            for block in ir.child_blocks(s):
                yield from guarded_statements(block, current)


def _terminates(s) -> bool:
    from analyzer import ir

    return isinstance(s, (ir.Return, ir.Raise)) or (
        isinstance(s, ir.Jump) and s.kind in ("continue", "break")
    )


def terminates(s) -> bool:
    """A statement after which control does not fall through to the next one."""
    return _terminates(s)


def finding_at(rule: Rule, ctx: RuleContext, unit: Unit, loc, message: str) -> Finding:
    """A finding at an IR location, in the right notebook cell even when the unit joins
    several cells' top-level code (their lines restart at 1 in every cell)."""
    f = rule.finding(unit, loc.line, message, col=loc.col)
    if len(unit.cells) > 1:
        cell = _cell_index(ctx, unit).get(id(loc))
        if cell is not None and cell != f.cell:
            f = dataclasses.replace(f, cell=cell, unit=f"{unit.path}:{unit.cell}::{unit.qualname}")
    return f


def _cell_index(ctx: RuleContext, unit: Unit) -> dict[int, int | None]:
    """id(Loc) -> cell for every statement and expression of a joined unit's cells."""
    from analyzer import ir

    cache = ctx.options.setdefault("_cell_index", {})
    if unit.node_id in cache:
        return cache[unit.node_id]
    out: dict[int, int | None] = {}
    cg = ctx.classifier.cg
    for cell in unit.cells:
        try:
            _facts, scope = cg.scope(cg.node_id(unit.path, "<module>", cell))
        except (KeyError, LookupError):
            continue
        for s in ir.walk_stmts(scope.body):
            out[id(s.loc)] = cell
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    loc = getattr(x, "loc", None)
                    if loc is not None:
                        out[id(loc)] = cell
    cache[unit.node_id] = out
    return out
