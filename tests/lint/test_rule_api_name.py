"""The rule-pack API keeps the name it has always had: `analyzer.rules_engine`.

The engine moved to `analyzer.lint.engine`; custom rule packs written against the old name
must load and run unchanged.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.lint.conftest import RETRY

PACK = """\
from analyzer.rules_engine import Rule


class LegacyName(Rule):
    \"\"\"Written against the rule API's historic module name.\"\"\"

    def check(self, ctx):
        return [self.finding(u, u.line, "legacy pack ran") for u in ctx.units]

    name = "org-legacy-name"
    code = "AL951"
    severity = "warning"
    summary = "A pack importing analyzer.rules_engine runs"
    docs = "## What it does\\nx\\n## Why it matters\\nx\\n## Example\\nx\\n## Use instead\\nx\\n"
"""


def test_the_historic_name_is_the_engine_module():
    import analyzer.lint.engine as engine
    import analyzer.rules_engine as legacy
    from analyzer.rules_engine import Rule

    assert legacy is engine
    assert Rule is engine.Rule


def test_the_historic_name_imports_first_in_a_fresh_interpreter():
    code = (
        "import analyzer.rules_engine as r, analyzer.lint.engine as e; "
        "assert r is e and r.Rule is e.Rule"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_pack_importing_the_historic_name_loads(project, archlint, tmp_path):
    pack = tmp_path / "legacypack"
    pack.mkdir()
    (pack / "legacy_name.py").write_text(PACK, encoding="utf-8")
    root = project({"app.py": RETRY})
    r = archlint("check", root, "--format", "json", "--rules", pack)
    got = [(f["rule"], f["path"], f["line"]) for f in json.loads(r.output)["findings"]]
    assert ("org-legacy-name", "app.py", 8) in got
    assert "AL951" in archlint("rules", "--rules", pack).output
