"""Loops that try to break diary: kills mid-write, racing bookers, mutated files (issue 16).

Each runs a shortened count in `make test` and the full count in `make soak`
(`bench/soak.py`, which prints the table); the counts come from DIARY_SOAK_* variables.
"""
