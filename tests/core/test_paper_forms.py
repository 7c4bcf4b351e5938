"""Paper rating forms: one form per participant in the fast-entry grid's order, every barrier
in scope with its descriptors and tick boxes, running header and per-form page numbers, the
embedded font, hostile text and atomic writes."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_export_pdf import INTERNATIONAL, pdf_text

from opassess import files
from opassess.export import ExportError
from opassess.export.paper_forms import paper_forms_bytes, write_paper_forms
from opassess.export.pdf_style import REPLACEMENT
from opassess.frameworks import Level
from opassess.workshop import (
    Participant,
    Workshop,
    adapt_dimension,
    add_participant,
    set_scope,
    update_details,
)

PAGE_OF_FORM = re.compile(r"Page (\d+) of (\d+) of this form")


def forms(workshop: Workshop, tmp_path: Path, name: str = "forms.pdf") -> Path:
    path = tmp_path / name
    write_paper_forms(workshop, path)
    return path


def narrow(workshop: Workshop, barriers: int = 1) -> Workshop:
    """The workshop with only its first barriers in scope: fewer pages, faster tests."""
    return set_scope(workshop, workshop.framework.dimension_ids[:barriers])


def page_texts(path: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def runs_of(text: str, letter: str) -> int:
    """How many of `letter` the text holds in runs of two or more (lines of a long word)."""
    return sum(len(run) for run in re.findall(f"{letter}{{2,}}", text))


def form_pages(texts: list[str]) -> list[list[str]]:
    """The pages grouped into forms by their "Page n of m of this form" footers."""
    grouped: list[list[str]] = []
    for text in texts:
        numbers = PAGE_OF_FORM.findall(text)
        assert len(numbers) == 1, text[-200:]
        number, total = map(int, numbers[0])
        if number == 1:
            grouped.append([])
        grouped[-1].append(text)
        assert len(grouped[-1]) == number <= total
    return grouped


def test_one_form_per_participant_in_the_grid_order(workshop: Workshop, tmp_path: Path) -> None:
    workshop = narrow(workshop, 2)
    for name, role in (("Sam Lee", "Finance"), ("Sam Lee", "Housing"), ("Zoë Adeyemi", "")):
        workshop = add_participant(workshop, name, role)
    shown = [
        "Priya Shah",
        "Tomás Ó Briain",
        "Sam Lee (Finance)",  # shared names told apart as the grid's rows tell them apart
        "Sam Lee (Housing)",
        "Zoë Adeyemi",
    ]
    grouped = form_pages(page_texts(forms(workshop, tmp_path)))
    assert len(grouped) == len(shown)
    for index, (pages, name) in enumerate(zip(grouped, shown, strict=True), start=1):
        assert len(pages) == 2
        for page in pages:  # the name on every sheet, so loose sheets can be sorted back
            assert f"{name} — Leadership team self-assessment" in page, page[-200:]
            assert page.endswith(f"Form {index} of {len(shown)} · {name}"), page[-80:]
    first = grouped[0][0]
    for expected in (
        "Leadership team self-assessment",
        "Riverside Council · Corporate management team · 12 March 2026",
        "Name Priya Shah",
        "Role Chief Executive",
        "tick one box",
        "hand the form back to Alex Morgan",
    ):
        assert expected in first, expected


def test_every_scoped_barrier_and_descriptor_in_grid_column_order(
    workshop: Workshop, tmp_path: Path
) -> None:
    framework = workshop.framework
    left_out = framework.dimensions[1]
    workshop = set_scope(workshop, [d.id for d in framework.dimensions if d is not left_out])
    scoped = workshop.scoped_dimensions()
    pages = form_pages(page_texts(forms(workshop, tmp_path)))[0]
    text = " ".join(pages)
    positions = []
    for number, dimension in enumerate(scoped, start=1):
        heading = f"Barrier {number} of {len(scoped)} {dimension.name} {dimension.question}"
        assert text.count(heading) == 1, heading
        positions.append(text.index(heading))
        for level in framework.levels:
            for item in dimension.descriptors[level.id]:
                assert item in text, item
    assert positions == sorted(positions)
    assert left_out.name not in text
    assert left_out.descriptors[framework.levels[0].id][0] not in text
    for page in pages:  # a barrier's block never splits: its heading and evidence lines together
        assert page.count("Barrier ") == page.count("What have you seen that made you choose?")
    tick_row = " ".join(level.name for level in framework.levels) + " Not sure"
    assert text.count(tick_row) == len(scoped)


def test_a_barrier_longer_than_a_page_flows_on_without_a_blank_page(
    workshop: Workshop, tmp_path: Path
) -> None:
    workshop = narrow(workshop, 2)
    first = workshop.scope[0]
    items = [f"Example {i}: " + "long wording " * 40 for i in range(30)]
    workshop = adapt_dimension(
        workshop, first, explanation="Why this matters. " * 200, descriptors={"starting": items}
    )
    texts = page_texts(forms(dataclasses.replace(workshop, participants=()), tmp_path))
    assert len(texts) > 3
    for text in texts:  # every page has more on it than its header and footer
        assert len(PAGE_OF_FORM.sub("", text).replace("Rating form", "")) > 300, text
    joined = " ".join(texts)
    assert "Example 0:" in joined and "Example 29:" in joined
    assert "Barrier 2 of 2" in texts[-1]


def test_many_stages_keep_their_names_whole(workshop: Workshop, tmp_path: Path) -> None:
    framework = workshop.framework
    names = ["Not yet started", "Starting", "Developing", "Consolidating", "Leading the sector"]
    levels = tuple(Level(f"stage-{i}", name) for i, name in enumerate(names))
    dimension = dataclasses.replace(
        framework.dimensions[0], descriptors={"stage-3": ("Seen every month.",)}
    )
    framework = dataclasses.replace(framework, levels=levels, dimensions=(dimension,))
    workshop = dataclasses.replace(workshop, framework=framework, scope=(dimension.id,))
    text = pdf_text(forms(workshop, tmp_path))
    assert " ".join(names) + " Not sure" in text
    assert "Seen every month." in text


def test_page_count_grows_with_participants(workshop: Workshop, tmp_path: Path) -> None:
    workshop = narrow(workshop, 3)
    one = dataclasses.replace(workshop, participants=workshop.participants[:1])
    single = len(PdfReader(forms(one, tmp_path, "one.pdf")).pages)
    assert single >= 2
    for name in ("Ann Carter", "Ben Dale", "Cai Evans"):
        workshop = add_participant(workshop, name)
    assert len(PdfReader(forms(workshop, tmp_path)).pages) == 5 * single


def test_no_participants_yet_gives_one_form_to_write_a_name_on(
    workshop: Workshop, tmp_path: Path
) -> None:
    nobody = dataclasses.replace(narrow(workshop), participants=())
    grouped = form_pages(page_texts(forms(nobody, tmp_path)))
    assert len(grouped) == 1
    assert "Name Role How to fill in this form" in grouped[0][0]
    assert "Barrier 1 of 1" in grouped[0][0]
    assert grouped[0][0].endswith("Rating form")


def test_anonymous_workshop_forms_still_carry_the_name_and_say_why(
    workshop: Workshop, tmp_path: Path
) -> None:
    workshop = narrow(workshop)
    named = pdf_text(forms(workshop, tmp_path, "named.pdf"))
    assert "only so that the facilitator" not in named
    anonymous = update_details(workshop, name_display="anonymous")
    text = pdf_text(forms(anonymous, tmp_path, "anonymous.pdf"))
    assert "Name Priya Shah" in text and "Name Tomás Ó Briain" in text
    assert "only so that the facilitator can type your answers in" in text


def test_dejavu_is_the_only_font_and_international_names_read_back(
    workshop: Workshop, tmp_path: Path
) -> None:
    workshop = narrow(workshop)
    for name in INTERNATIONAL:
        workshop = add_participant(workshop, name, f"Rôle de {name}")
    path = forms(workshop, tmp_path)
    used = set()
    for page in PdfReader(path).pages:
        fonts = {k: v.get_object() for k, v in page["/Resources"]["/Font"].items()}
        content = page.get_contents().get_data().decode("latin-1")
        for key in set(re.findall(r"(/F[\w+]+) [\d.]+ Tf", content)):
            font = fonts[key]
            used.add(str(font["/BaseFont"]))
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded
    assert used == {"/AAAAAA+DejaVuSans", "/AAAAAA+DejaVuSans-Bold"}, used
    grouped = form_pages(page_texts(path))
    for pages, name in zip(grouped[2:], INTERNATIONAL, strict=True):
        assert pages[0].endswith(f" · {name}")
        assert f"Name {name} Role Rôle de {name}" in pages[0]


def test_markup_and_control_characters_print_literally(workshop: Workshop, tmp_path: Path) -> None:
    workshop = narrow(workshop)
    workshop = update_details(workshop, title="Q&A <team> review", organisation="<b>&amp;</b>")
    workshop = add_participant(workshop, "<b>&amp; <i>Bold</i>", "a < b > c")
    workshop = add_participant(workshop, "Odd\x01Name\x7f", "bell\x07 tab\tcr\r\nend")
    path = forms(workshop, tmp_path)
    text = pdf_text(path)
    for piece in ("Q&A <team> review", "<b>&amp;</b>", "<b>&amp; <i>Bold</i>", "a < b > c"):
        assert piece in text, piece
    assert f"Odd{REPLACEMENT}Name{REPLACEMENT}" in text
    assert "bell" in text and "end" in text
    assert PdfReader(path).metadata.title == "Q&A <team> review"


def test_very_long_title_without_spaces(workshop: Workshop, tmp_path: Path) -> None:
    workshop = narrow(workshop)
    # longer than a title may now be, as a library from before the limit may hold it
    long_title = dataclasses.replace(workshop, title="T" * 100_000)
    long_title = dataclasses.replace(long_title, participants=workshop.participants[:1])
    texts = page_texts(forms(long_title, tmp_path, "title.pdf"))
    assert len(form_pages(texts)) == 1
    header = re.search("Priya Shah — (T*)…", texts[1])
    assert header and 20 < len(header.group(1)) < 200  # cut to fit the running header
    body = " ".join(re.sub("Priya Shah — T*…", "", text) for text in texts)
    assert runs_of(body, "T") == 100_000  # the title in full on the form


def test_very_long_name_and_role_without_spaces(workshop: Workshop, tmp_path: Path) -> None:
    workshop = narrow(workshop)
    huge = Participant("huge", "N" * 100_000, "R" * 10_000)
    long_name = dataclasses.replace(workshop, participants=(huge,))
    texts = page_texts(forms(long_name, tmp_path, "name.pdf"))
    assert len(form_pages(texts)) == 1
    body = " ".join(re.sub("N+…", "", text) for text in texts)  # less header and footer
    assert runs_of(body, "N") == 100_000
    assert runs_of(body, "R") == 10_000
    assert "Barrier 1 of 1" in texts[-1]


def test_metadata_title_and_author(workshop: Workshop, tmp_path: Path) -> None:
    workshop = narrow(workshop)
    meta = PdfReader(forms(workshop, tmp_path)).metadata
    assert meta.title == "Leadership team self-assessment"
    assert meta.author == "Alex Morgan"
    assert meta.subject == "Breakthrough rating forms"
    assert paper_forms_bytes(workshop).startswith(b"%PDF")


def test_missing_folder_is_an_export_error(workshop: Workshop, tmp_path: Path) -> None:
    workshop = narrow(workshop)
    with pytest.raises(ExportError, match=r"paper forms could not be saved.*folder does not exist"):
        write_paper_forms(workshop, tmp_path / "missing" / "forms.pdf")
    assert not (tmp_path / "missing").exists()


def test_failed_write_leaves_the_old_file_and_no_temp(
    workshop: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop = narrow(workshop)
    path = tmp_path / "forms.pdf"
    path.write_bytes(b"earlier forms")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(ExportError, match="disk is full"):
        write_paper_forms(workshop, path)
    assert path.read_bytes() == b"earlier forms"
    assert os.listdir(tmp_path) == ["forms.pdf"]
