"""How many rounds a loop runs (DIARY_SOAK_<NAME>, else the shortened count of `make test`),
and the line each loop prints for `bench/soak.py` to collect."""

from __future__ import annotations

import os


def rounds(name: str, default: int) -> int:
    return int(os.environ.get(f"DIARY_SOAK_{name.upper()}", default))


def report(loop: str, **counts: object) -> None:
    """Print `SOAK <loop> key=value ...` (pytest -s shows it; bench/soak.py reads it)."""
    fields = " ".join(f"{key}={value}" for key, value in counts.items())
    print(f"\nSOAK {loop} {fields}", flush=True)
