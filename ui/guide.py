"""The facilitator's guide window: contents on the left, one section at a time on the right.

Non-modal, so it can stay open beside the workshop (or on a second screen) while the
facilitator works. The text comes from opassess.guide; this module only turns its blocks into
the simple HTML a QTextBrowser shows. Links between sections select the section they name.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opassess.guide import (
    FIRST_SECTION,
    GUIDE_TITLE,
    Block,
    GuideSection,
    blocks,
    guide_sections,
    inline,
)
from ui.style import scaled_font

LINK_COLOUR = "#0B5CAD"
RULE_COLOUR = "#C8CED6"
HEADER_FILL = "#EEF2F6"
MUTED = "#5A6470"

_STYLE = f"""
h1 {{ font-size: x-large; margin-top: 0; margin-bottom: 10px; }}
h2 {{ font-size: large; margin-top: 16px; margin-bottom: 4px; }}
p, li {{ margin-top: 0; margin-bottom: 6px; }}
a {{ color: {LINK_COLOUR}; }}
table {{ margin-top: 6px; margin-bottom: 10px; border-collapse: collapse; }}
th {{ background-color: {HEADER_FILL}; text-align: left; }}
td, th {{ padding: 4px 10px 4px 6px; border-bottom: 1px solid {RULE_COLOUR}; }}
.next {{ color: {MUTED}; }}
"""


def section_html(
    section: GuideSection,
    previous: GuideSection | None = None,
    following: GuideSection | None = None,
) -> str:
    """One section as simple HTML for a QTextBrowser, with links to its neighbours."""
    parts = [f"<h1>{escape(section.title)}</h1>"]
    parts += [block_html(block) for block in blocks(section.body)]
    around = []
    if previous is not None:
        around.append(f"‹ <a href='#{previous.id}'>{escape(previous.title)}</a>")
    if following is not None:
        around.append(f"Next: <a href='#{following.id}'>{escape(following.title)}</a> ›")
    if around:
        parts.append(f"<hr/><p class='next'>{'&nbsp;&nbsp;·&nbsp;&nbsp;'.join(around)}</p>")
    return "".join(parts)


def block_html(block: Block) -> str:
    if block.kind == "heading":
        return f"<h2>{inline_html(block.text)}</h2>"
    if block.kind == "paragraph":
        return f"<p>{inline_html(block.text)}</p>"
    if block.kind in ("bullets", "numbers"):
        tag = "ul" if block.kind == "bullets" else "ol"
        items = []
        for item in block.items:
            children = "".join(f"<li>{inline_html(child)}</li>" for child in item.children)
            nested = f"<ul>{children}</ul>" if children else ""
            items.append(f"<li>{inline_html(item.text)}{nested}</li>")
        return f"<{tag}>{''.join(items)}</{tag}>"
    if block.kind == "table":
        header, *rows = block.rows
        head = "".join(f"<th>{inline_html(cell)}</th>" for cell in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{inline_html(cell)}</td>" for cell in row) + "</tr>"
            for row in rows
        )
        return f"<table cellspacing='0' cellpadding='4'><tr>{head}</tr>{body}</table>"
    return ""


def inline_html(text: str) -> str:
    parts = []
    for span in inline(text):
        safe = escape(span.text, quote=False)
        if span.kind == "bold":
            parts.append(f"<b>{safe}</b>")
        elif span.kind == "italic":
            parts.append(f"<i>{safe}</i>")
        elif span.kind == "link":
            parts.append(f"<a href='#{escape(span.target)}'>{safe}</a>")
        else:
            parts.append(safe)
    return "".join(parts)


class GuideWindow(QWidget):
    """The guide, beside the workshop: pick a section on the left, read it on the right."""

    pdf_requested = Signal()  # "Save as PDF…": the main window runs the export

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{GUIDE_TITLE} — OpAssess")
        self.sections = guide_sections()
        self._index = {section.id: number for number, section in enumerate(self.sections)}

        self.contents = QListWidget()
        self.contents.setAccessibleName("Contents")
        self.contents.setFont(scaled_font(self.contents.font(), 1.15))
        self.contents.setSpacing(3)
        for section in self.sections:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.id)
            self.contents.addItem(item)
        # As wide as the longest title, so the contents never scroll sideways.
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.setMinimumWidth(
            self.contents.sizeHintForColumn(0) + 2 * self.contents.frameWidth() + 24
        )

        self.text = QTextBrowser()
        self.text.setAccessibleName("Guide text")
        self.text.setOpenLinks(False)  # links are section ids: handled in _link_clicked
        self.text.setFont(scaled_font(self.text.font(), 1.25))
        self.text.document().setDefaultStyleSheet(_STYLE)
        self.text.document().setDocumentMargin(18)

        self.pdf_button = QPushButton("Save as PDF…")
        self.pdf_button.setToolTip("The whole guide as a PDF, to print or share")
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(close)

        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.contents.minimumWidth(), 740])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.contents.currentRowChanged.connect(self._show_row)
        self.text.anchorClicked.connect(self._link_clicked)
        self.pdf_button.clicked.connect(self.pdf_requested)
        self.current_id = ""
        self.show_section(FIRST_SECTION)

    def sizeHint(self) -> QSize:
        return QSize(1040, 760)

    def show_section(self, section_id: str) -> None:
        """Show the section `section_id` (the first section if there is none such)."""
        row = self._index.get(section_id, 0)
        if self.contents.currentRow() == row:
            self._show_row(row)
        else:
            self.contents.setCurrentRow(row)

    def open_at(self, section_id: str) -> None:
        """Show the window at `section_id`, raised above the others."""
        self.show_section(section_id)
        if not self.isVisible():
            self.resize(self.sizeHint())
        self.show()
        self.raise_()
        self.activateWindow()

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.sections):
            return
        section = self.sections[row]
        previous = self.sections[row - 1] if row > 0 else None
        following = self.sections[row + 1] if row + 1 < len(self.sections) else None
        self.current_id = section.id
        self.text.setHtml(section_html(section, previous, following))
        self.text.verticalScrollBar().setValue(0)

    def _link_clicked(self, url: QUrl) -> None:
        target = url.fragment() or url.toString().lstrip("#")
        if target in self._index:
            self.show_section(target)
