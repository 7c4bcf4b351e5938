"""How long finding a series and comparing 300 teams take, against bare SQLite reading the rows.

Run: .venv/bin/python bench/bench_rollup.py [--workshops N] [--teams N] [--runs N]

Builds a library of realistic workshops (bench_library's, 5,000 by default) in which some
workshops are re-assessed one to three times (start_reassessment, with follow-ups of the earlier
actions) and some carry tags, stored with Library.add_many. Then times, the jobs taking turns:

- a series: list_workshops() and series_ids() for a workshop of a 4-long chain, loading its
  workshops and build_series();
- a comparison: list_workshops(), Filters by organisation, the 300 latest matching workshops
  loaded, and compare();

each against bare sqlite3 running the same SELECTs on the same file (the listing's, and each
workshop's LOAD_SQL, and each distinct framework copy once) and fetching the rows, with no objects
built. The parsed-framework cache is cleared before each of ours, as when a page first opens.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_library import EVIDENCE, realistic_workshop
from timing import best_ms

from opassess import store
from opassess.frameworks import default_framework
from opassess.rollup import Filters, build_series, compare, series_ids
from opassess.store import LIBRARY_FILE, Library, WorkshopSummary
from opassess.store.rows import _FRAMEWORKS
from opassess.workshop import (
    FOLLOW_UP_OUTCOMES,
    Workshop,
    record_follow_up,
    set_tags,
    start_reassessment,
)

CHAIN_LENGTHS = (1, 2, 3, 4)
CHAIN_WEIGHTS = (55, 15, 10, 20)  # of series started: most teams assessed once
TAGS = ("north", "2026 round", "pilot", "housing review", "follow-up")
ORGANISATION = "northgate"  # what the comparison filters on (about 1 in 6 workshops)
FRAME_MS = 1000 / 60  # one 60 Hz frame
FREEZE_MS = 100.0  # longer than this on the GUI thread, a window seems frozen


def build_library_content(count: int, rng: random.Random) -> tuple[list[Workshop], list[str]]:
    """`count` workshops, some in chains of re-assessments; and the ids of one 4-long chain."""
    framework = default_framework()
    workshops: list[Workshop] = []
    four_long: list[list[str]] = []
    while len(workshops) < count:
        length = rng.choices(CHAIN_LENGTHS, CHAIN_WEIGHTS)[0]
        chain = [realistic_workshop(framework, rng, len(workshops))]
        for _ in range(min(length, count - len(workshops)) - 1):
            earlier = chain[-1]
            assert earlier.held_on is not None
            later = start_reassessment(
                earlier, held_on=earlier.held_on + timedelta(days=rng.randint(150, 400))
            )
            # The new team's ratings, consensus and actions: a fresh workshop's content.
            fresh = realistic_workshop(framework, rng, len(workshops) + len(chain), adapt_every=0)
            later = dataclasses.replace(
                later,
                participants=fresh.participants,
                ratings=fresh.ratings,
                consensus=fresh.consensus,
                targets=fresh.targets,
                actions=fresh.actions,
            )
            for actions in earlier.actions.values():
                for action in actions:
                    later = record_follow_up(
                        later, action.id, rng.choice(FOLLOW_UP_OUTCOMES), rng.choice(EVIDENCE)
                    )
            chain.append(later)
        if len(chain) == 4:
            four_long.append([w.id for w in chain])
        workshops.extend(chain)
    for index, workshop in enumerate(workshops):
        if index % 3 == 0:
            workshops[index] = set_tags(workshop, rng.sample(TAGS, rng.randint(1, 2)))
    if not four_long:
        raise SystemExit("no 4-long series was built: ask for more workshops")
    return workshops, four_long[len(four_long) // 2]


def chosen_teams(summaries: Sequence[WorkshopSummary], teams: int) -> list[str]:
    """The `teams` latest workshops of one organisation, as a comparison page would pick them."""
    filters = Filters(organisation=ORGANISATION)
    matching = [s for s in summaries if filters.matches(s)]
    matching.sort(key=lambda s: (s.held_on or date.min, s.id), reverse=True)
    return [s.id for s in matching[:teams]]


def row(name: str, ours: float, bare: float | None) -> str:
    if bare is None:
        return f"  {name:<38} {ours:9.2f}"
    return f"  {name:<38} {ours:9.2f} {bare:9.2f} {ours / bare:8.1f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=5000)
    parser.add_argument("--teams", type=int, default=300, help="workshops compared")
    parser.add_argument("--runs", type=int, default=7, help="best of this many, jobs in turn")
    args = parser.parse_args()
    rng = random.Random(20261122)

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        workshops, chain = build_library_content(args.workshops, rng)
        built = time.perf_counter() - started
        with Library.open(data_dir) as library:
            started = time.perf_counter()
            library.add_many(workshops)
            stored = time.perf_counter() - started
            in_series = sum(1 for w in workshops if w.reassesses)
            print(
                f"{len(workshops)} workshops ({sum(len(w.ratings) for w in workshops)} ratings, "
                f"{in_series} re-assessments, {sum(1 for w in workshops if w.tags)} tagged): "
                f"built in {built:.1f} s, stored in one transaction in {stored:.1f} s"
            )
            del workshops
            target = chain[1]  # the second of a 4-long chain: series_ids walks back and on
            summaries = library.list_workshops()
            assert series_ids(summaries, target) == chain
            compared = chosen_teams(summaries, args.teams)

            bare = sqlite3.connect(str(data_dir / LIBRARY_FILE), isolation_level=None)

            def fingerprints(ids: Sequence[str]) -> list[str]:
                found = {
                    bare.execute("SELECT framework FROM workshops WHERE id = ?", (i,)).fetchone()[0]
                    for i in ids
                }
                return sorted(found)

            def bare_list() -> None:  # the listing's two SELECTs
                bare.execute(store.LIST_SQL).fetchall()
                bare.execute(store.REASSESSED_SQL).fetchall()

            def bare_load(ids: Sequence[str], copies: Sequence[str]) -> Callable[[], None]:
                def job() -> None:
                    for identifier in ids:
                        for sql in store.LOAD_SQL.values():
                            bare.execute(sql, (identifier,)).fetchall()
                    for fingerprint in copies:  # each distinct copy read once
                        bare.execute(store.FRAMEWORK_SQL, (fingerprint,)).fetchall()

                return job

            def ours_load(ids: Sequence[str]) -> list[Workshop]:
                _FRAMEWORKS.clear()
                return [library.load(i) for i in ids]

            # -- a series --------------------------------------------------------------------
            series_copies = fingerprints(chain)
            series_workshops = ours_load(chain)
            bare_series_load = bare_load(chain, series_copies)

            def ours_series() -> None:
                ids = series_ids(library.list_workshops(), target)
                build_series(ours_load(ids))

            def bare_series() -> None:
                bare_list()
                bare_series_load()

            # -- a comparison ----------------------------------------------------------------
            compare_copies = fingerprints(compared)
            compare_workshops = ours_load(compared)
            bare_compare_load = bare_load(compared, compare_copies)

            def ours_compare() -> None:
                compare(ours_load(chosen_teams(library.list_workshops(), args.teams)))

            def bare_compare() -> None:
                bare_list()
                bare_compare_load()

            jobs: dict[str, Callable[[], object]] = {
                "series": ours_series,
                "series bare": bare_series,
                "series list": lambda: series_ids(library.list_workshops(), target),
                "series load": lambda: ours_load(chain),
                "series load bare": bare_series_load,
                "series build": lambda: build_series(series_workshops),
                "compare": ours_compare,
                "compare bare": bare_compare,
                "compare list": lambda: chosen_teams(library.list_workshops(), args.teams),
                "list bare": bare_list,
                "compare load": lambda: ours_load(compared),
                "compare load bare": bare_compare_load,
                "compare only": lambda: compare(compare_workshops),
            }
            ms = dict(zip(jobs, best_ms(args.runs, *jobs.values()), strict=True))
            bare.close()
            comparison = compare(compare_workshops)

    n = len(compared)
    print(
        f"series of {len(chain)} ({len(series_copies)} framework "
        f"{'copy' if len(series_copies) == 1 else 'copies'}); comparison of {n} "
        f"'{ORGANISATION}' workshops, {len(comparison.dimensions)} dimensions, "
        f"{len(compare_copies)} framework copies ({comparison.versions} versions); "
        f"best of {args.runs}, framework cache cleared before each of ours"
    )
    print()
    print(f"  {'':<38} {'ours ms':>9} {'bare ms':>9} {'ours/bare':>9}")
    print("finding a series")
    print(row("list_workshops + series_ids", ms["series list"], ms["list bare"]))
    print(row(f"load {len(chain)} workshops", ms["series load"], ms["series load bare"]))
    print(row("build_series", ms["series build"], None))
    print(row("total", ms["series"], ms["series bare"]))
    print(f"comparing {n} teams")
    print(row("list_workshops + Filters", ms["compare list"], ms["list bare"]))
    print(row(f"load {n} workshops", ms["compare load"], ms["compare load bare"]))
    print(row("compare", ms["compare only"], None))
    print(row("total", ms["compare"], ms["compare bare"]))

    per_workshop = (ms["compare load"] + ms["compare only"]) / n
    print()
    print(
        f"per workshop compared: {per_workshop:.3f} ms (load {ms['compare load'] / n:.3f}, "
        f"compare {ms['compare only'] / n:.3f}; bare rows {ms['compare load bare'] / n:.3f})"
    )
    freezes = ms["compare"] > FREEZE_MS
    print(
        f"{n}-team comparison on the GUI thread: {ms['compare']:.0f} ms, "
        f"{'over' if freezes else 'under'} {FREEZE_MS:.0f} ms"
        + (": show progress / work in steps" if freezes else "")
        + f"; {max(1, int(FRAME_MS // per_workshop))} workshops fit in a {FRAME_MS:.1f} ms step"
    )


if __name__ == "__main__":
    main()
