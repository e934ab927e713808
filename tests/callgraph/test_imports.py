"""Imports across modules: every form resolves to the project file it names."""

from __future__ import annotations

from pathlib import Path

from tests.callgraph.conftest import build, calls_from, edges


def test_absolute_and_aliased_imports():
    cg = build(
        {
            "shop/__init__.py": "",
            "shop/pricing.py": "def quote(x):\n    return x\n",
            "app.py": (
                "import shop.pricing\n"
                "import shop.pricing as pr\n"
                "from shop.pricing import quote as q\n"
                "shop.pricing.quote(1)\npr.quote(2)\nq(3)\n"
            ),
        }
    )
    assert calls_from(cg, "app") == {"shop.pricing.quote"}


def test_relative_import_inside_a_package():
    cg = build(
        {
            "kit/__init__.py": "",
            "kit/helpers.py": "def tidy(s):\n    return s\n",
            "kit/core.py": "from .helpers import tidy\nfrom . import helpers\n\ndef go():\n    tidy('a')\n    helpers.tidy('b')\n",
        }
    )
    assert calls_from(cg, "kit.core.go") == {"kit.helpers.tidy"}


def test_star_import_and_reexport_through_init():
    cg = build(
        {
            "lib/__init__.py": "from .engine import start\n",
            "lib/engine.py": "def start():\n    pass\n\ndef _hidden():\n    pass\n",
            "tools.py": "def hammer():\n    pass\n",
            "main.py": "from tools import *\nfrom lib import start\nimport lib\nhammer()\nstart()\nlib.start()\n",
        }
    )
    assert calls_from(cg, "main") == {"tools.hammer", "lib.engine.start"}


def test_submodule_of_a_package_as_attribute():
    cg = build(
        {
            "svc/__init__.py": "",
            "svc/db.py": "def connect():\n    pass\n",
            "main.py": "from svc import db\nimport svc.db\ndb.connect()\nsvc.db.connect()\n",
        }
    )
    assert calls_from(cg, "main") == {"svc.db.connect"}


def test_src_layout_absolute_import():
    cg = build(
        {
            "src/myapp/__init__.py": "",
            "src/myapp/llm.py": "def ask(p):\n    return p\n",
            "src/myapp/cli.py": "from myapp.llm import ask\n\ndef main():\n    ask('x')\n",
        }
    )
    assert calls_from(cg, "src.myapp.cli.main") == {"src.myapp.llm.ask"}


def test_folder_analysed_inside_its_package(tmp_path: Path):
    pkg = tmp_path / "corp" / "agents"
    pkg.mkdir(parents=True)
    (tmp_path / "corp" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    cg = build(
        {
            "__init__.py": "",
            "tools.py": "def search(q):\n    return q\n",
            "runner.py": "from corp.agents.tools import search\n\ndef run():\n    search('q')\n",
        },
        root=pkg,
    )
    assert calls_from(cg, "runner.run") == {"tools.search"}


def test_entry_limits_pycg_output_to_imported_modules():
    cg = build(
        {
            "main.py": "import used\nused.f()\n",
            "used.py": "def f():\n    pass\n",
            "unused.py": "def g():\n    print('x')\ng()\n",
        }
    )
    everything = edges(cg)
    from_main = edges(cg, entries=["main.py"])
    assert ("unused", "unused.g") in everything
    assert ("unused", "unused.g") not in from_main
    assert ("main", "used.f") in from_main


def test_unknown_import_is_external():
    cg = build("import requests\nfrom httpx import Client\nrequests.get('u')\nClient().post('u')\n")
    assert calls_from(cg, "main") == {"requests.get", "httpx.Client", "httpx.Client.post"}
