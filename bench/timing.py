"""Timing shared by the benchmarks: best of several runs, the jobs taking turns."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


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


# -- instruction counts -------------------------------------------------------------------------
#
# On a shared virtual machine the best of many runs still moves by 10 % or more from one run to
# the next. Valgrind's callgrind counts the instructions executed instead: the same for the same
# work whatever else the machine is doing, so a small change can be told from the noise. The
# count leaves out what time would show of memory and caches, so it complements the timings.

COUNT_JOB = "--count-job"  # internal: run one job under valgrind, see instructions_per_call


def instructions_per_call(
    script: Path, jobs: Sequence[str], calls: int, args: Sequence[str] = ()
) -> dict[str, float]:
    """Instructions one call of each job executes, by callgrind.

    `script` is run under valgrind once per job as `script *args --count-job JOB --calls N`
    and once with the job "none" and no calls; it must then prepare, warm every job up, and call
    JOB N times (see `run_counted_job`). What the empty run counts (Python, imports, set-up,
    warm-up) is taken off, so each figure is the job alone.
    """
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")

    def count(job: str, times: int) -> int:
        with tempfile.TemporaryDirectory() as folder:
            finished = subprocess.run(
                [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={Path(folder) / 'callgrind.out'}",
                    sys.executable,
                    str(script),
                    *args,
                    COUNT_JOB,
                    job,
                    "--calls",
                    str(times),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
        found = re.search(r"Collected : (\d+)", finished.stderr)
        if found is None:
            raise SystemExit(f"valgrind printed no count:\n{finished.stderr[-2000:]}")
        return int(found.group(1))

    # Two cores: the jobs run side by side, the empty run after them.
    with ThreadPoolExecutor(max_workers=2) as pool:
        counted = dict(zip(jobs, pool.map(lambda job: count(job, calls), jobs), strict=True))
    empty = count("none", 0)
    return {job: (total - empty) / calls for job, total in counted.items()}


def run_counted_job(jobs: Mapping[str, Callable[[], object]], job: str, calls: int) -> None:
    """The child's side of instructions_per_call: warm every job up, then call `job`."""
    for warm_up in jobs.values():
        warm_up()
    if job != "none":
        for _ in range(calls):
            jobs[job]()


def add_instruction_options(parser: argparse.ArgumentParser) -> None:
    """The command-line options of a bench that can count instructions."""
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with valgrind instead"
    )
    parser.add_argument("--calls", type=int, default=3, help="calls counted with --instructions")
    parser.add_argument(COUNT_JOB, dest="count_job", help=argparse.SUPPRESS)


def counted_instead(
    args: argparse.Namespace,
    script: Path,
    jobs: Mapping[str, Callable[[], object]],
    labels: Mapping[str, str],
    what: str,
    goal: float,
    script_args: Sequence[str] = (),
) -> bool:
    """Run the bench's `--count-job` or `--instructions` side, if asked; True when it did.

    `jobs` are "ours" and "bare"; `labels` name them in the table; `script_args` are what the
    counted runs of `script` need to prepare the same work.
    """
    if args.count_job:
        run_counted_job(jobs, args.count_job, args.calls)
        return True
    if not args.instructions:
        return False
    counted = instructions_per_call(script, list(jobs), args.calls, script_args)
    print(f"{what}; instructions a call, counted by callgrind over {args.calls} calls")
    print()
    for job, label in labels.items():
        print(f"  {label:40}{counted[job] / 1e6:8.1f} M instructions")
    ratio = counted["ours"] / counted["bare"]
    print(f"  {'ours/bare':40}{ratio:7.2f}x  (goal: within {goal}x)")
    return True
