"""Every export in every framework's own words and colours: each built-in framework, and a
five-stage one of our own, through the report, the workbook, the paper forms, the spreadsheet
rating forms (written, filled in and read back) and the room.

A framework may call what is rated a "question" and its stages "ratings", and look at it again
at a "stocktake": nothing it prints may speak of barriers or assume three stages. The
breakthrough model's own words are pinned by the other export tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from opassess.export.rating_forms import (
    DATA_SHEET,
    FIRST_BARRIER_ROW,
    FORM_SHEET,
    RatingFormError,
    read_rating_forms,
)
from opassess.frameworks import (
    Framework,
    builtin_frameworks,
    capitalised,
    default_framework,
    framework_from_dict,
)
from opassess.paths import resources_dir
from opassess.room import Room, RoomRefusal
from opassess.services import export
from opassess.wording import NOT_SURE_LABEL, article, reassess_by
from opassess.workshop import (
    NOT_SURE,
    Workshop,
    add_action,
    add_participants,
    agree_consensus,
    new_workshop,
    record_rating,
    record_ratings,
    set_target,
    update_details,
)

PEOPLE = [
    ("Priya Shah", "Chief Executive"),
    ("Tomás Ó Briain", "Director of Finance"),
    ("Siân ap Rhys", "Head of Housing"),
]

PROMPTED = {"prompts": ["Who would notice?"], "warning_signs": ["Nobody asks."]}
FIVE_STAGES = {
    "format": 1,
    "id": "five-steps",
    "name": "Five steps",
    "version": "3",
    "source": "Written for these tests",
    "summary": "A team's own scale of five steps.",
    "scale_note": "Five steps, from the first to the fifth, made up for the tests.",
    "terms": {
        "dimension": "aspect",
        "dimensions": "aspects",
        "level": "step",
        "levels": "steps",
        "reassessment": "review",
        "suggestion": "idea",
        "suggestions": "ideas",
    },
    "levels": [
        {"id": f"step-{n}", "name": name}
        for n, name in enumerate(
            ("Not yet begun", "Beginning", "Spreading", "Routine across the organisation", "Model"),
            start=1,
        )
    ],
    "dimensions": [
        {
            "id": f"aspect-{n}",
            "name": f"Aspect number {n}",
            "question": f"How well do we handle aspect {n}?",
            "explanation": "An aspect of how the team works.",
            "descriptors": {f"step-{s}": [f"Aspect {n} at step {s}."] for s in range(1, 6)},
            # Only the first has questions to test a rating and warning signs.
            **(PROMPTED if n == 1 else {}),
        }
        for n in (1, 2, 3)
    ],
    "suggestions": [
        {
            "id": "idea-1",
            "name": "Ask the users",
            "summary": "Start from what users see.",
            "dimensions": ["aspect-1", "aspect-3"],
            "actions": ["Hold a session with users."],
        }
    ],
}


def _frameworks() -> dict[str, Framework]:
    return {**builtin_frameworks(), "five-steps": framework_from_dict(FIVE_STAGES)}


FRAMEWORK_IDS = sorted(_frameworks())
OTHERS = [key for key in FRAMEWORK_IDS if key != default_framework().id]


def complete_workshop(framework: Framework) -> Workshop:
    """A workshop with every barrier rated (every stage used, and a Not sure), agreed, targeted
    and given an action, and a date to look again: something on every page of every export."""
    ws = new_workshop(
        framework,
        title="Spring self-assessment",
        organisation="Riverside Council",
        team="Leadership team",
        held_on=date(2026, 3, 12),
        facilitator="Alex Morgan",
    )
    ws = add_participants(ws, PEOPLE)
    ws = update_details(ws, reassess_on=date(2026, 9, 1))
    levels = framework.level_ids
    count = 0
    for index, dimension in enumerate(framework.dimensions):
        for person in ws.participants:
            stage = levels[count % len(levels)] if count % 7 != 6 else NOT_SURE
            count += 1
            evidence = f"Seen by {person.name} in {dimension.name}."
            ws = record_rating(ws, person.id, dimension.id, stage, evidence)
        agreed = levels[index % (len(levels) - 1)]
        ws = agree_consensus(ws, dimension.id, agreed, "Most of the evidence points here.")
        ws = set_target(ws, dimension.id, levels[levels.index(agreed) + 1])
        ws = add_action(
            ws,
            dimension.id,
            f"Act on {dimension.name}",
            responsible="Priya Shah",
            accountable="Priya Shah",
            due_on=date(2026, 6, 30),
        )
    return ws


@dataclass
class Exported:
    framework: Framework
    workshop: Workshop
    report: str  # the report's text, whitespace made single spaces
    report_pdf: Path
    forms: str  # the paper forms' text
    book: openpyxl.Workbook
    form_paths: list[Path]


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


@pytest.fixture(scope="module", params=FRAMEWORK_IDS)
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """One complete workshop per framework, through every export of the registry."""
    framework = _frameworks()[request.param]
    workshop = complete_workshop(framework)
    folder = tmp_path_factory.mktemp(request.param)
    export("report", workshop, folder / "report.pdf")
    export("workbook", workshop, folder / "book.xlsx")
    export("paper-forms", workshop, folder / "forms.pdf")
    (folder / "forms").mkdir()
    paths = export("spreadsheet-forms", workshop, folder / "forms")
    assert isinstance(paths, list)
    return Exported(
        framework,
        workshop,
        _pdf_text(folder / "report.pdf"),
        folder / "report.pdf",
        _pdf_text(folder / "forms.pdf"),
        openpyxl.load_workbook(folder / "book.xlsx"),
        paths,
    )


def _cells(book: openpyxl.Workbook, *, visible_only: bool = False) -> str:
    return " ".join(
        str(value)
        for sheet in book.worksheets
        if not (visible_only and sheet.sheet_state == "hidden")
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _is_breakthrough(framework: Framework) -> bool:
    return framework.id == default_framework().id


# -- the report --------------------------------------------------------------------------------


def test_the_report_names_every_stage_and_barrier_in_the_frameworks_words(
    exported: Exported,
) -> None:
    framework, text = exported.framework, exported.report
    terms = framework.terms
    for level in framework.levels:
        assert level.name in text, level.name
        assert f"{level.name} (" in text  # an evidence heading: the stage and its count
    for dimension in framework.dimensions:
        assert dimension.name in text, dimension.name
    for expected in (
        f"{capitalised(terms.dimensions)} assessed",
        f"{reassess_by(terms)} 1 September 2026",
        f"Agreed {terms.level}: ",
        f"Target {terms.level}",
        f"Appendix: {terms.level} descriptors",
        framework.title,
        f"{capitalised(terms.dimension)} Action Responsible",  # the action plan's header
    ):
        assert expected in text, expected
    assert "1 September 2026, to see which " + terms.dimensions + " have moved" in text


def test_the_report_speaks_of_no_barrier_nor_breakthrough(exported: Exported) -> None:
    if _is_breakthrough(exported.framework):
        assert "Barriers assessed" in exported.report and "Re-assess by" in exported.report
        return
    lowered = exported.report.lower()
    assert "barrier" not in lowered
    assert "breakthrough" not in lowered
    if exported.framework.terms.reassessment != "re-assessment":
        assert "re-assess" not in lowered


def test_the_report_prints_prompts_warning_signs_and_the_scale_note(exported: Exported) -> None:
    framework, text = exported.framework, exported.report
    with_prompts = [d for d in framework.dimensions if d.prompts]
    assert ("Questions to test the rating" in text) == bool(with_prompts)
    assert ("Warning signs" in text) == any(d.warning_signs for d in framework.dimensions)
    for dimension in framework.dimensions:
        for item in (*dimension.prompts, *dimension.warning_signs):
            assert " ".join(item.split()) in text, item
    if framework.scale_note:
        assert " ".join(framework.scale_note.split()) in text
        assert f"Source: {' '.join(framework.source.split())}" in text


def _fill_colours(path: Path) -> set[str]:
    """Every fill colour the PDF's pages draw with, as #RRGGBB."""
    found = set()
    for page in PdfReader(path).pages:
        content = page.get_contents().get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content):
            found.add("#" + "".join(f"{round(float(c) * 255):02X}" for c in (r, g, b)))
    return found


def test_the_report_draws_the_stages_in_the_frameworks_colours(exported: Exported) -> None:
    drawn = _fill_colours(exported.report_pdf)
    assert set(exported.framework.colours) <= drawn


def test_delivery_confidence_prints_red_to_green() -> None:
    framework = builtin_frameworks()["delivery-confidence"]
    assert framework.colours == ("#C0392B", "#E67E22", "#D4AC0D", "#1E8449")


# -- the workbook ------------------------------------------------------------------------------


def test_the_workbook_headings_use_the_frameworks_words(exported: Exported) -> None:
    framework, book = exported.framework, exported.book
    terms = framework.terms
    dimension, level = capitalised(terms.dimension), capitalised(terms.level)
    summary = book["Summary"]
    details = {row[0].value: row[1].value for row in summary.iter_rows(max_row=7)}
    assert reassess_by(terms) in details
    heading = [cell.value for cell in summary[9]]
    assert heading[:3] == [dimension, f"Agreed {terms.level}", f"Target {terms.level}"]
    assert heading[6 : 6 + len(framework.levels)] == [lv.name for lv in framework.levels]
    assert [c.value for c in book["Ratings"][1]][2:4] == [dimension, level]
    assert [c.value for c in book["Descriptors"][1]][:2] == [dimension, level]
    assert book.sheetnames[-1] == capitalised(terms.suggestions)
    assert [c.value for c in book[book.sheetnames[-1]][1]][1] == capitalised(terms.suggestion)
    rows = [row[0] for row in summary.iter_rows(min_row=10, values_only=True) if row[0]]
    assert rows == [d.name for d in framework.dimensions]


def test_delivery_confidence_headings_say_question_and_rating(tmp_path: Path) -> None:
    workshop = complete_workshop(builtin_frameworks()["delivery-confidence"])
    export("workbook", workshop, tmp_path / "book.xlsx")
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert [c.value for c in book["Ratings"][1]] == [
        "Participant",
        "Role",
        "Question",
        "Rating",
        "Evidence",
    ]
    assert book["Summary"]["A7"].value == "Stocktake by"


def test_the_workbook_speaks_of_no_barrier(exported: Exported) -> None:
    if _is_breakthrough(exported.framework):
        return
    text = _cells(exported.book).lower()
    assert "barrier" not in text and "breakthrough" not in text


def test_the_chart_is_in_the_frameworks_colours(exported: Exported) -> None:
    series = exported.book["Summary"]._charts[0].series
    solid = [s.graphicalProperties.solidFill.srgbClr for s in series]
    assert solid == [colour.lstrip("#") for colour in exported.framework.colours]


def test_the_descriptors_sheet_adds_columns_only_for_what_a_framework_has(
    exported: Exported,
) -> None:
    framework = exported.framework
    heading = [c.value for c in exported.book["Descriptors"][1]]
    assert ("Questions to test the rating" in heading) == any(
        d.prompts for d in framework.dimensions
    )
    assert ("Source" in heading) == any(d.source_note for d in framework.dimensions)
    if _is_breakthrough(framework):
        assert heading == ["Barrier", "Stage", "Descriptor"]
        return
    text = _cells(exported.book)
    for dimension in framework.dimensions:
        for prompt in dimension.prompts:
            assert prompt in text, prompt


def test_a_colour_given_twice_is_hatched_the_second_time(tmp_path: Path) -> None:
    document = {
        **FIVE_STAGES,
        "levels": [
            {**level, "colour": "#336699" if n in (1, 3) else "#AA5500"}
            for n, level in enumerate(FIVE_STAGES["levels"])
        ],
    }
    export("workbook", complete_workshop(framework_from_dict(document)), tmp_path / "b.xlsx")
    series = openpyxl.load_workbook(tmp_path / "b.xlsx")["Summary"]._charts[0].series
    first, second, third, fourth = series[:4]
    assert first.graphicalProperties.solidFill.srgbClr == "AA5500"
    assert second.graphicalProperties.solidFill.srgbClr == "336699"
    assert third.graphicalProperties.pattFill.fgClr.srgbClr == "AA5500"
    assert fourth.graphicalProperties.pattFill.fgClr.srgbClr == "336699"


# -- the paper forms ---------------------------------------------------------------------------


def test_the_paper_forms_in_the_frameworks_words(exported: Exported) -> None:
    framework, text = exported.framework, exported.forms
    terms = framework.terms
    count = len(framework.dimensions)
    for number, dimension in enumerate(framework.dimensions, start=1):
        kicker = f"{capitalised(terms.dimension)} {number} of {count}"
        if dimension.group:  # "Area 1 of 5 · Whole system"
            kicker += f" · {dimension.group}"
        assert f"{kicker} {dimension.name}" in text, kicker
        assert dimension.name in text, dimension.name
    for level in framework.levels:
        assert level.name in text, level.name
    assert (
        f"For each {terms.dimension}, read what each {terms.level} looks like and tick one box: "
        f"the {terms.level} closest to what you have seen here"
    ) in text
    if not _is_breakthrough(framework):
        assert "barrier" not in text.lower() and "breakthrough" not in text.lower()


# -- the spreadsheet rating forms ------------------------------------------------------------


def _fill(path: Path, stages: list[str]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[FORM_SHEET]
    for offset, stage in enumerate(stages):
        sheet[f"C{FIRST_BARRIER_ROW + offset}"] = stage
        sheet[f"D{FIRST_BARRIER_ROW + offset}"] = f"Filled in on row {offset}."
    book.save(path)


def test_rating_forms_read_back_in_any_framework(exported: Exported) -> None:
    framework, workshop = exported.framework, exported.workshop
    terms = framework.terms
    path = exported.form_paths[0]
    sheet = openpyxl.load_workbook(path)[FORM_SHEET]
    heading = [c.value for c in sheet[FIRST_BARRIER_ROW - 1]]
    assert heading[0] == capitalised(terms.dimension)
    assert heading[2] == capitalised(terms.level)
    assert heading[4] == f"What each {terms.level} looks like"
    assert len(set(heading)) == len(heading)  # "Question" never twice
    assert sheet["A2"].value.startswith(
        f"For each {terms.dimension}, choose {article(terms.level)} in the "
        f"{capitalised(terms.level)} column"
    )
    if not _is_breakthrough(framework):
        book = openpyxl.load_workbook(path)
        assert "barrier" not in _cells(book).lower()

    # Every stage by name (the last one, in capitals, as people type), then Not sure.
    names = [level.name for level in framework.levels]
    chosen = [*names[:-1], names[-1].upper(), NOT_SURE_LABEL][: len(framework.dimensions)]
    chosen += [names[0]] * (len(framework.dimensions) - len(chosen))
    _fill(path, chosen)
    (form,) = read_rating_forms(workshop, [path])
    expected_ids = [*framework.level_ids, NOT_SURE][: len(chosen)]
    expected_ids += [framework.level_ids[0]] * (len(chosen) - len(expected_ids))
    assert [stage for _, stage, _ in form.answers] == expected_ids
    updated = record_ratings(workshop, form.participant_id, form.answers)
    first = framework.dimensions[0].id
    assert updated.ratings[(form.participant_id, first)].evidence == "Filled in on row 0."


def test_rating_form_problems_are_told_in_the_frameworks_words(exported: Exported) -> None:
    framework, workshop = exported.framework, exported.workshop
    terms = framework.terms
    path = exported.form_paths[1]
    _fill(path, ["Somewhere in between"])
    book = openpyxl.load_workbook(path)
    book[DATA_SHEET]["B10"] = "made-up"
    book.save(path)
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(workshop, [path])
    message = str(error.value)
    assert f"'Somewhere in between' is not {article(terms.level)}; choose " in message
    assert f"'made-up' is not {article(terms.dimension)} of this workshop." in message
    if not _is_breakthrough(framework):
        assert "barrier" not in message.lower()


# -- the room ----------------------------------------------------------------------------------


def _room(workshop: Workshop) -> tuple[Room, list[Workshop]]:
    held = [workshop]

    def record(participant_id: str, answers: tuple[tuple[str, str, str], ...], check) -> None:
        check()
        held[0] = record_ratings(held[0], participant_id, answers)

    return Room(lambda: held[0], record), held


@pytest.mark.parametrize("key", FRAMEWORK_IDS)
def test_the_room_gives_the_phone_the_frameworks_words_and_colours(key: str) -> None:
    framework = _frameworks()[key]
    terms = framework.terms
    room, held = _room(complete_workshop(framework))
    joined = room.join({"pin": room.pin}, "phone")
    words = {
        "dimension_word": terms.dimension,
        "dimensions_word": terms.dimensions,
        "level_word": terms.level,
        "levels_word": terms.levels,
    }
    assert {key: joined[key] for key in words} == words
    person = room.claim({"pin": room.pin, "participant_id": joined["people"][0]["id"]}, "phone")
    form = room.form(person["person"])
    assert {key: form[key] for key in words} == words
    assert [s["colour"] for s in form["stages"]] == list(framework.colours)
    assert [s["name"] for s in form["stages"]] == [level.name for level in framework.levels]

    first, *rest = [b["id"] for b in form["barriers"]]
    stage = framework.level_ids[-1]
    with pytest.raises(RoomRefusal, match=f"Answer every {terms.dimension} first"):
        room.submit(person["person"], {"answers": {first: {"stage": stage}}})
    everything = {b: {"stage": stage, "evidence": ""} for b in [first, *rest]}
    with pytest.raises(RoomRefusal, match=f"names {article(terms.level)} this workshop"):
        room.submit(person["person"], {"answers": {**everything, first: {"stage": "nowhere"}}})
    with pytest.raises(RoomRefusal, match=f"name {article(terms.dimension)} this workshop"):
        room.submit(person["person"], {"answers": {**everything, "other": {"stage": stage}}})
    assert room.submit(person["person"], {"answers": everything})["received"]
    participant = held[0].participants[0].id
    assert held[0].ratings[(participant, first)].stage == stage


def test_the_phone_page_takes_its_words_from_the_room() -> None:
    page = (resources_dir() / "room" / "phone.html").read_text(encoding="utf-8")
    shown = re.sub(r"<[^>]*>", " ", page)  # the text, without tags and their attributes
    assert "barrier" not in shown.lower() and "stage" not in shown.lower()
    script = (resources_dir() / "room" / "phone.js").read_text(encoding="utf-8")
    for key in ("dimension_word", "dimensions_word", "level_word", "levels_word"):
        assert key in script, key
