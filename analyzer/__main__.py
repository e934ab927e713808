"""`python -m analyzer` runs the archlint command line."""

from analyzer.cli import run

run()
