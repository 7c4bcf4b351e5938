"""How much the library's object building costs over bare SQLite, on a 5,000-workshop library.

Run: .venv/bin/python bench/bench_library.py [--workshops N]

Builds a library of realistic workshops (5-12 participants, six barriers, a rating each with
short evidence, consensus, targets and a few actions) in one transaction, then times
list_workshops() and load() against bare sqlite3 running the same SELECTs on the same file and
fetching the rows, with no objects built. Best of several repeats; prints a short table.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opassess import store
from opassess.frameworks import Framework, default_framework
from opassess.store import LIBRARY_FILE, Library
from opassess.workshop import (
    NOT_SURE,
    Action,
    Consensus,
    Participant,
    Rating,
    Workshop,
    new_id,
)

FIRST = ["Priya", "Tomás", "Siân", "Alex", "Jordan", "Mei", "Kwame", "Ana", "Ravi", "Ingrid"]
LAST = ["Shah", "Ó Briain", "ap Rhys", "Morgan", "Lee", "Chen", "Mensah", "Silva", "Patel"]
ROLES = ["Chief Executive", "Director of Finance", "Head of HR", "Service manager", "Analyst"]
TOWNS = ["Riverside", "Northgate", "Eastham", "Westbury", "Southport", "Kingsmoor"]
EVIDENCE = [
    "Performance is item 9 of 10 at CMT.",
    "Quarterly reviews since April; nobody follows up.",
    "Targets are set but rarely discussed with staff.",
    "The dashboard is out of date by two months.",
    "Managers say they have no time to look at the data.",
    "We changed the rota after the last complaint review.",
]


def realistic_workshop(framework: Framework, rng: random.Random, n: int) -> Workshop:
    stages = framework.level_ids
    participants = tuple(
        Participant(new_id(), f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(ROLES))
        for _ in range(rng.randint(5, 12))
    )
    ratings = {
        (p.id, d): Rating(p.id, d, rng.choice([*stages, NOT_SURE]), rng.choice(EVIDENCE))
        for p in participants
        for d in framework.dimension_ids
    }
    consensus = {
        d: Consensus(rng.choice(stages), rng.choice(EVIDENCE)) for d in framework.dimension_ids
    }
    targets = {d: stages[-1] for d in framework.dimension_ids[:4]}
    actions = {
        d: tuple(
            Action(new_id(), f"Action {k + 1}: {rng.choice(EVIDENCE)}", "Alex Morgan")
            for k in range(rng.randint(1, 3))
        )
        for d in framework.dimension_ids[:3]
    }
    town = rng.choice(TOWNS)
    return Workshop(
        id=new_id(),
        title=f"{town} self-assessment {n}",
        framework=framework,
        organisation=f"{town} Council",
        team=rng.choice(["Corporate management team", "Housing", "Adult care", "Finance"]),
        held_on=date(2020, 1, 1) + timedelta(days=n % 2000),
        facilitator="Alex Morgan",
        participants=participants,
        scope=framework.dimension_ids,
        ratings=ratings,
        consensus=consensus,
        targets=targets,
        actions=actions,
    )


def best_ms(call: Callable[[], object], repeats: int, number: int) -> float:
    """Best of `repeats` runs of `number` calls, in milliseconds per call."""
    call()  # warm the page cache and any statement cache
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            call()
        best = min(best, (time.perf_counter() - start) / number)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(20261121)
    framework = default_framework()

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        workshops = [realistic_workshop(framework, rng, n) for n in range(args.workshops)]
        built = time.perf_counter() - started
        with Library.open(data_dir) as library:
            started = time.perf_counter()
            library.add_many(workshops)
            inserted = time.perf_counter() - started
            print(
                f"{args.workshops} workshops ({sum(len(w.ratings) for w in workshops)} ratings): "
                f"built in {built:.1f} s, stored in one transaction in {inserted:.1f} s"
            )
            one = workshops[len(workshops) // 2].id
            needle = "northgate"

            bare = sqlite3.connect(str(data_dir / LIBRARY_FILE), isolation_level=None)

            def bare_load() -> None:
                for sql in store.LOAD_SQL.values():
                    bare.execute(sql, (one,)).fetchall()

            def load_uncached() -> None:
                store._framework_from_json.cache_clear()
                library.load(one)

            search_sql = store._LIST_SQL.format(where="WHERE instr(w.search_text, ?) > 0")
            rows = [
                (
                    "list_workshops()",
                    best_ms(library.list_workshops, 7, 3),
                    best_ms(lambda: bare.execute(store.LIST_SQL).fetchall(), 7, 3),
                ),
                (
                    f"list_workshops({needle!r})",
                    best_ms(lambda: library.list_workshops(needle), 7, 3),
                    best_ms(lambda: bare.execute(search_sql, (needle,)).fetchall(), 7, 3),
                ),
                (
                    "load(one)",
                    best_ms(lambda: library.load(one), 7, 200),
                    best_ms(bare_load, 7, 200),
                ),
                ("load(one), framework not cached", best_ms(load_uncached, 7, 100), None),
            ]
            bare.close()
            started = time.perf_counter()
        closed = time.perf_counter() - started
        size_mb = (data_dir / LIBRARY_FILE).stat().st_size / 1e6
        print(
            f"library file {size_mb:.0f} MB (each workshop keeps its own framework copy); "
            f"closing took {closed:.1f} s (a checked backup copy)"
        )
        print()
        print(f"{'operation':<34} {'ours ms':>9} {'bare ms':>9} {'ours/bare':>10}")
        bare_load_ms = rows[2][2]
        for name, ours, bare_ms in rows:
            reference = bare_ms if bare_ms is not None else bare_load_ms
            shown = f"{bare_ms:9.3f}" if bare_ms is not None else f"{'(as above)':>9}"
            print(f"{name:<34} {ours:9.3f} {shown} {ours / reference:9.1f}x")


if __name__ == "__main__":
    main()
