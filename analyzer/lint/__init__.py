"""Lint: run the rule pack over classified units, with configuration, baseline and fixes.

`engine` is the rule API that rule packs import (also reachable as `analyzer.rules_engine`);
`config` reads `[tool.archlint]`; `baseline` suppresses known findings; `fix` applies the
fixes rules offer; `input_checks` warns about the input as a whole.
"""
