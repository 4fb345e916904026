"""The Word file: opens in python-docx, with real headings, contents that work, tables and links."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn

from policybuilder.answers import validate_answers
from policybuilder.assembly import assemble
from policybuilder.renderers import FORMATS, render
from policybuilder.renderers.docx import TOC_INSTRUCTION, xml_text
from tests.support.examples import EXAMPLES

COOKIE_ROW = {
    "name": "_ga",
    "provider": "Google Analytics",
    "purpose": "Counts visits",
    "duration": "13 months",
    "party": "First party",
}


def open_docx(data: bytes):
    assert data.startswith(b"PK")  # a zip, as every .docx is
    return docx.Document(io.BytesIO(data))


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


@pytest.fixture(scope="module")
def small_shop(library):
    raw = json.loads(next(p for p in EXAMPLES if p.stem == "small-shop").read_text())
    raw["cookies"] = {**raw["cookies"], "use": "yes", "table": [COOKIE_ROW]}
    return assemble(library, validate_answers(raw, catalogue_keys=library.catalogue_keys()))


def test_the_format_is_registered_as_word():
    output = FORMATS["docx"]
    assert output.extension == "docx" and output.binary and output.label == "Word"
    assert output.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_every_example_opens_with_its_title_date_and_a_heading_1_per_section_in_order(name, library):
    raw = json.loads(next(p for p in EXAMPLES if p.stem == name).read_text())
    document = assemble(library, validate_answers(raw, catalogue_keys=library.catalogue_keys()))
    word = open_docx(render(document, "docx"))
    paragraphs = word.paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("Title", document.full_title)
    assert paragraphs[1].text == f"Effective date: {document.effective_date_text()}"
    assert [text for style, text in headings(word) if style == "Heading 1"] == [
        s.title for s in document.parts
    ]
    assert word.core_properties.title == document.full_title
    assert document.organization_name in "\n".join(p.text for p in paragraphs)


def test_subheadings_are_heading_2_under_their_section(small_shop):
    found = headings(open_docx(render(small_shop, "docx")))
    collected = found.index(("Heading 1", "Information we collect"))
    assert found[collected + 1] == ("Heading 2", "Information you give us")
    assert {style for style, _ in found} <= {"Heading 1", "Heading 2", "Heading 3"}


def test_contents_are_a_toc_field_and_links_to_bookmarks_on_the_headings(small_shop):
    word = open_docx(render(small_shop, "docx"))
    body = word.element.body
    instructions = [node.text for node in body.iter(qn("w:instrText"))]
    assert instructions == [TOC_INSTRUCTION] and TOC_INSTRUCTION == 'TOC \\o "1-3" \\h \\z \\u'
    assert any("Update Field" in p.text for p in word.paragraphs)  # the field's placeholder says what to do

    bookmarks = {}  # bookmark name -> the heading paragraph it marks
    for paragraph in word.paragraphs:
        for start in paragraph._p.iter(qn("w:bookmarkStart")):
            bookmarks[start.get(qn("w:name"))] = paragraph
    links = [
        (link.get(qn("w:anchor")), "".join(t.text for t in link.iter(qn("w:t"))))
        for link in body.iter(qn("w:hyperlink"))
        if link.get(qn("w:anchor"))
    ]
    contents = links[: len(small_shop.parts)]
    assert [text for _, text in contents] == [f"{n}. {s.title}" for n, s in enumerate(small_shop.parts, 1)]
    for (anchor, _), section in zip(contents, small_shop.parts, strict=True):
        target = bookmarks[anchor]
        assert target.style.name == "Heading 1" and target.text == section.title
        assert len(anchor) <= 40 and anchor[0].isalpha()
    # "More: Contact us" in the short version points at the contact section's heading too.
    assert any(bookmarks[anchor].text == "Contact us" for anchor, text in links[len(small_shop.parts) :])


def test_addresses_are_hyperlinks(small_shop):
    word = open_docx(render(small_shop, "docx"))
    targets = {rel.target_ref for rel in word.part.rels.values() if rel.is_external}
    assert "https://policies.google.com/privacy" in targets
    assert "mailto:hello@juniperandrye.example" in targets
    texts = [link.text for p in word.paragraphs for link in p.hyperlinks if link.address]
    assert "privacy policy" in texts  # the link's words are the link, not a bare address


def test_the_cookie_table_is_a_word_table_with_a_repeating_head_row(small_shop):
    word = open_docx(render(small_shop, "docx"))
    [table] = word.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Cookie", "Provider", "Purpose", "How long it lasts", "First or third party"]
    assert ["_ga", "Google Analytics", "Counts visits", "13 months", "First party"] in rows
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_us_businesses_get_letter_paper_and_us_english(make_answers, library):
    us = open_docx(render(assemble(library, make_answers(organization={"country": "US"})), "docx"))
    de = open_docx(render(assemble(library, make_answers(organization={"country": "DE"})), "docx"))
    assert round(us.sections[0].page_width.mm) == 216 and round(de.sections[0].page_width.mm) == 210
    assert us.core_properties.language == "en-US" and de.core_properties.language == "en"


# Characters XML 1.0 cannot hold, which python-docx would refuse with a ValueError.
CONTROL = "Bad\x00Co\x01\x08\x0b\x0c\x0e\x1f\ufffe\ud800 Ltd"
RTL = "Evil\u202eexe.txt Corp"
LONG_WORD = "A" * 3000


def test_xml_text_drops_only_what_xml_cannot_hold():
    assert xml_text(CONTROL) == "BadCo Ltd"
    assert xml_text("tab\tline\nand é ✓ 𝔘") == "tab\tline\nand é ✓ 𝔘"
    assert xml_text(RTL) == RTL


@pytest.mark.parametrize("name", ["<b>Bold</b> & <script>x</script>", CONTROL, RTL, LONG_WORD])
def test_hostile_names_and_titles_are_plain_text_and_never_raise(name, library):
    document = assemble(
        library,
        validate_answers(
            {
                "organization": {
                    "name": "Acme Widgets",
                    "website": "https://acme.example",
                    "email": "privacy@acme.example",
                    "effective_date": "2026-05-01",
                }
            },
            catalogue_keys=library.catalogue_keys(),
        ),
    )
    # Straight into the document, past validation: the staff-written section title and the name.
    parts = tuple(replace(s, title=name) if s.key == "contact" else s for s in document.sections)
    document = replace(document, organization_name=name, sections=parts)
    word = open_docx(render(document, "docx"))
    text = "\n".join(p.text for p in word.paragraphs)
    assert xml_text(name) in text and ("Heading 1", xml_text(name)) in headings(word)
    assert "<b>" not in word.element.xml  # escaped by the XML writer, never markup
