"""Checks of the code's shape that run in ``make lint`` (import-linter contract types)."""
