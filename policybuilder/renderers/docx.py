"""Word (DOCX) output, built from the document, not converted from HTML.

The title, the effective date, a table of contents, then each part under a real "Heading 1" (so
Word's navigation pane and its TOC field see it), its clause Markdown walked from the same
markdown-it token stream the text renderer reads: paragraphs, bulleted and numbered lists, links
as hyperlinks, subheadings as "Heading 2" and "Heading 3", and tables (the cookie table) as Word
tables.

The contents are given twice: a Word ``TOC`` field, which only fills in when Word updates fields
(its placeholder says so), and a plain list of the parts, each an internal hyperlink to a bookmark
on its heading, which works in LibreOffice and Google Docs without updating anything.

Every string is written as text through python-docx, never as markup. Characters XML 1.0 cannot
hold (C0 controls other than tab and newline, lone surrogates, U+FFFE/U+FFFF) make lxml raise, so
they are removed first: hostile answers lose them, nothing else.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from docx import Document as new_document
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from markdown_it.token import Token

from policybuilder.document import DocumentSection, PolicyDocument
from policybuilder.markdown import is_linkable, parse

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = (
    "Table of contents with page numbers: in Word, right-click here and choose Update Field "
    "(or press F9). The list below works without updating."
)
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
PAGE_SIZES = {"letter": (Mm(215.9), Mm(279.4)), "A4": (Mm(210), Mm(297))}

# Everything XML 1.0 allows is kept: tab, newline, carriage return and the rest of Unicode except
# surrogates and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as text an XML document can hold (characters it cannot are dropped)."""
    return _NOT_XML.sub("", str(value))


def render(document: PolicyDocument) -> bytes:
    doc = new_document()
    _set_up(doc, document)
    bookmarks = {part.anchor: _bookmark_name(n, part) for n, part in enumerate(document.parts, 1)}
    writer = _Writer(doc, bookmarks)

    doc.add_paragraph(xml_text(document.full_title), style="Title")
    doc.add_paragraph(xml_text(f"Effective date: {document.effective_date_text()}"))

    doc.add_paragraph("Contents", style="TOC Heading")
    _add_toc_field(doc.add_paragraph())
    for n, part in enumerate(document.parts, 1):
        paragraph = doc.add_paragraph()
        writer.add_link(paragraph, f"{n}. {part.title}", internal=bookmarks[part.anchor])

    for part in document.parts:
        heading = doc.add_paragraph(style="Heading 1")
        heading.add_run(xml_text(part.title))
        _bookmark(heading, bookmarks[part.anchor], writer.next_bookmark_id())
        writer.write_markdown(part.markdown)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_up(doc: Document, document: PolicyDocument) -> None:
    properties = doc.core_properties
    properties.title = xml_text(document.full_title)[:255]
    properties.subject = document.title
    properties.author = xml_text(document.organization_name)[:255]
    properties.last_modified_by = ""
    properties.comments = ""
    properties.language = document.language
    width, height = PAGE_SIZES.get(document.paper, PAGE_SIZES["A4"])
    for section in doc.sections:
        section.page_width, section.page_height = width, height
        section.left_margin = section.right_margin = Mm(25)
    # The language Word checks spelling in: US English, or the international spelling's British.
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US" if document.language == "en-US" else "en-GB")
    rpr.append(lang)


def _bookmark_name(number: int, part: DocumentSection) -> str:
    """A Word bookmark name: a letter first, then letters, digits and underscores, 40 at most."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"section_{number}_{part.key}")[:40]


def _bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _add_toc_field(paragraph: Paragraph) -> None:
    """A complex ``TOC`` field whose current result is the placeholder sentence.

    Not marked dirty: that would make Word ask, on opening, whether to update fields that "may
    refer to other files", which reads like a warning; the placeholder says how instead.
    """

    def field_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(char)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = TOC_INSTRUCTION
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    placeholder = paragraph.add_run(TOC_PLACEHOLDER)
    placeholder.italic = True
    field_char("end")


@dataclass
class _List:
    ordered: bool
    count: int = 0
    item_has_paragraph: bool = False


@dataclass
class _Cells:
    """A Markdown table as its rows of inline tokens, the head row first."""

    rows: list[list[Token]] = field(default_factory=list)
    head_rows: int = 0
    in_head: bool = False


class _Writer:
    def __init__(self, doc: Document, bookmarks: dict[str, str]) -> None:
        self.doc = doc
        self.bookmarks = bookmarks
        self._bookmark_id = 0

    def next_bookmark_id(self) -> int:
        self._bookmark_id += 1
        return self._bookmark_id

    # Blocks

    def write_markdown(self, source: str) -> None:
        lists: list[_List] = []
        heading_level = 0
        quote_depth = 0
        cells: _Cells | None = None
        for token in parse(source):
            if cells is not None:
                if token.type == "table_close":
                    self._table(cells)
                    cells = None
                elif token.type == "thead_open":
                    cells.in_head = True
                elif token.type == "thead_close":
                    cells.in_head = False
                elif token.type == "tr_open":
                    cells.rows.append([])
                    cells.head_rows += cells.in_head
                elif token.type == "inline":
                    cells.rows[-1].append(token)
                continue
            if token.type == "table_open":
                cells = _Cells()
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                start = int(str(token.attrs.get("start", 1) or 1))
                lists.append(_List(ordered=token.type == "ordered_list_open", count=start - 1))
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif token.type == "list_item_open":
                lists[-1].count += 1
                lists[-1].item_has_paragraph = False
            elif token.type == "heading_open":
                heading_level = int(token.tag[1:])
            elif token.type == "heading_close":
                heading_level = 0
            elif token.type == "blockquote_open":
                quote_depth += 1
            elif token.type == "blockquote_close":
                quote_depth -= 1
            elif token.type in ("code_block", "fence"):
                paragraph = self.doc.add_paragraph()
                paragraph.add_run(xml_text(token.content.rstrip("\n"))).font.name = "Courier New"
            elif token.type == "hr":
                self.doc.add_paragraph("* * *")
            elif token.type == "inline":
                self._inline_block(token, lists, heading_level, quote_depth)

    def _inline_block(self, token: Token, lists: list[_List], heading_level: int, quote_depth: int) -> None:
        if heading_level:
            # Clause subheadings are h3 and h4 under the part's h2: Heading 2 and 3 under its Heading 1.
            paragraph = self.doc.add_paragraph(style=f"Heading {min(max(heading_level - 1, 2), 3)}")
        elif lists:
            current = lists[-1]
            depth = min(len(lists), 3)
            if current.item_has_paragraph:  # a second paragraph in the same item
                paragraph = self.doc.add_paragraph(
                    style="List Continue" + ("" if depth == 1 else f" {depth}")
                )
            elif current.ordered:
                # The number is written, not left to a Word list: Word's "List Number" counts on
                # across every list in the file.
                paragraph = self.doc.add_paragraph(style="List" + ("" if depth == 1 else f" {depth}"))
                paragraph.add_run(f"{current.count}.\t")
            else:
                paragraph = self.doc.add_paragraph(style="List Bullet" + ("" if depth == 1 else f" {depth}"))
            current.item_has_paragraph = True
        elif quote_depth:
            paragraph = self.doc.add_paragraph(style="Quote")
        else:
            paragraph = self.doc.add_paragraph()
        self.write_inline(paragraph, token)

    def _table(self, cells: _Cells) -> None:
        rows = [row for row in cells.rows if row]
        if not rows:
            return
        columns = max(len(row) for row in rows)
        table: Table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        for r, row in enumerate(rows):
            head = r < cells.head_rows
            if head:  # the head row repeats on every page the table runs onto
                tr_pr = table.rows[r]._tr.get_or_add_trPr()
                header = OxmlElement("w:tblHeader")
                header.set(qn("w:val"), "true")
                tr_pr.append(header)
            for c, inline in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self.write_inline(paragraph, inline, bold=head)
        self.doc.add_paragraph()

    # Inline

    def write_inline(self, paragraph: Paragraph, token: Token, *, bold: bool = False) -> None:
        bold_depth = int(bold)
        italic_depth = 0
        link: tuple[str, list[str]] | None = None  # (href, text so far) inside a link
        for child in token.children or []:
            kind = child.type
            if kind == "strong_open":
                bold_depth += 1
            elif kind == "strong_close":
                bold_depth -= 1
            elif kind == "em_open":
                italic_depth += 1
            elif kind == "em_close":
                italic_depth -= 1
            elif kind == "link_open":
                link = (str(child.attrs.get("href", "")), [])
            elif kind == "link_close" and link is not None:
                href, parts = link
                link = None
                self._link_or_text(paragraph, href, "".join(parts), bold_depth > 0, italic_depth > 0)
            else:
                if kind in ("text", "code_inline"):
                    text = child.content
                elif kind == "softbreak":
                    text = " "
                elif kind == "hardbreak":
                    text = "\n"
                elif kind == "image":  # never fetched: its description, as text
                    text = "".join(grandchild.content for grandchild in child.children or [])
                else:
                    continue
                if link is not None:
                    link[1].append(text)
                else:
                    run = paragraph.add_run(xml_text(text))
                    run.bold = bold_depth > 0 or None
                    run.italic = italic_depth > 0 or None
                    if kind == "code_inline":
                        run.font.name = "Courier New"

    def _link_or_text(self, paragraph: Paragraph, href: str, text: str, bold: bool, italic: bool) -> None:
        if href.startswith("#") and href[1:] in self.bookmarks:
            self.add_link(paragraph, text, internal=self.bookmarks[href[1:]], bold=bold, italic=italic)
        elif is_linkable(href):
            self.add_link(paragraph, text, external=href, bold=bold, italic=italic)
        else:  # an address we would not link to, or a part the document does not have: text only
            run = paragraph.add_run(xml_text(text))
            run.bold = bold or None
            run.italic = italic or None

    def add_link(
        self,
        paragraph: Paragraph,
        text: str,
        *,
        internal: str = "",
        external: str = "",
        bold: bool = False,
        italic: bool = False,
    ) -> None:
        """A hyperlink to a bookmark in this file (``internal``) or to an address (``external``)."""
        hyperlink = OxmlElement("w:hyperlink")
        if internal:
            hyperlink.set(qn("w:anchor"), internal)
        else:
            relationship = paragraph.part.relate_to(
                xml_text(external), RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            hyperlink.set(qn("r:id"), relationship)
        hyperlink.set(qn("w:history"), "1")
        r = OxmlElement("w:r")
        hyperlink.append(r)
        paragraph._p.append(hyperlink)
        run = Run(r, paragraph)  # an OxmlElement("w:r") is a CT_R
        run.text = xml_text(text)
        run.font.color.rgb = LINK_COLOUR
        run.font.underline = True
        run.bold = bold or None
        run.italic = italic or None
