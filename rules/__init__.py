"""archlint's built-in rule pack: one rule per file (shipped as `analyzer.builtin_rules`)."""
