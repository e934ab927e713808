"""Higher-order calls: callbacks, executors, asyncio, partial, lambdas, threads, comprehensions."""

from __future__ import annotations

from tests.callgraph.conftest import build, calls_from


def _via(cg, caller, callee):
    return cg.graph.edges[f"main.py::{caller}", f"main.py::{callee}"]["vias"]


def test_callback_parameter_and_default():
    cg = build(
        "def shout(s):\n    return s\n"
        "def apply(s, f=shout):\n    return f(s)\n"
        "def whisper(s):\n    return s\n"
        "apply('a')\napply('b', whisper)\n"
    )
    assert calls_from(cg, "main.apply") == {"main.shout", "main.whisper"}


def test_executor_map_and_submit():
    cg = build(
        "from concurrent.futures import ThreadPoolExecutor\n"
        "def grade(x):\n    return x\n"
        "def score(x):\n    return x\n"
        "def run(xs):\n"
        "    with ThreadPoolExecutor() as pool:\n"
        "        list(pool.map(grade, xs))\n"
        "        futs = [pool.submit(score, x) for x in xs]\n"
        "    return [f.result() for f in futs]\n"
    )
    got = calls_from(cg, "main.run")
    assert {"main.grade", "main.score"} <= got
    assert "concurrent.futures.ThreadPoolExecutor.submit" in got
    assert not any(g.endswith(".result") for g in got)  # an opaque result names nothing
    assert _via(cg, "run", "grade") == ["executor"]


def test_asyncio_spawning():
    cg = build(
        "import asyncio\n"
        "async def a():\n    pass\n"
        "async def b():\n    pass\n"
        "def blocking():\n    pass\n"
        "async def main():\n"
        "    await asyncio.gather(a(), b())\n"
        "    t = asyncio.create_task(a())\n"
        "    async with asyncio.TaskGroup() as tg:\n        tg.create_task(b())\n"
        "    await asyncio.to_thread(blocking)\n"
        "    await asyncio.get_running_loop().run_in_executor(None, blocking)\n"
    )
    got = calls_from(cg, "main.main")
    assert {"main.a", "main.b", "main.blocking"} <= got
    assert _via(cg, "main", "a") == ["task"]
    assert _via(cg, "main", "b") == ["task"]
    assert _via(cg, "main", "blocking") == ["executor"]


def test_partial_lambda_thread():
    cg = build(
        "import functools, threading\n"
        "def send(to, msg):\n    pass\n"
        "def beat():\n    pass\n"
        "def main():\n"
        "    hi = functools.partial(send, 'bob')\n"
        "    hi('yo')\n"
        "    f = lambda: beat()\n"
        "    f()\n"
        "    threading.Thread(target=beat).start()\n"
    )
    got = calls_from(cg, "main.main")
    assert {"main.send", "main.main.<lambda1>", "main.beat"} <= got
    assert calls_from(cg, "main.main.<lambda1>") == {"main.beat"}
    assert set(_via(cg, "main", "send")) == {"call", "partial"}
    assert "thread" in _via(cg, "main", "beat")


def test_comprehensions_and_generators():
    cg = build(
        "def steps():\n    yield parse\n    yield render\n"
        "def parse(x):\n    return x\n"
        "def render(x):\n    return x\n"
        "def check(x):\n    return x\n"
        "def run(xs):\n"
        "    ys = [check(x) for x in xs if check(x)]\n"
        "    for s in steps():\n        s(ys)\n"
        "    return {k: check(k) for k in xs}\n"
    )
    assert calls_from(cg, "main.run") == {"main.check", "main.steps", "main.parse", "main.render"}


def test_containers_flow_and_strong_update():
    cg = build(
        "def a():\n    pass\n"
        "def b():\n    pass\n"
        "def c():\n    pass\n"
        "table = {'x': a}\n"
        "table['x'] = b\n"
        "table['x']()\n"
        "pair = [a, c]\n"
        "pair[1]()\n"
    )
    assert calls_from(cg, "main") == {"main.b", "main.c"}
