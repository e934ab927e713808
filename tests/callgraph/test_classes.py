"""Classes: constructors, self/cls methods, MRO, super(), properties, typed attributes."""

from __future__ import annotations

from tests.callgraph.conftest import build, calls_from


def test_constructor_and_self_methods():
    cg = build(
        "class Cart:\n"
        "    def __init__(self):\n        self.items = []\n"
        "    def add(self, x):\n        self.check(x)\n"
        "    def check(self, x):\n        pass\n"
        "c = Cart()\nc.add(1)\n"
    )
    assert calls_from(cg, "main") == {"main.Cart.__init__", "main.Cart.add"}
    assert calls_from(cg, "main.Cart.add") == {"main.Cart.check"}


def test_inheritance_mro_and_super():
    cg = build(
        "class Base:\n"
        "    def __init__(self):\n        pass\n"
        "    def greet(self):\n        pass\n"
        "class Left(Base):\n    def greet(self):\n        super().greet()\n"
        "class Right(Base):\n    def greet(self):\n        pass\n"
        "class Both(Left, Right):\n    pass\n"
        "Both().greet()\n"
    )
    assert calls_from(cg, "main") == {"main.Base.__init__", "main.Left.greet"}
    # super() in Left, for a Both instance, continues along Both's MRO: Right.
    assert "main.Right.greet" in calls_from(cg, "main.Left.greet")


def test_class_and_static_methods_and_properties():
    cg = build(
        "class Cfg:\n"
        "    @classmethod\n    def load(cls):\n        return cls.defaults()\n"
        "    @staticmethod\n    def defaults():\n        return Cfg()\n"
        "    @property\n    def name(self):\n        return self.fmt()\n"
        "    def fmt(self):\n        return 'x'\n"
        "c = Cfg.load()\nc.name\n"
    )
    assert calls_from(cg, "main") >= {"main.Cfg.load", "main.Cfg.name"}
    assert calls_from(cg, "main.Cfg.load") == {"main.Cfg.defaults"}
    assert calls_from(cg, "main.Cfg.name") == {"main.Cfg.fmt"}
    prop = cg.graph.edges["main.py::<module>", "main.py::Cfg.name"]
    assert prop["via"] == "property"


def test_attributes_assigned_anywhere_and_annotated():
    cg = build(
        "class Engine:\n    def start(self):\n        pass\n"
        "class Car:\n"
        "    def __init__(self):\n        self.setup()\n"
        "    def setup(self):\n        self.engine: Engine = Engine()\n"
        "    def drive(self):\n        self.engine.start()\n"
        "Car().drive()\n"
    )
    assert calls_from(cg, "main.Car.drive") == {"main.Engine.start"}


def test_factory_with_and_singleton():
    cg = build(
        "class Conn:\n"
        "    def __enter__(self):\n        return self\n"
        "    def __exit__(self, *a):\n        pass\n"
        "    def query(self):\n        pass\n"
        "def open_conn():\n    return Conn()\n"
        "shared = open_conn()\n"
        "def use():\n"
        "    with open_conn() as c:\n        c.query()\n"
        "    shared.query()\n"
    )
    assert calls_from(cg, "main.use") == {
        "main.open_conn",
        "main.Conn.__enter__",
        "main.Conn.query",
    }


def test_annotations_type_parameters_and_returns():
    cg = build(
        "from typing import Optional\n"
        "class Store:\n    def get(self):\n        pass\n"
        "def fetch(s: Optional[Store]):\n    s.get()\n"
        "def make() -> 'Store':\n    ...\n"
        "def later():\n    make().get()\n"
    )
    assert calls_from(cg, "main.fetch") == {"main.Store.get"}
    assert calls_from(cg, "main.later") == {"main.make", "main.Store.get"}


def test_iteration_protocol_and_raise():
    cg = build(
        "class Count:\n"
        "    def __iter__(self):\n        return self\n"
        "    def __next__(self):\n        raise StopIteration\n"
        "class Oops(Exception):\n    def __init__(self):\n        pass\n"
        "for _ in Count():\n    pass\n"
        "raise Oops\n"
    )
    assert calls_from(cg, "main") == {
        "main.Count.__iter__",
        "main.Count.__next__",
        "main.Oops.__init__",
    }


def test_external_base_class_methods():
    cg = build(
        "from framework import Tool\n"
        "class Mine(Tool):\n    def act(self):\n        self.emit()\n"
        "Mine().act()\n"
    )
    assert calls_from(cg, "main") == {"framework.Tool.__init__", "main.Mine.act"}
    assert calls_from(cg, "main.Mine.act") == {"framework.Tool.emit"}


def test_marker_bases_and_self_referential_loops_converge():
    cg = build(
        "from abc import ABC\nfrom typing import Generic, TypeVar\nfrom tree import Node\n"
        "T = TypeVar('T')\n"
        "class Base(ABC, Generic[T]):\n    def run(self):\n        self.missing()\n"
        "def walk(n: Node):\n"
        "    while n:\n        n = n.parent\n        n.visit()\n"
        "    out = n.items()\n    while out:\n        out = out.items()\n"
    )
    assert calls_from(cg, "main.Base.run") == set()
    got = calls_from(cg, "main.walk")
    # Attribute chains on an instance grow only as far as the loop is unrolled; methods of
    # an untyped result (`out.items()`) name nothing new.
    assert "tree.Node.parent.visit" in got and "tree.Node.items" in got
    assert all(c.count(".") <= 5 for c in got)
