"""Dispatch through runtime values: every candidate, marked dynamic, with the key kept."""

from __future__ import annotations

from analyzer import ir
from tests.callgraph.conftest import build, calls_from, find_call


def test_dict_of_tools_indexed_by_model_output():
    cg = build(
        "def search(q):\n    pass\n"
        "def calc(e):\n    pass\n"
        "TOOLS = {'search': search, 'calc': calc}\n"
        "def loop(resp):\n"
        "    for block in resp.content:\n"
        "        TOOLS[block.name](**block.input)\n"
    )
    call = find_call(cg, "main.py", "TOOLS[...]")
    targets = cg.targets("main.py", call.cid)
    assert {t.name for t in targets} == {"main.py::search", "main.py::calc"}
    assert all(t.dynamic and t.via == "dispatch" for t in targets)
    assert targets[0].key == ir.Attr(
        ir.Name("block", targets[0].key.value.loc), "name", targets[0].key.loc
    )
    assert cg.graph.edges["main.py::loop", "main.py::search"]["dynamic"]


def test_constant_key_is_static():
    cg = build(
        "def a():\n    pass\ndef b():\n    pass\nR = {'a': a, 'b': b}\ndef go():\n    R['a']()\n"
    )
    call = find_call(cg, "main.py", "R[...]")
    (t,) = cg.targets("main.py", call.cid)
    assert t.name == "main.py::a" and not t.dynamic and t.key is None


def test_getattr_with_prefix_and_lookup_through_a_variable():
    cg = build(
        "class Bot:\n"
        "    def on_start(self):\n        pass\n"
        "    def on_stop(self):\n        pass\n"
        "    def helper(self):\n        pass\n"
        "    def handle(self, event):\n"
        "        getattr(self, 'on_' + event)()\n"
        "        fn = getattr(self, f'on_{event}')\n"
        "        fn()\n"
    )
    assert calls_from(cg, "main.Bot.handle") == {
        "<builtin>.getattr",
        "main.Bot.on_start",
        "main.Bot.on_stop",
    }
    call = find_call(cg, "main.py", "fn")
    targets = cg.targets("main.py", call.cid)
    assert targets and all(t.dynamic for t in targets)
    assert isinstance(targets[0].key, ir.FString)


def test_decorator_registry_and_get():
    cg = build(
        "REGISTRY = {}\n"
        "def register(fn):\n    REGISTRY[fn.__name__] = fn\n    return fn\n"
        "@register\ndef alpha():\n    pass\n"
        "@register\ndef beta():\n    pass\n"
        "def run(name):\n"
        "    handler = REGISTRY.get(name)\n"
        "    handler()\n"
    )
    assert calls_from(cg, "main.run") == {"main.alpha", "main.beta"}
    call = find_call(cg, "main.py", "handler")
    assert all(t.dynamic for t in cg.targets("main.py", call.cid))


def test_globals_lookup():
    cg = build(
        "def cmd_a():\n    pass\n"
        "def cmd_b():\n    pass\n"
        "def run(name):\n    globals()['cmd_' + name]()\n"
    )
    assert {"main.cmd_a", "main.cmd_b"} <= calls_from(cg, "main.run")
    call = find_call(cg, "main.py", "globals(...)[...]")
    assert all(t.dynamic for t in cg.targets("main.py", call.cid) if t.kind == "internal")
