"""The rule API for rule packs, under the name it has always had.

The engine lives in `analyzer.lint.engine`; this module is the same module object, so
custom rule packs that import `analyzer.rules_engine` keep working unchanged.
"""

import sys

from analyzer.lint import engine

sys.modules[__name__] = engine
