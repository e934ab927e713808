"""Decorators: wrappers are reached through the decorated name, external ones are transparent."""

from __future__ import annotations

from tests.callgraph.conftest import build, calls_from


def test_wrapper_with_functools_wraps():
    cg = build(
        "import functools\n"
        "def timed(fn):\n"
        "    @functools.wraps(fn)\n"
        "    def inner(*a, **k):\n        return fn(*a, **k)\n"
        "    return inner\n"
        "@timed\ndef work(x):\n    return x\n"
        "def main():\n    work(1)\n"
    )
    assert calls_from(cg, "main.main") == {"main.timed.inner"}
    assert calls_from(cg, "main.timed.inner") == {"main.work"}
    # wraps() only copies metadata: it does not call `fn`.
    assert calls_from(cg, "main.timed") == {"functools.wraps"}
    assert cg.graph.edges["main.py::<module>", "main.py::timed"]["via"] == "decorator"


def test_decorator_factory_and_stacked():
    cg = build(
        "def tag(label):\n"
        "    def deco(f):\n        return f\n"
        "    return deco\n"
        "def twice(f):\n"
        "    def run():\n        f()\n        f()\n"
        "    return run\n"
        "@tag('a')\n@twice\ndef hello():\n    pass\n"
        "hello()\n"
    )
    assert calls_from(cg, "main") == {"main.tag", "main.tag.deco", "main.twice", "main.twice.run"}
    assert calls_from(cg, "main.twice.run") == {"main.hello"}


def test_external_decorator_keeps_the_function_callable():
    cg = build(
        "from tenacity import retry\nfrom agentkit import tool\n"
        "@retry(3)\ndef flaky():\n    pass\n"
        "@tool\ndef lookup(q):\n    pass\n"
        "def main():\n    flaky()\n    lookup.invoke('q')\n"
    )
    assert calls_from(cg, "main.main") == {"main.flaky", "main.lookup"}
    assert calls_from(cg, "main") >= {"tenacity.retry", "agentkit.tool"}


def test_registry_decorator_that_returns_nothing():
    cg = build(
        "HANDLERS = []\n"
        "def on(fn):\n    HANDLERS.append(fn)\n"
        "@on\ndef ping():\n    pass\n"
        "def fire():\n    for h in HANDLERS:\n        h()\n"
    )
    assert calls_from(cg, "main.fire") == {"main.ping"}


def test_forwarding_wrapper_reaches_the_decorated_function_only():
    cg = build(
        "import functools\n"
        "def guard(fn):\n"
        "    @functools.wraps(fn)\n"
        "    def inner(*a, **k):\n"
        "        if not a:\n            raise ValueError()\n"
        "        return fn(*a, **k)\n"
        "    return inner\n"
        "@guard\ndef ask(x):\n    return x\n"
        "@guard\ndef drop(x):\n    return x\n"
        "def main():\n    drop(1)\n"
    )
    g = cg.graph
    # PyCG's view is unchanged: main calls the wrapper, which calls every wrapped function
    assert calls_from(cg, "main.main") == {"main.guard.inner"}
    assert calls_from(cg, "main.guard.inner") >= {"main.ask", "main.drop"}
    # per call: the function this decoration wraps, marked `forwarded`
    assert g.edges["main.py::main", "main.py::drop"]["vias"] == ["forwarded"]
    assert not g.has_edge("main.py::main", "main.py::ask")
    assert g.edges["main.py::guard.inner", "main.py::ask"]["forward"]


def test_repeating_wrapper_is_not_a_forwarder():
    cg = build(
        "def retry(fn):\n"
        "    def inner(*a):\n"
        "        for _ in range(3):\n            return fn(*a)\n"
        "    return inner\n"
        "@retry\ndef ask(x):\n    return x\n"
        "def main():\n    ask(1)\n"
    )
    assert not cg.graph.has_edge("main.py::main", "main.py::ask")
    assert not cg.graph.edges["main.py::retry.inner", "main.py::ask"]["forward"]


def test_dotted_class_path_registry_resolves_through_rsplit_and_import():
    cg = build(
        {
            "pkg/__init__.py": "",
            "pkg/impl.py": "class Impl:\n    def run(self):\n        pass\n",
            "pkg/factory.py": (
                "import importlib\n"
                "REG = {'a': 'pkg.impl.Impl'}\n"
                "def load(path):\n"
                "    mod, name = path.rsplit('.', 1)\n"
                "    return getattr(importlib.import_module(mod), name)\n"
                "def main():\n    load(REG['a'])().run()\n"
            ),
        }
    )
    assert "pkg.impl.Impl.run" in calls_from(cg, "pkg.factory.main")
