"""Subcommands of `archlint`, one module per family; `analyzer.cli` registers them."""
