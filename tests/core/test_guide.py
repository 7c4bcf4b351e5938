"""The facilitator's guide: the bundled text loads, covers what a facilitator needs, names
things as the app does, and prints as a PDF in the bundled font."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from opassess.cli import main
from opassess.export import ExportError
from opassess.export.guide_pdf import write_guide_pdf
from opassess.frameworks import default_framework
from opassess.guide import (
    FIRST_SECTION,
    GUIDE_TITLE,
    STEP_SECTIONS,
    GuideError,
    ListItem,
    Span,
    blocks,
    guide_section,
    guide_sections,
    inline,
    parse_guide,
    plain,
    section_for_step,
)

STEPS = ("Setup", "Explain", "Rate", "Consensus", "Plan", "Review")


def section_text(section_id: str) -> str:
    """A section's words as a reader sees them, on one line."""
    return " ".join(plain(guide_section(section_id).body).split())


def whole_guide() -> str:
    return " ".join(" ".join(plain(f"{s.title}\n{s.body}").split()) for s in guide_sections())


# -- the bundled guide ------------------------------------------------------------------------


def test_every_step_has_its_own_section() -> None:
    assert tuple(STEP_SECTIONS) == STEPS
    ids = [s.id for s in guide_sections()]
    for step in STEPS:
        assert section_for_step(step) in ids
        assert step in guide_section(section_for_step(step)).title
    assert len(set(STEP_SECTIONS.values())) == len(STEPS)
    assert section_for_step("No such step") == FIRST_SECTION == ids[0]


def test_ids_are_unique_and_no_section_is_empty() -> None:
    sections = guide_sections()
    assert len(sections) >= 10
    assert len({s.id for s in sections}) == len(sections)
    assert len({s.title for s in sections}) == len(sections)
    for section in sections:
        assert re.fullmatch(r"[a-z0-9-]+", section.id)
        assert section.title.strip()
        assert len(plain(section.body).split()) >= 40, section.id


def test_loaded_once_and_callers_cannot_change_it() -> None:
    first = guide_sections()
    first.clear()
    assert guide_sections() and guide_sections() == guide_sections()


@pytest.mark.parametrize(
    ("section_id", "phrases"),
    [
        # preparing: who to invite, barriers in scope, forms out and back, paper forms
        (
            "prepare",
            [
                "Who to invite",
                "Barriers in scope",
                "Wording…",
                "File ▸ Spreadsheet rating forms…",
                "File ▸ Import filled-in forms…",
                "File ▸ Paper rating forms (PDF)…",
                "print",
            ],
        ),
        ("setup", ["Names", "Initials", "Anonymous (dots only)", "ground rules", "Time:"]),
        ("explain", ["not a score", "Not sure", "Time:"]),
        ("rate", ["Private rating", "Fast entry", "evidence", "Time:"]),
        ("consensus", ["Reveal ratings", "Agreed stage", "Rationale", "Dissent", "Time:"]),
        ("challenge", ["evidence", "not the person", "systems"]),
        (
            "disagreement",
            ["Dissent", "Not sure", "lower stage", "Park it", "gather evidence", "Do not vote"],
        ),
        ("plan", ["Target stage", "Ideas from the breakthroughs", "Re-assess by", "Time:"]),
        ("actions", ["three", "Responsible", "Accountable", "real date", "breakthrough"]),
        ("review", ["PDF report", "Excel workbook", "session file", "Time:"]),
        ("reassess", ["Six to twelve months", "Re-assess…", "actions"]),
    ],
)
def test_required_topics_are_covered(section_id: str, phrases: list[str]) -> None:
    text = section_text(section_id).lower()
    for phrase in phrases:
        assert phrase.lower() in text, f"{section_id}: {phrase}"


def test_the_timetable_is_a_realistic_half_day_covering_every_step() -> None:
    table = next(b for b in blocks(guide_section("timetable").body) if b.kind == "table")
    header, *rows = table.rows
    assert header == ("Time", "What happens", "Step", "Minutes")
    assert [row[2] for row in rows if row[2]] == list(STEPS)
    minutes = sum(int(row[3]) for row in rows if row[3])
    assert 180 <= minutes <= 270
    assert {int(row[3]) for row in rows if row[2] == "Consensus"} <= set(range(45, 121))


def test_names_match_the_bundled_framework() -> None:
    """Barriers, stages and breakthroughs are named exactly as the app names them."""
    framework = default_framework()
    text = whole_guide()
    names = [d.name for d in framework.dimensions] + [level.name for level in framework.levels]
    names += [s.name for s in framework.suggestions]
    for name in names:
        assert name in text, name


def test_breakthrough_table_follows_the_framework_mapping() -> None:
    framework = default_framework()
    table = next(b for b in blocks(guide_section("actions").body) if b.kind == "table")
    rows = {plain(row[0]): plain(row[1]) for row in table.rows[1:]}
    assert list(rows) == [f"{s.number}. {s.name}" for s in framework.suggestions]
    for suggestion in framework.suggestions:
        helps = rows[f"{suggestion.number}. {suggestion.name}"]
        assert helps in {framework.dimension(d).name for d in suggestion.dimensions}


def test_the_guide_names_its_source_by_title() -> None:
    assert "Performance breakthroughs: improving performance in public sector organisations" in (
        section_text("about")
    )


# -- the format -------------------------------------------------------------------------------


GOOD = """# Title

<!-- a comment with ## Not a section -->

## First {#first}

Some text with a [link](#second).

## Second {#second}

More text.
"""


def test_parse_guide_reads_sections_and_drops_comments() -> None:
    good = GOOD + "".join(f"\n## {step} {{#{id}}}\n\nText.\n" for step, id in _steps())
    sections = parse_guide(good.replace("#first", "#about", 1))
    assert [s.id for s in sections][:2] == ["about", "second"]
    assert sections[0].body == "Some text with a [link](#second)."


def _steps() -> list[tuple[str, str]]:
    return list(STEP_SECTIONS.items())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("{#second}", "{#about}"), "used twice"),
        (lambda t: t.replace("More text.", ""), "is empty"),
        (lambda t: t.replace("(#second)", "(#nowhere)"), "not a section"),
        (lambda t: t.replace("## Second {#second}", "## Second"), "needs an id"),
        (lambda t: t.replace("{#second}", "{#Second One}"), "may use only"),
        (lambda t: t.split("## Setup")[0], "no section for"),
        (lambda t: "# Title only\n", "no sections"),
    ],
)
def test_parse_guide_says_what_is_wrong(change, message: str) -> None:
    good = GOOD.replace("#first", "#about", 1)
    good += "".join(f"\n## {step} {{#{id}}}\n\nText.\n" for step, id in _steps())
    parse_guide(good)
    with pytest.raises(GuideError, match=message):
        parse_guide(change(good))


def test_blocks_lists_tables_and_nesting() -> None:
    body = (
        "Intro line\ncontinues here.\n\n### A heading\n\n- one\n- two\n  wrapped\n\n"
        "1. first\n    - child a\n    - child b\n2. second\n\n| A | B |\n|---|---|\n| x | y |\n"
    )
    made = blocks(body)
    assert [b.kind for b in made] == ["paragraph", "heading", "bullets", "numbers", "table"]
    assert made[0].text == "Intro line continues here."
    assert made[2].items == (ListItem("one"), ListItem("two wrapped"))
    assert made[3].items == (ListItem("first", ("child a", "child b")), ListItem("second"))
    assert made[4].rows == (("A", "B"), ("x", "y"))


def test_inline_spans() -> None:
    assert inline("See **Plan** and *Not sure*, or [the timetable](#timetable).") == [
        Span("text", "See "),
        Span("bold", "Plan"),
        Span("text", " and "),
        Span("italic", "Not sure"),
        Span("text", ", or "),
        Span("link", "the timetable", "timetable"),
        Span("text", "."),
    ]
    assert plain("**a** 3 * 4 *b*") == "a 3 * 4 b"


# -- the PDF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guide_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guide") / "guide.pdf"
    write_guide_pdf(path)
    return path


def test_pdf_has_every_section_title_and_its_text(guide_pdf: Path) -> None:
    reader = PdfReader(guide_pdf)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for section in guide_sections():
        assert section.title in text, section.title
    assert "Record the dissent." in text and "Show your staff you think performance matters" in text
    assert "**" not in text and "](#" not in text  # markup became formatting
    assert "Page 2 of" in text
    assert reader.metadata.title == GUIDE_TITLE
    assert reader.metadata.author == "OpAssess"


def test_pdf_bookmarks_and_links_lead_to_the_sections(guide_pdf: Path) -> None:
    reader = PdfReader(guide_pdf)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [s.title for s in guide_sections()]
    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) >= len(guide_sections())  # the contents alone link to every section


def test_pdf_uses_only_the_embedded_dejavu_fonts(guide_pdf: Path) -> None:
    reader = PdfReader(guide_pdf)
    used = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            used.add(str(font["/BaseFont"]))
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded
    assert used == {"/AAAAAA+DejaVuSans", "/AAAAAA+DejaVuSans-Bold"}, used


def test_pdf_to_a_missing_folder_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"guide could not be saved.*folder does not exist"):
        write_guide_pdf(tmp_path / "missing" / "guide.pdf")
    assert not (tmp_path / "missing").exists()


def test_cli_saves_the_guide(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "guide.pdf"
    assert main(["guide", "--pdf", str(path)]) == 0
    assert PdfReader(path).metadata.title == GUIDE_TITLE
    assert "Wrote the facilitator's guide" in capsys.readouterr().out
    assert main(["guide", "--pdf", str(tmp_path / "missing" / "guide.pdf")]) == 2
    assert "folder does not exist" in capsys.readouterr().err
