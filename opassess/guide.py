"""The facilitator's guide: how to prepare and run a breakthrough workshop, step by step.

The guide is data, like a framework: resources/guide/facilitators_guide.md, one Markdown file
whose sections start with "## Title {#id}". Ids are stable (the app opens a section by id: F1,
and each step's guide link through STEP_SECTIONS), titles may change freely.

Bodies use a small Markdown subset that every reader of the guide understands: the help window
shows it, and the PDF writer lays it out block by block (see `blocks` and `inline`):
paragraphs, "### " subheadings, "- " bullets and "1. " numbered lists (one level of nesting,
indented), pipe tables, **bold**, *italic* and links to other sections written [words](#id).
Loading checks all of it, so a broken link or an empty section fails a test, not a facilitator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from opassess.paths import resources_dir

GUIDE_TITLE = "Facilitator's guide"
GUIDE_FILE = Path("guide") / "facilitators_guide.md"

# Each step of the app (StepPage.title) and the guide section that explains how to run it.
STEP_SECTIONS: dict[str, str] = {
    "Setup": "setup",
    "Explain": "explain",
    "Rate": "rate",
    "Consensus": "consensus",
    "Plan": "plan",
    "Review": "review",
}
# Where the guide opens when no step is in view.
FIRST_SECTION = "about"

_SECTION = re.compile(r"^## +(?P<title>.+?) *\{#(?P<id>[^}]*)\} *$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BULLET = re.compile(r"^(?P<indent> *)- +(?P<text>.*)$")
_NUMBER = re.compile(r"^(?P<indent> *)(?P<n>\d+)\. +(?P<text>.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Inline markup, in the order it is tried at each position: link, bold, italic.
_INLINE = re.compile(
    r"\[(?P<link>[^\]]+)\]\((?P<target>[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\*(?P<italic>[^*\s](?:[^*]*[^*\s])?)\*"
)


class GuideError(ValueError):
    """The guide file is missing or does not follow its format; the message says where."""


@dataclass(frozen=True)
class GuideSection:
    id: str
    title: str
    body: str  # Markdown, without the "## " title line


@dataclass(frozen=True)
class ListItem:
    text: str
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One block of a section body.

    kind is "heading" (text), "paragraph" (text), "bullets" or "numbers" (items), or "table"
    (rows: the first is the header row; every row has the same number of cells).
    """

    kind: str
    text: str = ""
    items: tuple[ListItem, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Span:
    """A run of inline text: kind is "text", "bold", "italic" or "link" (target = section id)."""

    kind: str
    text: str
    target: str = ""


# -- loading ----------------------------------------------------------------------------------


def guide_sections() -> list[GuideSection]:
    """The guide's sections in reading order, loaded and checked once."""
    return list(_bundled_sections())


def guide_section(section_id: str) -> GuideSection:
    """One section by id; KeyError if there is none."""
    for section in _bundled_sections():
        if section.id == section_id:
            return section
    raise KeyError(section_id)


def section_for_step(step_title: str) -> str:
    """The id of the section explaining the step called `step_title`; the first section for
    anything else."""
    return STEP_SECTIONS.get(step_title, FIRST_SECTION)


@lru_cache(maxsize=1)
def _bundled_sections() -> tuple[GuideSection, ...]:
    path = resources_dir() / GUIDE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GuideError(f"The facilitator's guide could not be read from {path.name}.") from exc
    return parse_guide(text)


def parse_guide(text: str) -> tuple[GuideSection, ...]:
    """Sections from the guide's Markdown, checked: GuideError names the first problem."""
    text = _COMMENT.sub("", text.replace("\r\n", "\n"))
    sections: list[tuple[str, str, list[str]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        found = _SECTION.match(line)
        if found:
            sections.append((found["id"], found["title"].strip(), []))
        elif line.startswith("## "):
            raise GuideError(
                f"Line {number}: a section title needs an id, as in '## Title {{#id}}'."
            )
        elif sections:
            sections[-1][2].append(line)
    made = tuple(GuideSection(id, title, "\n".join(lines).strip()) for id, title, lines in sections)
    _check(made)
    return made


def _check(sections: tuple[GuideSection, ...]) -> None:
    if not sections:
        raise GuideError("The guide has no sections ('## Title {#id}').")
    ids = [s.id for s in sections]
    for section in sections:
        where = f"Section '{section.title}'"
        if not _ID.match(section.id):
            raise GuideError(f"{where}: the id '{section.id}' may use only a-z, 0-9 and hyphens.")
        if ids.count(section.id) > 1:
            raise GuideError(f"{where}: the id '{section.id}' is used twice.")
        if not section.body:
            raise GuideError(f"{where} is empty.")
    for section in sections:
        where = f"Section '{section.title}'"
        for block in blocks(section.body):
            for text in _block_texts(block):
                for span in inline(text):
                    if span.kind == "link" and span.target not in ids:
                        raise GuideError(
                            f"{where}: the link '{span.text}' points to '#{span.target}', "
                            "which is not a section."
                        )
    missing = sorted({*STEP_SECTIONS.values(), FIRST_SECTION} - set(ids))
    if missing:
        raise GuideError(f"The guide has no section for: {', '.join(missing)}.")


def _block_texts(block: Block) -> list[str]:
    texts = [block.text] if block.text else []
    for item in block.items:
        texts += [item.text, *item.children]
    for row in block.rows:
        texts += list(row)
    return texts


# -- the Markdown subset ----------------------------------------------------------------------


def blocks(body: str) -> list[Block]:
    """A section body as blocks, in order. Lines that continue a paragraph or a list item are
    joined to it with a space; a blank line ends a paragraph."""
    made: list[Block] = []
    paragraph: list[str] = []
    items: list[ListItem] = []
    list_kind = ""
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        nonlocal list_kind
        if paragraph:
            made.append(Block("paragraph", text=" ".join(paragraph)))
            paragraph.clear()
        if items:
            made.append(Block(list_kind, items=tuple(items)))
            items.clear()
            list_kind = ""
        if rows:
            made.append(Block("table", rows=_even(rows)))
            rows.clear()

    for raw in body.split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        listed = bullet or number
        if not stripped:
            if paragraph or rows:
                flush()
            continue
        if stripped.startswith("|"):
            if not rows:
                flush()
            if not _TABLE_RULE.match(stripped):
                rows.append(tuple(cell.strip() for cell in stripped.strip("|").split("|")))
            continue
        if rows:
            flush()
        if stripped.startswith("#"):
            flush()
            made.append(Block("heading", text=stripped.lstrip("#").strip()))
        elif listed and len(listed["indent"]) >= 2 and items:
            last = items[-1]
            items[-1] = ListItem(last.text, (*last.children, listed["text"].strip()))
        elif listed:
            kind = "bullets" if bullet else "numbers"
            if paragraph or (items and kind != list_kind):
                flush()
            list_kind = kind
            items.append(ListItem(listed["text"].strip()))
        elif items and raw.startswith(" "):
            last = items[-1]
            if last.children:
                children = (*last.children[:-1], f"{last.children[-1]} {stripped}")
                items[-1] = ListItem(last.text, children)
            else:
                items[-1] = ListItem(f"{last.text} {stripped}", last.children)
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return made


def _even(rows: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    width = max(len(row) for row in rows)
    return tuple(row + ("",) * (width - len(row)) for row in rows)


def inline(text: str) -> list[Span]:
    """Inline text as runs of plain, bold, italic and link text (markers removed). A link's
    target is the section id it points to, without the '#'."""
    spans: list[Span] = []
    position = 0
    for found in _INLINE.finditer(text):
        if found.start() > position:
            spans.append(Span("text", text[position : found.start()]))
        if found["link"] is not None:
            spans.append(Span("link", found["link"], found["target"].removeprefix("#")))
        elif found["bold"] is not None:
            spans.append(Span("bold", found["bold"]))
        else:
            spans.append(Span("italic", found["italic"]))
        position = found.end()
    if position < len(text):
        spans.append(Span("text", text[position:]))
    return spans


def plain(text: str) -> str:
    """Inline text without its markup: what a reader sees."""
    return "".join(span.text for span in inline(text))
