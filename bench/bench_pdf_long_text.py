"""Whether the PDF report's time grows in proportion to the text in it, against bare reportlab
laying out the same characters the easy way.

Run: .venv/bin/python bench/bench_pdf_long_text.py [--sizes 25000 100000 400000] [--runs 3]

For each size, a demo workshop of one barrier and two people, where one text of that many
characters is put in one place at a time:

- evidence, one unbroken run ("xxxx…", as a pasted code or a held-down key gives);
- evidence, prose (sentences of ordinary words, a line break every few sentences);
- a participant's name, one unbroken run: it prints in the cover's table of participants and in
  bold before that person's evidence;
- who is responsible for an action, one unbroken run: it prints in a narrow table column of the
  barrier's actions and of the action plan.

Ours is the real export, `report_bytes`. The baseline, in the same run, is reportlab's platypus
alone laying out the same characters once as ordinary prose: a `SimpleDocTemplate` of the same
page size and margins, the text in the report's body style as paragraphs of 2,000 characters of
words, which costs time in proportion to its length by construction. Best of `--runs` for each
after a warm-up, ours and bare taking turns. Ours/bare that stays level from one size to the
next means ours grows in proportion too; "x4" is how much longer ours took for four times the
text (4 when in proportion, 16 when it grows with the square).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate
from timing import best_ms

from opassess.demo import demo_workshop
from opassess.export.pdf import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, report_bytes
from opassess.export.pdf_style import register_fonts, styles
from opassess.workshop import Workshop

SENTENCE = "The team met every month and reviewed what the figures said. "
CASES = ("evidence, unbroken", "evidence, prose", "name, unbroken", "responsible, unbroken")


def prose(length: int) -> str:
    text = "".join(SENTENCE + ("\n" if i % 4 == 3 else "") for i in range(length // 60 + 1))
    return text[:length]


def workshop_with(case: str, length: int) -> Workshop:
    demo = demo_workshop(2)
    first = demo.scope[0]
    text = prose(length) if case.endswith("prose") else "x" * length
    person, other = demo.participants
    ratings = {key: r for key, r in demo.ratings.items() if key[1] == first}
    actions = {first: demo.actions_for(first)}
    if case.startswith("evidence"):
        key = (person.id, first)
        ratings[key] = dataclasses.replace(ratings[key], evidence=text)
    elif case.startswith("name"):
        person = dataclasses.replace(person, name=text)
    else:
        action = dataclasses.replace(actions[first][0], responsible=text)
        actions = {first: (action, *actions[first][1:])}
    return dataclasses.replace(
        demo, scope=(first,), participants=(person, other), ratings=ratings, actions=actions
    )


def bare(length: int) -> bytes:
    """The same number of characters as prose, in 2,000-character paragraphs of body text."""
    body = styles()["body"]
    text = prose(length).replace("\n", " ")
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
    )
    doc.build([Paragraph(text[i : i + 2000], body) for i in range(0, len(text), 2000)])
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000, 400_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    register_fonts()
    print(f"PDF report with one long text, best of {args.runs}; ms\n")
    print(f"{'':24}{'characters':>11}{'ours':>10}{'bare':>10}{'ours/bare':>11}{'x4':>7}")
    for case in CASES:
        before = None
        for length in args.sizes:
            workshop = workshop_with(case, length)
            ours, baseline = best_ms(
                args.runs, lambda w=workshop: report_bytes(w), lambda n=length: bare(n)
            )
            grew = f"{ours / before:.1f}" if before else ""
            print(
                f"{case:24}{length:>11,}{ours:>10.0f}{baseline:>10.0f}"
                f"{ours / baseline:>10.1f}x{grew:>7}"
            )
            before = ours
        print()


if __name__ == "__main__":
    main()
