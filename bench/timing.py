"""Timing shared by the benchmarks: best of several runs, the jobs taking turns."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_ms(runs: int, *jobs: Callable[[], object]) -> list[float]:
    """Best time of each job in milliseconds, the jobs taking turns so that a busy moment on
    the machine falls on all of them alike; one warm-up each (imports, font parsing, caches)."""
    for job in jobs:
        job()
    times: list[list[float]] = [[] for _ in jobs]
    for _ in range(runs):
        for job, taken in zip(jobs, times, strict=True):
            start = time.perf_counter()
            job()
            taken.append(time.perf_counter() - start)
    return [min(taken) * 1000 for taken in times]
