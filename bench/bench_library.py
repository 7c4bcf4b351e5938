"""How much the library's object building costs over bare SQLite, on a 5,000-workshop library.

Run: .venv/bin/python bench/bench_library.py [--workshops N] [--adapt-every N]

Builds a library of realistic workshops (5-12 participants, six barriers, a rating each with
short evidence, consensus, targets and a few actions; one in ten, by default, has put a barrier
in its own words) in one transaction, then times list_workshops() and load() against bare
sqlite3 running the same SELECTs on the same file and fetching the rows, with no objects built.
Best of several repeats; prints the file's size and a short table.
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
from opassess.frameworks import Framework, default_framework, edit_dimension
from opassess.store import LIBRARY_FILE, Library
from opassess.store.library import _LIST_SQL
from opassess.store.rows import _FRAMEWORKS
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


def realistic_workshop(
    framework: Framework, rng: random.Random, n: int, adapt_every: int = 10
) -> Workshop:
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
    if adapt_every and n % adapt_every == adapt_every - 1:
        # Some teams put a barrier in their own words: that workshop's copy alone changes.
        framework = edit_dimension(
            framework, framework.dimension_ids[0], question=f"How does {town} see it? ({n})"
        )
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
    parser.add_argument(
        "--adapt-every",
        type=int,
        default=10,
        metavar="N",
        help="every Nth workshop adapts a barrier's wording (its own framework copy); 0: none",
    )
    args = parser.parse_args()
    rng = random.Random(20261121)
    framework = default_framework()

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        workshops = [
            realistic_workshop(framework, rng, n, args.adapt_every) for n in range(args.workshops)
        ]
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

            fingerprint = bare.execute(
                "SELECT framework FROM workshops WHERE id = ?", (one,)
            ).fetchone()[0]

            def load_uncached() -> None:
                _FRAMEWORKS.clear()
                library.load(one)

            def bare_load_uncached() -> None:
                bare_load()
                bare.execute(store.FRAMEWORK_SQL, (fingerprint,)).fetchall()

            search_sql = _LIST_SQL.format(where="WHERE instr(w.search_text, ?) > 0")

            def bare_list(sql: str, *args: str) -> None:  # the listing's two SELECTs
                bare.execute(sql, args).fetchall()
                bare.execute(store.REASSESSED_SQL).fetchall()
            rows = [
                (
                    "list_workshops()",
                    best_ms(library.list_workshops, 7, 3),
                    best_ms(lambda: bare_list(store.LIST_SQL), 7, 3),
                ),
                (
                    f"list_workshops({needle!r})",
                    best_ms(lambda: library.list_workshops(needle), 7, 3),
                    best_ms(lambda: bare_list(search_sql, needle), 7, 3),
                ),
                (
                    "load(one)",
                    best_ms(lambda: library.load(one), 7, 200),
                    best_ms(bare_load, 7, 200),
                ),
                (
                    "load(one), framework not cached",
                    best_ms(load_uncached, 7, 100),
                    best_ms(bare_load_uncached, 7, 100),
                ),
            ]
            copies, copies_bytes = bare.execute(
                "SELECT count(*), sum(length(CAST(json AS BLOB))) FROM frameworks"
            ).fetchone()
            bare.close()
            started = time.perf_counter()
        closed = time.perf_counter() - started
        size_mb = (data_dir / LIBRARY_FILE).stat().st_size / 1e6
        backup_mb = store.backups(data_dir)[0].stat().st_size / 1e6
        print(
            f"library file {size_mb:.1f} MB, its backup {backup_mb:.1f} MB; {copies} distinct "
            f"framework {'copy' if copies == 1 else 'copies'} ({copies_bytes / 1e6:.1f} MB) "
            f"for {args.workshops} workshops; "
            f"closing took {closed:.1f} s (a checked backup copy)"
        )
        print()
        print(f"{'operation':<34} {'ours ms':>9} {'bare ms':>9} {'ours/bare':>10}")
        for name, ours, bare_ms in rows:
            print(f"{name:<34} {ours:9.3f} {bare_ms:9.3f} {ours / bare_ms:9.1f}x")


if __name__ == "__main__":
    main()
