"""archlint: a static architecture analyzer and linter for Python code built on LLM SDKs."""

__version__ = "0.1.0"
