"""Re-assessing on another version of a framework: matched by id, and what could not be
compared said plainly."""

from __future__ import annotations

import dataclasses

from opassess.analysis import Unmatched, movement, unmatched
from opassess.demo import demo_workshop
from opassess.frameworks import Dimension, default_framework, edit_dimension
from opassess.wording import movement_words, unmatched_words
from opassess.workshop import Consensus, start_reassessment


def _next_version():
    """The breakthrough model renamed in one place, one barrier gone, one added, a stage gone."""
    framework = default_framework()
    framework = edit_dimension(framework, "no-time-to-learn", name="We never stop to learn")
    dimensions = [d for d in framework.dimensions if d.id != "some-people-do-not-perform"]
    dimensions.append(
        Dimension(
            "partners-pull-apart",
            "Partners pull in other directions",
            descriptors={level: ("An example",) for level in ("starting", "developing")},
        )
    )
    levels = framework.levels[:2]
    dimensions = [
        dataclasses.replace(
            d, descriptors={k: v for k, v in d.descriptors.items() if k != "consolidating"}
        )
        for d in dimensions
    ]
    return dataclasses.replace(framework, version="2", levels=levels, dimensions=tuple(dimensions))


def test_the_same_version_compares_everything():
    earlier = demo_workshop(6)
    later = start_reassessment(earlier)
    assert later.framework == earlier.framework and later.scope == earlier.scope
    assert later.title.endswith("(re-assessment)")
    assert not unmatched(earlier, later)
    assert unmatched_words(unmatched(earlier, later)) == ""


def test_another_version_is_matched_by_id_and_says_what_it_could_not_compare():
    earlier = demo_workshop(6)
    version_two = _next_version()
    later = start_reassessment(earlier, framework=version_two)
    assert later.framework is version_two
    assert "some-people-do-not-perform" not in later.scope
    later = dataclasses.replace(
        later,
        scope=(*later.scope, "partners-pull-apart"),
        consensus={
            "no-time-to-learn": Consensus("developing"),
            "leaders-not-interested": Consensus("developing"),
            "partners-pull-apart": Consensus("starting"),
        },
    )
    gaps = unmatched(earlier, later)
    assert gaps == Unmatched(
        dropped_dimensions=("Some people don't perform",),
        new_dimensions=("Partners pull in other directions",),
        dropped_stages=("Consolidating",),
    )
    words = unmatched_words(gaps, version_two.terms)
    assert "“Some people don't perform” from last time cannot be compared" in words
    assert "“Partners pull in other directions” is new in this version" in words
    assert "last time's “Consolidating” is not one of this version's stages" in words
    moves = {m.dimension_id: m for m in movement(earlier, later)}
    # renamed, same id: compared, under its new name
    learn = moves["no-time-to-learn"]
    assert learn.name == "We never stop to learn"
    assert learn.before == "starting" and learn.steps == 1
    assert movement_words(learn) == "forward one stage"
    assert movement_words(moves["partners-pull-apart"]).startswith("new in this version")


def test_a_stage_gone_from_the_new_version_is_not_comparable_rather_than_a_guess():
    earlier = demo_workshop(6)
    earlier = dataclasses.replace(
        earlier,
        consensus={**earlier.consensus, "leaders-not-interested": Consensus("consolidating")},
    )
    later = start_reassessment(earlier, framework=_next_version())
    later = dataclasses.replace(
        later, consensus={"leaders-not-interested": Consensus("developing")}
    )
    move = next(m for m in movement(earlier, later) if m.dimension_id == "leaders-not-interested")
    assert move.steps is None
    assert movement_words(move) == "not comparable: last time's stage is not in this version"


def test_the_report_and_the_workbook_say_what_could_not_be_compared(tmp_path):
    import openpyxl
    from pypdf import PdfReader

    from opassess.export.pdf import write_report
    from opassess.export.xlsx import write_workbook

    earlier = demo_workshop(6)
    later = start_reassessment(earlier, framework=_next_version())
    later = dataclasses.replace(
        later, consensus={"leaders-not-interested": Consensus("developing")}
    )
    report, workbook = tmp_path / "report.pdf", tmp_path / "results.xlsx"
    write_report(later, report, previous=earlier)
    write_workbook(later, workbook, previous=earlier)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(report).pages)
    assert "“Some people don't perform” from last time cannot be compared" in text
    sheet = openpyxl.load_workbook(workbook)["Movement"]
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert any("cannot be compared" in str(note) for note in notes)
