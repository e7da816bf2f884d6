"""Benchmarks (see README.md); a package so that gunicorn can serve ``bench.ceiling``."""
