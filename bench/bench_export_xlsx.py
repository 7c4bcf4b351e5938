"""How long the Excel export takes, against bare openpyxl writing the same cells.

Run: .venv/bin/python bench/bench_export_xlsx.py [--participants 40] [--runs 5]

A demo workshop (40 participants by default, six barriers, evidence, consensus, targets, three
actions a barrier). Ours is the real export: `workbook_bytes` (analysis, every sheet's rows, text
made safe, styles, column widths, freeze panes, filters, print set-up, the Summary chart and the
action table, saved to memory) and `write_workbook` (the same, written atomically to a file and
synced). The baseline, in the same run, writes the same sheets, rows and values, worked out
beforehand, with `ws.append` into a fresh openpyxl workbook saved to a BytesIO: no styling, no
chart, no table, no analysis. Best of `--runs` for each; prints milliseconds and the ratio.

With `--instructions`, valgrind's callgrind counts the instructions of one in-memory export and
of one bare build instead (`--calls` of each; about a minute): a ratio that does not move with
the machine's load.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook
from timing import add_instruction_options, best_ms, counted_instead

from opassess.demo import demo_workshop
from opassess.export.xlsx import sheet_contents, workbook_bytes, write_workbook

GOAL = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    add_instruction_options(parser)
    args = parser.parse_args()

    workshop = demo_workshop(participants=args.participants)
    contents = sheet_contents(workshop)
    cells = sum(len(row) for content in contents for row in content.rows)

    def bare() -> bytes:
        book = Workbook()
        book.remove(book.active)
        for content in contents:
            sheet = book.create_sheet(content.name)
            for row in content.rows:
                sheet.append(row)
        buffer = BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    jobs = {"ours": lambda: workbook_bytes(workshop), "bare": bare}
    labels = {
        "ours": "ours: workbook_bytes (in memory)",
        "bare": "bare: openpyxl ws.append (in memory)",
    }
    what = f"Excel export, {args.participants} participants, {cells} cells"
    participants = ["--participants", str(args.participants)]
    if counted_instead(args, Path(__file__), jobs, labels, what, GOAL, participants):
        return

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "export.xlsx"
        ours_file, ours_memory, bare_memory = best_ms(
            args.runs,
            lambda: write_workbook(workshop, target),
            lambda: workbook_bytes(workshop),
            bare,
        )
        size = target.stat().st_size

    ratio = ours_memory / bare_memory
    print(
        f"Excel export, {args.participants} participants x {len(workshop.scope)} barriers, "
        f"{len(workshop.ratings)} ratings, {cells} cells, {size / 1024:.0f} kB; "
        f"best of {args.runs}"
    )
    print()
    print(f"  {'':40}{'ms':>8}")
    print(f"  {'ours: write_workbook (file, synced)':40}{ours_file:8.1f}")
    print(f"  {'ours: workbook_bytes (in memory)':40}{ours_memory:8.1f}")
    print(f"  {'bare: openpyxl ws.append (in memory)':40}{bare_memory:8.1f}")
    print(f"  {'ours/bare (in memory)':40}{ratio:7.2f}x  (goal: within {GOAL}x)")


if __name__ == "__main__":
    main()
