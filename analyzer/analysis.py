"""The back half of the pipeline: call graph -> classify -> rules, for one loaded project."""

from __future__ import annotations

from analyzer import __version__
from analyzer.deep import run_deep
from analyzer.input_checks import input_warnings
from analyzer.project import Project
from analyzer.results import AnalysisResult
from analyzer.testfiles import apply_test_policy, drop_test_findings, include_tests


def analyze_project(project: Project, *, rules=None) -> AnalysisResult:
    """Classify every unit of `project` and run the rule pack over the result.

    `rules` is an optional list of rule instances; by default the built-in pack plus the
    packs named in the project's configuration are run. The stages walk the facts
    recursively, so they run where deep code (long `elif` chains, prompt concatenations of
    thousands of terms) cannot overflow the stack (`analyzer.deep.run_deep`).
    """
    return run_deep(_analyze_project, project, rules=rules)


def _analyze_project(project: Project, *, rules=None) -> AnalysisResult:
    from analyzer.callgraph import build_call_graph
    from analyzer.classify import classify_project
    from analyzer.knowledge import load_knowledge

    kb = load_knowledge()
    cg = build_call_graph(project, kb)
    units, classifier = classify_project(project, cg, kb)
    include = include_tests(project.config, units)
    units = apply_test_policy(units, _callers(classifier), include=include)
    findings = []
    try:
        from analyzer.rules_engine import run_rules
    except ImportError:  # the rule engine lands with the lint gate
        run_rules = None
    if run_rules is not None:
        findings = run_rules(project, units, classifier, rules=rules)
        findings = drop_test_findings(findings, units, include=include)
    return AnalysisResult(
        tuple(units),
        tuple(findings),
        project.errors,
        __version__,
        extra={"classifier": classifier, "call_graph": cg},
        warnings=tuple(input_warnings(project, units, kb, include_tests=include)),
    )


def _callers(classifier):
    """Direct unit callers of a unit, from the classifier's site index (None if absent)."""
    idx = getattr(classifier, "idx", None)
    return getattr(idx, "unit_callers", None)
