"""One module per workflow pattern, plus the agent loop."""
