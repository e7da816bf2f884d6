"""Uploaded files (evidence, scans), stored once by content."""
