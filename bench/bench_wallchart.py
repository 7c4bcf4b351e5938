"""How long the wall chart takes to show one new rating, against bare QPainter ellipses.

Run: .venv/bin/python bench/bench_wallchart.py [--participants 40] [--barriers 12] [--updates 50]

Offscreen, a workshop of 40 participants rating 12 barriers (the framework's six and copies of
them under new ids), ratings revealed. One update is what the app does when a rating is
recorded: the core edit (record_rating), analysis.summarise, WallChart.set_workshop, the chart's
layout, and a full repaint into a QImage through QWidget.render. The baseline, in the same run,
is a bare QWidget whose paintEvent draws as many antialiased ellipses as the chart has dots, with
no layout and no analysis, rendered the same way. Prints the median milliseconds of each, their
ratio, and whether an update fits in one 60 Hz frame (16.7 ms).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from opassess.analysis import summarise
from opassess.frameworks import Framework, default_framework
from opassess.workshop import (
    NOT_SURE,
    Consensus,
    Participant,
    Rating,
    Workshop,
    new_id,
    record_rating,
)
from ui.style import STAGE_COLOURS
from ui.wallchart import WallChart

FRAME_MS = 1000 / 60
FIRST = ["Priya", "Tomás", "Siân", "Alex", "Jordan", "Mei", "Kwame", "Ana", "Ravi", "Ingrid"]
LAST = ["Shah", "Ó Briain", "ap Rhys", "Morgan", "Lee", "Chen", "Mensah", "Silva", "Patel"]


def framework_with(barriers: int) -> Framework:
    """The default framework with its dimensions repeated under new ids up to `barriers`."""
    framework = default_framework()
    originals = framework.dimensions
    dimensions = list(originals)
    copy = 2
    while len(dimensions) < barriers:
        for dimension in originals[: barriers - len(dimensions)]:
            dimensions.append(
                dataclasses.replace(
                    dimension, id=f"{dimension.id}-{copy}", name=f"{dimension.name} ({copy})"
                )
            )
        copy += 1
    return dataclasses.replace(framework, dimensions=tuple(dimensions[:barriers]))


def workshop_of(participants: int, barriers: int, rng: random.Random) -> Workshop:
    framework = framework_with(barriers)
    stages = [*framework.level_ids, NOT_SURE]
    people = tuple(
        Participant(new_id(), f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        for _ in range(participants)
    )
    ratings = {
        (p.id, d): Rating(p.id, d, rng.choice(stages), "Seen at the last two meetings.")
        for p in people
        for d in framework.dimension_ids
    }
    consensus = {d: Consensus(rng.choice(framework.level_ids)) for d in framework.dimension_ids}
    return Workshop(
        id=new_id(),
        title="Benchmark",
        framework=framework,
        participants=people,
        scope=framework.dimension_ids,
        ratings=ratings,
        consensus=consensus,
        targets={d: framework.level_ids[-1] for d in framework.dimension_ids},
    )


class Ellipses(QWidget):
    """The baseline: the same number of dots as bare antialiased ellipses, nothing else."""

    def __init__(self, rects: list[QRectF]) -> None:
        super().__init__()
        self.rects = rects
        self.colours = [QColor(STAGE_COLOURS[i % 3]) for i in range(len(rects))]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(0, 0, 0, 150))
        for rect, colour in zip(self.rects, self.colours, strict=True):
            painter.setBrush(colour)
            painter.drawEllipse(rect)
        painter.end()


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(step: Callable[[], None], repeats: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        step()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        samples.append(time.perf_counter() - started)
    return samples


def none_reference_bug() -> bool:
    """True on PySide6 builds that drop a reference to None each time a method that returns
    nothing is called (seen with PySide6 6.12.0 on Python 3.11): the interpreter aborts once
    None's count runs out, which a benchmark of thousands of paint calls reaches in seconds."""
    if sys.version_info >= (3, 12):  # None is immortal there
        return False
    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(100):
        rect.setWidth(1.0)
    return sys.getrefcount(None) < before - 50


def refuse_faulty_pyside() -> bool:
    """Say why and return True on a PySide6 build that would abort a long run (see above)."""
    import PySide6

    if not none_reference_bug():
        return False
    print(
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} loses a "
        "reference to None on every call that returns nothing, so this run would abort. "
        "Use a PySide6 release without that fault (6.11.3 works).",
        file=sys.stderr,
    )
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--barriers", type=int, default=12)
    parser.add_argument("--updates", type=int, default=50)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if refuse_faulty_pyside():
        return 2
    import PySide6  # for the version in the heading

    rng = random.Random(2002)
    workshop = workshop_of(args.participants, args.barriers, rng)
    size = QSize(args.width, args.height)
    chart = WallChart()
    chart.resize(size)
    chart.set_revealed(True)
    chart.set_workshop(workshop)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    dots = chart.placement().dots

    people = [p.id for p in workshop.participants]
    stages = [*workshop.framework.level_ids, NOT_SURE]
    phases: dict[str, list[float]] = {"edit + summarise": [], "chart layout": [], "repaint": []}
    state = {"workshop": workshop}

    def one_rating() -> None:
        started = time.perf_counter()
        edited = record_rating(
            state["workshop"], rng.choice(people), rng.choice(workshop.scope), rng.choice(stages)
        )
        summaries = summarise(edited)
        laid = time.perf_counter()
        chart.set_workshop(edited, summaries)
        chart.placement()
        painted = time.perf_counter()
        chart.render(image)
        done = time.perf_counter()
        state["workshop"] = edited
        phases["edit + summarise"].append(laid - started)
        phases["chart layout"].append(painted - laid)
        phases["repaint"].append(done - painted)

    ours = timed(one_rating, args.updates)
    for samples in phases.values():
        del samples[: len(samples) - args.updates]  # drop the warm-up runs

    baseline = Ellipses([d.rect for d in dots])
    baseline.resize(size)
    bare_image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    bare = timed(lambda: baseline.render(bare_image), args.updates)

    ours_ms, bare_ms = median_ms(ours), median_ms(bare)
    print(
        f"wall chart {args.participants} participants x {args.barriers} barriers, "
        f"{len(dots)} dots of {chart.placement().dot_size} px, {size.width()}x{size.height()}, "
        f"offscreen; PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}; "
        f"median of {args.updates}"
    )
    print()
    print(f"{'one rating recorded':38}{'ms':>9}")
    for name, samples in phases.items():
        print(f"  {name:36}{median_ms(samples):9.2f}")
    print(f"{'ours: total':38}{ours_ms:9.2f}")
    print(f"{'bare: QPainter ellipses, same count':38}{bare_ms:9.2f}")
    print(f"{'ours/bare':38}{ours_ms / bare_ms:8.1f}x")
    verdict = "yes" if ours_ms < FRAME_MS else "no"
    print(f"{'under one 60 Hz frame (16.7 ms)?':38}{verdict:>9}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
