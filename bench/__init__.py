"""Benchmarks: a province's years of data, and how fast the busiest pages answer on it.

`python -m bench` (or `make bench`) generates the data on SQLite and PostgreSQL and times the
pages server-side against the raw SQL floor measured in the same run. See bench/README.md.
"""
