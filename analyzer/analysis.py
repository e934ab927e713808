"""The back half of the pipeline: call graph -> classify -> rules, for one loaded project."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import pickle
from collections.abc import Mapping
from pathlib import Path

from analyzer import __version__
from analyzer.frontend.deep import run_deep
from analyzer.frontend.gcpause import paused_gc
from analyzer.frontend.project import Project
from analyzer.frontend.testfiles import apply_test_policy, drop_test_findings, include_tests
from analyzer.lint.input_checks import input_warnings
from analyzer.results import AnalysisResult


def analyze_project(project: Project, *, rules=None) -> AnalysisResult:
    """Classify every unit of `project` and run the rule pack over the result.

    `rules` is an optional list of rule instances; by default the built-in pack plus the
    packs named in the project's configuration are run. The stages walk the facts
    recursively, so they run where deep code (long `elif` chains, prompt concatenations of
    thousands of terms) cannot overflow the stack (`analyzer.frontend.deep.run_deep`).
    """
    cache_dir = getattr(project, "cache_dir", None)
    if cache_dir is None or rules is not None:
        return run_deep(_analyze_project, project, rules=rules)
    return _cached_analysis(project, Path(cache_dir))


# --------------------------------------------------------------------------- result cache
#
# A warm run with nothing changed should cost little more than hashing the files. The whole
# result (units, findings, errors, warnings) is cached under a key of everything it depends
# on: every file's path and content digest, the configuration, the input diagnostics, and
# the code and rule packs that produced it. The classifier and call graph kept beside the
# result (`extra`, for reviews) are rebuilt only when something asks for them.

_RESULT_FORMAT = 2
# `extra` entries cached with the result (plain data), so a warm run that asks for them
# does not rebuild the classifier: a portfolio scan reads each system's reach.
_CACHED_EXTRA = ("system_reach",)


def _tree_digest(roots: list[Path]) -> str:
    """Hash of every source file under `roots` (the analyzer itself and the rule packs), so
    a result is never reused by different code."""
    h = hashlib.sha256()
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if path.suffix not in (".py", ".json", ".toml", ".yaml", ".yml", ".md"):
                continue
            h.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape"))
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(b"?")
    return h.hexdigest()


def result_key(project: Project) -> str | None:
    """The cache key of a project's analysis, or None when it cannot be keyed (a file
    without a digest)."""
    from analyzer.lint.engine import builtin_pack_dir, resolve_packs

    inputs = getattr(project, "inputs_key", None)
    if inputs is None:
        return None
    h = hashlib.sha256()
    h.update(f"{__version__}\0{_RESULT_FORMAT}\0{project.root}\0{inputs}\0".encode())
    h.update(repr(project.config).encode("utf-8", "surrogateescape"))
    h.update(repr(project.errors).encode("utf-8", "surrogateescape"))
    try:
        packs = [builtin_pack_dir(), *resolve_packs(project.config)]
    except Exception:  # an unresolvable pack: the analysis itself will say so
        return None
    code = [Path(__file__).resolve().parent, *(Path(p) for p in packs)]
    h.update(_tree_digest(code).encode())
    return h.hexdigest()


class _LazyExtra(Mapping):
    """`AnalysisResult.extra` of a cached result: what was cached with it (`known`, small
    and plain) is served as is; anything else is rebuilt on first use."""

    def __init__(self, project: Project, known: Mapping | None = None) -> None:
        self._project = project
        self._known = dict(known or {})
        self._data: dict | None = None

    def _load(self) -> dict:
        if self._data is None:
            self._data = run_deep(_analyze_project, self._project).extra
        return self._data

    def __getitem__(self, key):
        if key in self._known:
            return self._known[key]
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def _cached_analysis(project: Project, cache_dir: Path) -> AnalysisResult:
    from analyzer.frontend.parse import FactsCache

    key = result_key(project)
    if key is None:
        return run_deep(_analyze_project, project)
    store = FactsCache(cache_dir)
    path = cache_dir / "results" / f"{key}.pickle"
    blob = store.read(path)
    if blob is not None:
        try:
            cached = pickle.loads(blob)
        except Exception:  # corrupt or foreign: recomputed below
            cached = None
        if isinstance(cached, AnalysisResult) and cached.version == __version__:
            return dataclasses.replace(cached, extra=_LazyExtra(project, cached.extra))
    result = run_deep(_analyze_project, project)
    bare = dataclasses.replace(result, extra={k: result.extra[k] for k in _CACHED_EXTRA})
    with contextlib.suppress(Exception):  # an unpicklable result only costs speed
        store.write(path, run_deep(pickle.dumps, bare, protocol=pickle.HIGHEST_PROTOCOL))
    return result


@paused_gc()
def _analyze_project(project: Project, *, rules=None) -> AnalysisResult:
    from analyzer.ir_walk import forget_scope_calls

    try:
        return _analysis(project, rules=rules)
    finally:
        forget_scope_calls()


def _analysis(project: Project, *, rules=None) -> AnalysisResult:
    from analyzer.callgraph import build_call_graph
    from analyzer.classify import classify_project
    from analyzer.knowledge import load_knowledge
    from analyzer.lint.engine import run_rules

    kb = load_knowledge()
    cg = build_call_graph(project, kb)
    units, classifier = classify_project(project, cg, kb)
    include = include_tests(project.config, units)
    units = apply_test_policy(units, _callers(classifier), include=include)
    findings = run_rules(project, units, classifier, rules=rules)
    findings = drop_test_findings(findings, units, include=include)
    return AnalysisResult(
        tuple(units),
        tuple(findings),
        project.errors,
        __version__,
        extra={
            "classifier": classifier,
            "call_graph": cg,
            "system_reach": _system_reach(units, classifier),
        },
        warnings=tuple(input_warnings(project, units, kb, include_tests=include)),
    )


def _system_reach(units, classifier) -> dict[str, list[str]]:
    """node id -> the nodes it reaches (itself included), for each system the classifier
    has facts for: what a portfolio's risk roll-up covers."""
    facts = getattr(classifier, "unit_facts", {})
    return {
        u.node_id: sorted(classifier.reach(u.node_id))
        for u in units
        if u.is_system and u.node_id in facts
    }


def _callers(classifier):
    """Direct unit callers of a unit, from the classifier's site index (None if absent)."""
    idx = getattr(classifier, "idx", None)
    return getattr(idx, "unit_callers", None)
