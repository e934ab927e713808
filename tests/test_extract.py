"""The facts pass: one libcst parse lowered into plain, picklable IR with exact locations."""

from __future__ import annotations

import pickle

from analyzer import ir
from analyzer.frontend.extract import extract_cells, extract_source
from analyzer.frontend.parse import module_name

SOURCE = '''\
import os, openai as oa
from anthropic import Anthropic
from .util import llm_call as call
from .. import sibling
from tools import *

client = Anthropic()


class Bot(Base, metaclass=Meta):
    """A bot."""

    def __init__(self):
        self.client: Anthropic = Anthropic()

    @retry(stop=stop_after_attempt(3))
    async def run(self, msgs, *, n=3, **kw):
        while True:
            resp = await self.client.messages.create(model="m", messages=msgs, tools=TOOLS)
            if resp.stop_reason == "end_turn":  # archlint: ignore[missing-stop-condition]
                break
            for block in resp.content:
                out = TOOLS[block.name](**block.input)
            g = lambda a: a + 1
            match resp.stop_reason:
                case "a" | "b":
                    pass
                case _:
                    pass
        return f"{resp.content[0].text} é"


def gen():
    def inner():
        return 1
    yield inner()
'''


def facts() -> ir.ModuleFacts:
    return extract_source(SOURCE, path="pkg/mod.py", module="pkg.mod")


def test_imports_resolve_relative_aliased_and_star():
    imps = {(i.name, i.target, i.is_module) for i in facts().imports}
    assert ("os", "os", True) in imps
    assert ("oa", "openai", True) in imps
    assert ("Anthropic", "anthropic.Anthropic", False) in imps
    assert ("call", "pkg.util.llm_call", False) in imps
    assert ("sibling", "sibling", False) in imps  # `from .. import` from pkg/mod.py
    assert ("*", "tools", True) in imps


def test_relative_import_inside_a_package_init():
    f = extract_source("from .core import run\n", path="pkg/sub/__init__.py", module="pkg.sub")
    assert f.imports[0].target == "pkg.sub.core.run"


def test_scopes_with_qualnames_kinds_and_locations():
    f = facts()
    by_name = {s.qualname: s for s in f.scopes}
    assert set(by_name) >= {
        "<module>",
        "Bot",
        "Bot.__init__",
        "Bot.run",
        "gen",
        "gen.inner",
    }
    run = by_name["Bot.run"]
    assert run.kind == "function" and run.is_async and run.parent == "Bot"
    assert (run.loc.line, run.loc.col) == (17, 4)
    assert [p.name for p in run.params] == ["self", "msgs", "n", "kw"]
    assert [p.kind for p in run.params] == ["normal", "normal", "kwonly", "kwarg"]
    assert ir.dotted(run.decorators[0].func) == "retry"
    assert by_name["Bot"].docstring == "A bot."
    assert ir.dotted(by_name["Bot"].bases[0]) == "Base"
    assert by_name["Bot"].keywords[0].kw == "metaclass"
    assert by_name["gen"].is_generator and not by_name["gen.inner"].is_generator
    lambdas = [s for s in f.scopes if s.kind == "lambda"]
    assert len(lambdas) == 1 and lambdas[0].qualname.startswith("Bot.run.<lambda@")


def test_calls_have_unique_ids_receiver_chains_and_keywords():
    f = facts()
    run = f.scope("Bot.run")
    calls = list(ir.scope_calls(run))
    cids = [c.cid for s in f.scopes for c in ir.scope_calls(s)]
    assert len(cids) == len(set(cids))
    create = next(c for c in calls if isinstance(c.func, ir.Attr) and c.func.attr == "create")
    base, chain = ir.receiver_chain(create.func)
    assert ir.dotted(base) == "self" and chain == ("client", "messages", "create")
    assert create.loc.line == 19
    assert isinstance(create.kwarg("tools"), ir.Name)
    dispatch = next(c for c in calls if isinstance(c.func, ir.Subscript))
    assert ir.dotted(dispatch.func.index) == "block.name"
    assert dispatch.args[0].kw == "**"


def test_control_flow_is_kept():
    run = facts().scope("Bot.run")
    loop = run.body[0]
    assert isinstance(loop, ir.While) and loop.test == ir.Const(True, loop.test.loc)
    kinds = [type(s).__name__ for s in loop.body]
    assert kinds == ["Assign", "If", "For", "Assign", "Match"]
    match = loop.body[-1]
    assert [c.is_wildcard for c in match.cases] == [False, True]
    assert [v.value for v in match.cases[0].values] == ["a", "b"]
    assert isinstance(run.body[-1], ir.Return)
    assert isinstance(run.body[-1].value, ir.FString)


def test_annotated_attribute_assignment():
    init = facts().scope("Bot.__init__")
    assign = init.body[0]
    assert ir.dotted(assign.targets[0]) == "self.client"
    assert ir.dotted(assign.annotation) == "Anthropic"


def test_comments_are_collected_by_line():
    comments = facts().comments
    assert (None, 20, "# archlint: ignore[missing-stop-condition]") in comments


def test_non_ascii_columns_count_characters():
    f = extract_source('x = "é"; y = f(x)\n')
    call = next(iter(ir.scope_calls(f.scopes[0])))
    assert (call.loc.line, call.loc.col) == (1, 13)


def test_facts_pickle_round_trip():
    f = facts()
    assert pickle.loads(pickle.dumps(f)) == f


def test_a_cell_that_does_not_parse_is_a_diagnostic_and_others_still_count():
    f = extract_cells(
        path="nb.ipynb",
        module="nb",
        kind="ipynb",
        cells=[
            (0, "def ok():\n    return 1\n", 0, 0),
            (1, "def broken(:\n", 0, 0),
            (2, "ok()\n", 0, 0),
        ],
    )
    assert [d.cell for d in f.errors] == [1]
    assert "syntax error" in f.errors[0].message
    # the broken statement is blanked and the cell's other statements still count
    assert [(s.cell, s.qualname) for s in f.scopes] == [
        (0, "<module>"),
        (0, "ok"),
        (1, "<module>"),
        (2, "<module>"),
    ]
    assert f.scope("<module>", 2) is not None


def test_statements_around_a_syntax_error_are_still_read():
    code = "def good():\n    return llm()\n\nx = (\n\ndef after():\n    return 2\n"
    f = extract_cells(path="doc.md", module="doc", kind="md", cells=[(0, code, 0, 0)])
    assert len(f.errors) == 1 and "still analysed" in f.errors[0].message
    assert {s.qualname for s in f.scopes} == {"<module>", "good", "after"}


def test_markdown_offsets_apply_to_lines():
    f = extract_cells(path="doc.md", module="doc", kind="md", cells=[(0, "f()\n", 9, 0)])
    call = next(iter(ir.scope_calls(f.scopes[0])))
    assert call.loc.line == 10


def test_module_names_from_paths():
    assert module_name("pkg/sub/mod.py") == ("pkg.sub.mod", False)
    assert module_name("pkg/__init__.py") == ("pkg", True)
    assert module_name("main.py") == ("main", False)
    assert module_name("notebooks/demo.ipynb") == ("notebooks.demo", False)
