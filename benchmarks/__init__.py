"""Synthetic corpus and the benchmark that measures search, pages and imports."""
