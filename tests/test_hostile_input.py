"""People's text can never inject markup, links or scripts into any output."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from html.parser import HTMLParser

import docx
import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from policybuilder.assembly import assemble
from policybuilder.clause_library import Library
from policybuilder.questionnaire import Kind, iter_questions
from policybuilder.renderers import render
from tests.support.hostile import PAYLOADS, hostile_raw

# Free-text questions and where their text may appear.
TEXT_QUESTIONS = [
    q
    for q in iter_questions()
    if q.kind
    in (Kind.TEXT, Kind.LONG_TEXT, Kind.LINES, Kind.SERVICE_RECORDS, Kind.COOKIE_RECORDS, Kind.OWN_PARAGRAPHS)
]


def test_every_free_text_question_is_covered_by_the_payload_set():
    covered = {
        "organization.name",
        "organization.postal_address",
        "tools.unlisted",
        "cookies.table",
        "children.parental_consent_method",
        "us_privacy.incentive_terms",
        "us_privacy.buyers",
        "gdpr.eu_representative_contact",
        "gdpr.uk_representative_contact",
        "gdpr.dpo_contact",
        "gdpr.automated_logic",
        "americas.privacy_officer",
        "americas.encarregado",
        "collection.other_data",
        "use.other_purposes",
        "sharing.other_recipients",
        "extras.own_paragraphs",
    }
    # Phone, URLs and emails are validated to a strict shape; everything else is free text.
    free = {
        q.path
        for q in TEXT_QUESTIONS
        if q.kind is not Kind.TEXT or q.path in ("organization.name", "us_privacy.buyers")
    }
    assert free <= covered


EXPECTED_LINKS = {
    "https://shop.example",
    "mailto:privacy@shop.example",
    "https://stripe.com/privacy",
}


def hostile_library(library: Library, payload: str) -> Library:
    """The library with staff-written text set to the payload: a section title, a service's name and company."""
    line = payload.replace("\n", " ")
    sections = tuple(replace(s, title=line) if s.key == "contact" else s for s in library.sections)
    services = tuple(
        replace(s, name=line, company=line) if s.key == "stripe" else s for s in library.services
    )
    return Library(sections=sections, services=services)


@pytest.fixture(
    params=[(p, "answers") for p in PAYLOADS] + [(p, "library") for p in PAYLOADS],
    ids=[f"answers-{n}" for n in range(len(PAYLOADS))] + [f"library-{n}" for n in range(len(PAYLOADS))],
)
def hostile_document(request, library, catalogue):
    """A policy with the payload in every free-text answer, or in every staff-written library field."""
    from policybuilder.answers import validate_answers

    payload, where = request.param
    if where == "library":
        library = hostile_library(library, payload)
    answers = validate_answers(hostile_raw(payload), catalogue_keys=catalogue)
    return payload, assemble(library, answers)


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


OUR_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "p",
    "time",
    "nav",
    "ol",
    "ul",
    "li",
    "a",
    "section",
    "strong",
    "em",
    "br",
    # the cookie table
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def test_html_output_has_no_injected_elements_or_links(hostile_document):
    payload, document = hostile_document
    collector = TagCollector()
    collector.feed(render(document, "html").decode())
    names = {tag for tag, _ in collector.tags}
    assert names <= OUR_TAGS, names - OUR_TAGS
    for tag, attrs in collector.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    hrefs = {
        attrs["href"] for tag, attrs in collector.tags if tag == "a" and not attrs["href"].startswith("#")
    }
    assert hrefs <= EXPECTED_LINKS, hrefs - EXPECTED_LINKS
    assert sum(1 for tag, _ in collector.tags if tag == "h1") == 1  # no fake headings


def test_template_syntax_in_answers_is_shown_not_executed(library, catalogue):
    from policybuilder.answers import validate_answers

    answers = validate_answers(
        hostile_raw("{% for x in range(9) %}loop{% endfor %}"), catalogue_keys=catalogue
    )
    text = render(assemble(library, answers), "txt").decode()
    assert "{% for x in range(9) %}loop{% endfor %}" in text
    assert "looploop" not in text


def test_markdown_output_parses_to_no_html_and_no_foreign_links(hostile_document):
    payload, document = hostile_document
    md = render(document, "md").decode()
    tokens = MarkdownIt("gfm-like", {"linkify": True}).parse(md)
    links, html_bits = set(), []
    for token in tokens:
        if token.type == "html_block":
            html_bits.append(token.content.strip())
        for child in token.children or []:
            if child.type == "link_open":
                links.add(child.attrs["href"])
            if child.type == "html_inline":
                html_bits.append(child.content)
            assert child.type != "image"
    # Our own anchors are the only raw HTML in the file.
    assert all(re.fullmatch(r'<a id="section-[a-z-]+">|</a>', bit) for bit in html_bits), html_bits
    foreign = {link for link in links if not link.startswith("#")} - EXPECTED_LINKS
    assert foreign == set()
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1


def test_pdf_output_shows_the_text_and_carries_no_foreign_links(hostile_document):
    payload, document = hostile_document
    data = render(document, "pdf")
    reader = PdfReader(io.BytesIO(data))
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                uris.add(str(action["/URI"]))
    assert uris <= EXPECTED_LINKS, uris
    assert b"/JavaScript" not in data and b"/EmbeddedFile" not in data
    text = " ".join(page.extract_text() for page in reader.pages)
    first_word = re.sub(r"[^A-Za-z]", " ", payload).split()[0]
    assert first_word in text


def test_docx_output_shows_the_text_and_carries_no_foreign_links_or_headings(hostile_document):
    payload, document = hostile_document
    word = docx.Document(io.BytesIO(render(document, "docx")))
    targets = {rel.target_ref for rel in word.part.rels.values() if rel.is_external}
    assert targets <= EXPECTED_LINKS, targets - EXPECTED_LINKS
    styles = [p.style.name for p in word.paragraphs]
    assert styles.count("Title") == 1 and styles.count("Heading 1") == len(document.parts)  # no fake headings
    text = "\n".join(p.text for p in word.paragraphs) + "".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    assert payload.replace("\n", " ") in text.replace("\n", " ")  # shown as written, as plain text
    assert "<w:drawing" not in word.element.xml and "<w:object" not in word.element.xml


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("website", 'https://shop.example/"><script>alert(1)</script>'),
        ("terms_url", "https://shop.example/terms<x>"),
        ("website", "javascript:alert(1)"),
        ("email", '"<script>"@shop.example'),
        ("email", '"a b"@shop.example'),
    ],
)
def test_addresses_that_could_break_out_of_a_link_are_refused_at_validation(path, value, catalogue):
    from policybuilder.answers import AnswersError, validate_answers

    raw = hostile_raw("Acme")
    raw["organization"][path] = value
    with pytest.raises(AnswersError) as info:
        validate_answers(raw, catalogue_keys=catalogue)
    assert [p.path for p in info.value.problems] == [f"organization.{path}"]
