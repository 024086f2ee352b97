"""The scoring engine: pure NumPy, no Django and no other app (the import contracts in pyproject.toml keep it so)."""
