"""Classify every unit: pattern, sequence owner, stop condition, retries, tracing, bound.

Units are processed callees first, so a unit that calls another sees its summary (a
wrapper `llm()` counts as one model call; a `main()` that runs a router is a router).
Flags describe the unit as it runs from its systems: retries and stop conditions roll up
from callees (worst wins), tracing also comes down from callers and from process-wide
instrumentation.

The `Classifier` is composed of one mixin per concern, each in its own module:
`pipeline` (per-unit classification and site building), `units` (units, notebook cell
groups, roll-up), `summaries` (what callees do), `constructs` and `runs` (framework
constructs and their runs), `tracing` and `retries`. Patterns and bounds are decided in
`decide`, `voting` and `bound` over the shape tree built in `shape`.
"""

from __future__ import annotations

from analyzer.classify.composed import ComposedMixin
from analyzer.classify.constructs import ConstructsMixin
from analyzer.classify.flags import RetryFact
from analyzer.classify.pipeline import PipelineMixin, UnitFacts
from analyzer.classify.retries import RetriesMixin
from analyzer.classify.runs import RunsMixin
from analyzer.classify.sites import SiteIndex
from analyzer.classify.summaries import SummariesMixin
from analyzer.classify.tracing import TracingMixin
from analyzer.classify.units import UnitsMixin
from analyzer.classify.verdicts import Summary
from analyzer.results import Unit

__all__ = ["Classifier", "UnitFacts", "classify_project"]


class Classifier(
    ComposedMixin,
    PipelineMixin,
    UnitsMixin,
    SummariesMixin,
    ConstructsMixin,
    RunsMixin,
    TracingMixin,
    RetriesMixin,
):
    """Classifies every unit of one project; each concern is one collaborator mixin."""

    def __init__(self, project, cg, kb) -> None:
        self.project = project
        self.cg = cg
        self.kb = kb
        self.idx = SiteIndex(project, cg, kb)
        self.summaries: dict[str, Summary] = {}
        self.unit_facts: dict[str, UnitFacts] = {}
        self._dispatch_params: dict[str, dict[str, int]] = {}
        self._client_retry_cache: dict[str, list[RetryFact]] = {}
        self._effects_cache: dict[tuple[str, int], tuple[set[str], int]] = {}
        self._asks_cache: dict[tuple[str, int], bool] = {}
        self.agentic_types, self.ctor_bounds = self._scan_constructs()
        self.tool_decorated = self._tool_decorated()
        self.graphs = self._framework_graphs()
        self._run_callees()
        self.cell_groups = self._cell_groups()
        self.global_trace = self._global_tracing()
        self.env_trace = self._env_tracing()
        self._links = self._import_links()
        self._imports_of = self._imported_files()
        self.tracing_off = self._tracing_switched_off()


def classify_project(project, cg, kb) -> tuple[list[Unit], Classifier]:
    """Units of the project, sorted by location, and the classifier (for rules to query)."""
    c = Classifier(project, cg, kb)
    return c.run(), c
