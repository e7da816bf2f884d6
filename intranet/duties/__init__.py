"""Duty lists (from plugins), duty logs and their progress."""
