"""Edits a library as fast as it can, printing each edit's number once save_change has returned.

Run by test_durability.py, which kills it at random moments: a printed number is a promise that
the edit is on disk. Usage: durability_writer.py DATA_DIR WORKSHOP_ID

Edit n records a rating on key n % (participants x barriers) with evidence "n xxx...", so the
newest edit of each key can be read back, and numbering resumes after the last saved edit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from opassess.changes import changes_between
from opassess.store import Library
from opassess.workshop import record_rating


def main(data_dir: str, workshop_id: str) -> None:
    library = Library.open(Path(data_dir))
    workshop = library.load(workshop_id)
    keys = [(p.id, d) for p in workshop.participants for d in workshop.scope]
    stages = workshop.framework.level_ids
    saved = [int(r.evidence.split()[0]) for r in workshop.ratings.values()]
    number = max(saved, default=-1) + 1
    print("open", flush=True)
    while True:
        participant_id, dimension_id = keys[number % len(keys)]
        # Evidence of varying length, so edits land on different pages and overflow chains.
        evidence = f"{number} " + "x" * (number * 37 % 3000)
        edited = record_rating(
            workshop, participant_id, dimension_id, stages[number % len(stages)], evidence
        )
        library.save_change(workshop, edited, changes_between(workshop, edited))
        workshop = edited
        print(number, flush=True)
        number += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
