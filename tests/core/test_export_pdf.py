"""The PDF report: content that reads back, the embedded font, literal user text, long text,
vector charts and atomic writes."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from opassess import files
from opassess.demo import demo_workshop
from opassess.export import ExportError
from opassess.export.pdf import write_report
from opassess.export.pdf_style import REPLACEMENT, para_text, plain_text, text_chunks
from opassess.workshop import (
    Rating,
    Workshop,
    add_participant,
    record_rating,
    update_details,
)

INTERNATIONAL = [
    "Siân ap Rhys",
    "Ŵyn Pryce",
    "Małgorzata Wiśniewska",
    "Γιώργος Παπαδόπουλος",
    "Çağla Yılmaz",
    "İsmail Demir",
    "Ольга Иванова",
]


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def report(workshop: Workshop, tmp_path: Path, name: str = "report.pdf") -> Path:
    path = tmp_path / name
    write_report(workshop, path)
    return path


def test_names_evidence_and_actions_read_back(workshop: Workshop, tmp_path: Path) -> None:
    text = pdf_text(report(workshop, tmp_path))
    for expected in (
        "Leadership team self-assessment",
        "Riverside Council",
        "Priya Shah",
        "Tomás Ó Briain",
        "Chief Executive",
        "Performance is item 9 of 10 at CMT.",
        "Quarterly reviews since April.",
        "Reviews exist but nobody acts on them.",
        "Put performance first on every CMT agenda",
        "Alex Morgan",
        "Page 1 of",
    ):
        assert expected in text, expected


def test_metadata_title_and_author(workshop: Workshop, tmp_path: Path) -> None:
    meta = PdfReader(report(workshop, tmp_path)).metadata
    assert meta.title == "Leadership team self-assessment"
    assert meta.author == "Alex Morgan"
    nobody = update_details(workshop, facilitator="")
    assert PdfReader(report(nobody, tmp_path, "b.pdf")).metadata.author == "OpAssess"


def test_dejavu_is_embedded_and_international_names_read_back(
    workshop: Workshop, tmp_path: Path
) -> None:
    barrier = workshop.scope[0]
    for name in INTERNATIONAL:
        workshop = add_participant(workshop, name, "Director")
        pid = workshop.participants[-1].id
        workshop = record_rating(workshop, pid, barrier, "developing", f"Evidence from {name}.")
    path = report(workshop, tmp_path)
    reader = PdfReader(path)
    used = set()
    for page in reader.pages:
        fonts = {k: v.get_object() for k, v in page["/Resources"]["/Font"].items()}
        content = page.get_contents().get_data().decode("latin-1")
        for key in set(re.findall(r"(/F[\w+]+) [\d.]+ Tf", content)):
            font = fonts[key]
            used.add(str(font["/BaseFont"]))
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded
    assert used == {"/AAAAAA+DejaVuSans", "/AAAAAA+DejaVuSans-Bold"}, used
    text = pdf_text(path)
    for name in INTERNATIONAL:
        assert name in text, name
        assert f"Evidence from {name}." in text, name


def test_markup_like_text_prints_literally(workshop: Workshop, tmp_path: Path) -> None:
    pid = workshop.participants[0].id
    barrier = workshop.scope[0]
    tricky = ["<b>bold</b> & <i>x</i>", "<para>", "&amp;", "a < b > c", "<br/>"]
    workshop = record_rating(workshop, pid, barrier, "starting", "\n".join(tricky))
    workshop = update_details(workshop, title="Q&A <team> review")
    path = report(workshop, tmp_path)
    text = pdf_text(path)
    for piece in tricky:
        assert piece in text, piece
    assert "Q&A <team> review" in text
    assert PdfReader(path).metadata.title == "Q&A <team> review"


def test_control_characters_do_not_crash(workshop: Workshop, tmp_path: Path) -> None:
    pid = workshop.participants[0].id
    barrier = workshop.scope[0]
    nasty = "bell\x07 null\x00 esc\x1b tab\tcr\r\nform\x0c del\x7f c1\x85 end"
    workshop = record_rating(workshop, pid, barrier, "starting", nasty)
    workshop = add_participant(workshop, "Odd\x01Name", "Role\x02")
    text = pdf_text(report(workshop, tmp_path))
    assert "bell" in text and "end" in text
    assert REPLACEMENT in text


def test_para_text_and_plain_text() -> None:
    assert para_text("<b>x</b> & y\nz") == "&lt;b&gt;x&lt;/b&gt; &amp; y<br/>z"
    assert para_text("a\x00b") == f"a{REPLACEMENT}b"
    assert para_text("\ud800") == REPLACEMENT
    assert plain_text("one\ntwo\x07") == f"one two{REPLACEMENT}"
    pieces = text_chunks("word " * 1000, 500)
    assert all(len(p) <= 500 for p in pieces)
    assert " ".join(pieces).split() == ["word"] * 1000


def stored_as_is(workshop: Workshop, pid: str, barrier: str, evidence: str) -> Workshop:
    """Evidence past what an edit now takes, as a library from before the limit may hold it:
    the report must still print it."""
    rating = Rating(pid, barrier, "starting", evidence)
    return dataclasses.replace(workshop, ratings={**workshop.ratings, (pid, barrier): rating})


def test_very_long_evidence_splits_across_pages(workshop: Workshop, tmp_path: Path) -> None:
    pid = workshop.participants[0].id
    barrier = workshop.scope[0]
    words = " ".join(f"w{i}" for i in range(20000))[:100_000]
    workshop = stored_as_is(workshop, pid, barrier, words)
    short = PdfReader(report(demo_workshop(participants=2), tmp_path, "short.pdf"))
    reader = PdfReader(report(workshop, tmp_path))
    assert len(reader.pages) > len(short.pages) + 10
    text = pdf_text(tmp_path / "report.pdf")
    assert "w0 w1 w2" in text and "w15000" in text


def test_very_long_text_without_spaces_and_long_action(workshop: Workshop, tmp_path: Path) -> None:
    pid = workshop.participants[0].id
    barrier = workshop.scope[0]
    workshop = stored_as_is(workshop, pid, barrier, "x" * 100_000)
    action = workshop.actions_for(barrier)[0]
    long_action = dataclasses.replace(action, text="Long action words " * 1500)
    workshop = dataclasses.replace(workshop, actions={barrier: (long_action,)})
    reader = PdfReader(report(workshop, tmp_path))
    assert len(reader.pages) > 10


def test_anonymous_report_names_nobody_in_the_evidence(workshop: Workshop, tmp_path: Path) -> None:
    named = pdf_text(report(workshop, tmp_path, "named.pdf"))
    assert "Priya Shah: Performance is item 9" in named
    anonymous = update_details(workshop, name_display="anonymous")
    text = pdf_text(report(anonymous, tmp_path, "anon.pdf"))
    assert "Performance is item 9 of 10 at CMT." in text
    assert "Priya Shah: Performance" not in text
    initials = pdf_text(report(update_details(workshop, name_display="initials"), tmp_path))
    assert "PS: Performance is item 9" in initials


def test_wall_chart_is_vector(tmp_path: Path) -> None:
    path = report(demo_workshop(participants=8), tmp_path)
    reader = PdfReader(path)
    chart_pages = [p for p in reader.pages if "Wall chart" in (p.extract_text() or "")]
    assert chart_pages
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for xobject in xobjects.values():
            assert xobject.get_object().get("/Subtype") != "/Image"
    # The marks are drawn as paths: the chart page's content has many fill operations.
    content = chart_pages[0].get_contents().get_data().decode("latin-1")
    assert len(re.findall(r"\bf\b|\bB\b", content)) >= 8 * 6


def test_demo_report_with_many_participants(tmp_path: Path) -> None:
    text = pdf_text(report(demo_workshop(participants=60), tmp_path))
    assert "Action plan" in text and "Appendix: stage descriptors" in text


def test_missing_folder_is_an_export_error(workshop: Workshop, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="folder does not exist"):
        write_report(workshop, tmp_path / "missing" / "report.pdf")
    assert not (tmp_path / "missing").exists()


def test_failed_write_leaves_the_old_file_and_no_temp(
    workshop: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"earlier report")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(ExportError, match="disk is full"):
        write_report(workshop, path)
    assert path.read_bytes() == b"earlier report"
    assert os.listdir(tmp_path) == ["report.pdf"]


def test_stage_headings_are_cut_to_their_column_never_printed_over_the_next() -> None:
    from opassess.export.pdf import _string_width, fit_text

    def fitted(text: str, room: float) -> str:
        return fit_text(text, "DejaVuSans-Bold", 8.5, room)

    assert fitted("Starting", 200) == "Starting"
    for room in (60.0, 25.0, 12.0):
        cut = fitted("Consolidating", room)
        assert _string_width(cut, "DejaVuSans-Bold", 8.5) <= room
        assert cut == "" or cut.endswith("…")
    assert fitted("Consolidating", 3) == ""


@pytest.mark.parametrize("cell", [30.0, 38.0, 60.0, 90.0])
@pytest.mark.parametrize("count", [1, 2, 7, 12, 40])
def test_a_cells_dots_stop_short_of_its_count(cell: float, count: int) -> None:
    """The count sits in a cell's top right corner; with many stages the cells are narrow, and
    the first line of dots must end before the count begins."""
    from opassess.export.pdf import FONT, _beside_count, _dot_places, _string_width

    pitch, dot = 11.0, 8.0
    per_row = max(1, int((cell - 10) // pitch))
    places = _dot_places(count, per_row, _beside_count(count, cell, pitch, dot))
    assert len(places) == len(set(places)) == count
    count_left = cell - 8 - _string_width(str(count), FONT, 7)
    for column, line in places:
        assert column < per_row
        if line == 0:
            assert 10 + column * pitch + dot / 2 < count_left
    lines = [line for _, line in places]
    assert lines == sorted(lines)  # filled line by line


def _looked_at_again() -> tuple[Workshop, Workshop]:
    """The demo team, and its re-assessment half a year on: one barrier a stage forward."""
    from opassess.workshop import agree_consensus, start_reassessment

    earlier = demo_workshop()
    later = start_reassessment(earlier, held_on=date(2027, 5, 11))
    for dimension, agreed in earlier.consensus.items():
        later = agree_consensus(later, dimension, agreed.stage)
    later = agree_consensus(later, "no-time-to-learn", "developing", confirm_below=True)
    return earlier, later


def test_a_re_assessments_report_shows_the_movement_since_last_time(tmp_path: Path) -> None:
    earlier, later = _looked_at_again()
    path = tmp_path / "again.pdf"
    write_report(later, path, previous=earlier)
    text = pdf_text(path)
    assert "Movement since last time" in text and f"Compared with “{earlier.title}”" in text
    assert "forward one stage" in text and "Developing (reached)" in text
    assert "What became of last time's key actions" in text and "as recorded then" not in text
    first_action = next(iter(earlier.actions.values()))[0]
    assert " ".join(first_action.text.split()[:4]) in text
    assert "Movement since last time" not in pdf_text(report(later, tmp_path))  # none given


def test_a_re_assessments_report_says_what_became_of_each_of_last_times_actions(
    tmp_path: Path,
) -> None:
    from opassess.workshop import record_follow_up

    earlier, later = _looked_at_again()
    actions = [a for d in earlier.scope for a in earlier.actions_for(d)]
    done, partly, dropped, *rest = actions
    later = record_follow_up(later, done.id, "done", "Signed off by the board in March")
    later = record_follow_up(later, partly.id, "partly", "Two of <five> teams & counting")
    later = record_follow_up(later, dropped.id, "dropped", "")
    path = tmp_path / "again.pdf"
    write_report(later, path, previous=earlier)
    reader = PdfReader(path)
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    start = next(i for i, t in enumerate(pages) if "What became of last time's key actions" in t)
    section = " ".join(pages[start:])
    assert "as recorded then" not in section
    assert (
        f"Of last time's {len(actions)} actions: 1 done, 1 partly done, 1 dropped; "
        f"{len(rest)} not marked yet."
    ) in section
    assert "Done Signed off by the board in March" in section
    assert "Partly done Two of <five> teams & counting" in section
    assert section.count("Not marked yet") == len(rest)
    for action in actions:
        assert " ".join(action.text.split()[:3]) in section


# -- layout that scales ------------------------------------------------------------------------


def _workshop_of_long_texts(length: int) -> Workshop:
    """One barrier, two people: a name, evidence, a rationale and a responsible person each one
    unbroken run of `length` characters; a role, evidence and an action as long, in sentences."""
    demo = demo_workshop(2)
    first = demo.scope[0]
    unbroken = "x" * length
    prose = ("The team met every month and reviewed what the figures said. " * length)[:length]
    person, other = demo.participants
    person = dataclasses.replace(person, name=unbroken[: length // 2] + " Ann", role=prose)
    ratings = {
        key: dataclasses.replace(rating, evidence=unbroken if key[0] == person.id else prose)
        for key, rating in demo.ratings.items()
        if key[1] == first
    }
    action = dataclasses.replace(demo.actions_for(first)[0], text=prose, responsible=unbroken)
    agreed = dataclasses.replace(demo.consensus[first], rationale=unbroken)
    return dataclasses.replace(
        demo,
        scope=(first,),
        participants=(person, other),
        ratings=ratings,
        actions={first: (action,)},
        consensus={first: agreed},
    )


def test_laying_out_long_texts_takes_time_in_proportion_to_their_length() -> None:
    """Four times the text takes about four times as long, never sixteen (reportlab re-wraps
    the whole rest of a paragraph, and of a table row, on every page it spills onto)."""
    import time

    from opassess.export.pdf import report_bytes

    def best(length: int) -> float:
        workshop = _workshop_of_long_texts(length)
        times = []
        for _ in range(2):
            start = time.perf_counter()
            report_bytes(workshop)
            times.append(time.perf_counter() - start)
        return min(times)

    short, long = best(10_000), best(40_000)
    assert long < 8 * short, f"10,000 characters: {short:.2f} s; 40,000: {long:.2f} s"


def test_long_texts_read_back_whole(tmp_path: Path) -> None:
    workshop = _workshop_of_long_texts(12_000)
    text = pdf_text(report(workshop, tmp_path)).replace(" ", "")
    sentence = "The team met every month and reviewed what the figures said.".replace(" ", "")
    # The role, one evidence and the action: every sentence of each, none lost at a cut.
    assert text.count(sentence) >= 3 * (12_000 // len(sentence))
    assert text.count("x" * 2000) >= 4  # the name, an evidence, the rationale, responsible


def test_text_is_cut_at_line_breaks_then_sentence_ends_then_spaces() -> None:
    prose = "One sentence ends here. " * 200
    pieces = text_chunks(prose, 500)
    assert all(len(piece) <= 500 for piece in pieces)
    assert all(piece.rstrip().endswith("here.") for piece in pieces)
    assert " ".join(pieces) == prose
    lines = "a line\n" * 200
    assert all(piece.endswith("a line") for piece in text_chunks(lines, 500)[:-1])
    assert [len(piece) for piece in text_chunks("x" * 1200, 500)] == [500, 500, 200]


def test_a_chart_label_is_wrapped_within_its_room_and_cut_with_a_mark() -> None:
    from opassess.export.pdf import _label_lines, _string_width
    from opassess.export.pdf_style import FONT

    for text in ("y" * 1_000_000, "word " * 200_000, "A name" + "ł" * 90):
        lines = _label_lines(text, FONT, 8.5, 140, most=4)
        assert len(lines) <= 4
        assert all(_string_width(line, FONT, 8.5) <= 140 for line in lines)
    assert _label_lines("y" * 1_000_000, FONT, 8.5, 140)[-1].endswith("…")
    assert _label_lines("Short name", FONT, 8.5, 140) == ["Short name"]


def _crowd(people: int, scope: int = 6) -> Workshop:
    from opassess.workshop import Participant, Rating

    demo = demo_workshop(2)
    crowd = tuple(Participant(f"p{i:05d}", f"Person {i}", "Officer") for i in range(people))
    first_stage = demo.framework.level_ids[0]
    ratings = {
        (p.id, d): Rating(p.id, d, first_stage, "Seen it.")
        for p in crowd
        for d in demo.scope[:scope]
    }
    return dataclasses.replace(demo, participants=crowd, ratings=ratings, scope=demo.scope[:scope])


def test_a_thousand_ratings_at_one_stage_fit_the_wall_chart_as_counts(tmp_path: Path) -> None:
    from opassess.analysis import summarise
    from opassess.export.pdf import MAX_DOT_LINES, wall_chart

    workshop = _crowd(1000)
    summarised: list[str] = []
    rows = wall_chart(workshop, summarise(workshop), 495, summarised)
    assert summarised == list(workshop.scope)
    assert all(row.height < 100 for row in rows)
    # Up to MAX_DOT_LINES lines a cell, one mark each, as always.
    fewer = _crowd(200)
    kept: list[str] = []
    rows = wall_chart(fewer, summarise(fewer), 495, kept)
    assert kept == [] and all(row.height <= MAX_DOT_LINES * 7 + 22 for row in rows)

    write_report(_crowd(1000, scope=1), tmp_path / "crowd.pdf")
    text = pdf_text(tmp_path / "crowd.pdf")
    assert "shows each stage's count with a bar" in text and "1,000" in text


def test_the_report_credits_the_paper_the_model_comes_from(workshop: Workshop, tmp_path: Path):
    text = pdf_text(report(workshop, tmp_path)).replace("\n", " ")
    assert "Based on Audit Commission, Performance breakthroughs" in re.sub(r"\s+", " ", text)
    assert "Source: Audit Commission" in re.sub(r"\s+", " ", text)


def test_the_first_breakthrough_is_named_as_the_paper_names_it():
    from opassess.frameworks import default_framework

    names = [s.name for s in default_framework().suggestions]
    assert "Show your staff you think performance matters" in names
