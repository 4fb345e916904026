"""Every example builds in every format, and each format reads as a policy."""

import dataclasses
import io
import json
import re
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from pypdf import PdfReader

from policybuilder.answers import validate_answers
from policybuilder.assembly import assemble
from policybuilder.markdown import escape
from policybuilder.renderers import FORMATS, render, render_cached, render_key, rendering
from tests.support.examples import EXAMPLES


@pytest.fixture(scope="module")
def documents(library):
    catalogue = library.catalogue_keys()
    return {
        path.stem: assemble(library, validate_answers(json.loads(path.read_text()), catalogue_keys=catalogue))
        for path in EXAMPLES
    }


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "policy.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_info(data: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_pdf_holds_the_organisation_every_heading_and_page_numbers(name, documents, tmp_path):
    document = documents[name]
    data = render(document, "pdf")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data, tmp_path)
    flat = " ".join(text.split())
    assert document.organization_name in flat
    for section in document.parts:
        assert section.title in flat, section.title
    pages = int(pdf_info(data, tmp_path)["Pages"])
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    # Contents with page numbers: "The short version . . . 1", and every part listed
    assert re.search(r"The short version[ .]+1\b", text)
    assert all(re.search(re.escape(part.title) + r"[ .]+\d+\b", text) for part in document.parts)


def test_pdf_metadata_is_set_and_the_pdf_is_tagged(documents, tmp_path):
    document = documents["saas"]
    info = pdf_info(render(document, "pdf"), tmp_path)
    assert info["Title"] == "Northwind Ledger Ltd Privacy Policy"
    assert info["Author"] == "Northwind Ledger Ltd"
    assert info["Tagged"] == "yes"
    assert PdfReader(io.BytesIO(render(document, "pdf"))).trailer["/Root"]["/Lang"] == "en"


def test_pdf_has_bookmarks_for_each_section(documents):
    document = documents["small-shop"]
    reader = PdfReader(io.BytesIO(render(document, "pdf")))

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    found = list(titles(reader.outline))
    assert found[0] == document.full_title
    assert "Contents" not in found
    section_titles = {s.title for s in document.sections}
    assert [t for t in found if t in section_titles] == [s.title for s in document.sections]


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_html_is_standalone_with_contents_and_back_links(name, documents):
    document = documents[name]
    html = render(document, "html").decode()
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{document.language}">' in html
    assert "<style>" in html and 'name="viewport"' in html and "@media print" in html
    # No external requests: nothing is loaded from anywhere.
    assert not re.search(r"<(link|script|img|iframe)\b", html)
    assert "url(" not in html
    for section in document.parts:
        assert f'href="#{section.anchor}"' in html and f'id="{section.anchor}"' in html
    assert html.count('href="#top">Back to top') == len(document.parts)


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_markdown_has_title_contents_and_sections(name, documents):
    document = documents[name]
    md = render(document, "md").decode()
    assert md.startswith(f"# {escape(document.full_title)}\n")
    for n, section in enumerate(document.parts, 1):
        assert f"{n}. [{section.title}](#{section.anchor})" in md
        assert f"\n## {section.title}\n" in md


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_text_is_wrapped_numbered_and_free_of_markup(name, documents):
    document = documents[name]
    text = render(document, "txt").decode()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 78
    for n, section in enumerate(document.parts, 1):
        heading = f"{n}. {section.title}"
        index = lines.index(heading)
        assert lines[index + 1] == "-" * len(heading)
    for markup in ("**", "](", "\\", "<a ", "###"):
        assert markup not in text, markup


def test_text_keeps_link_addresses(documents):
    text = " ".join(render(documents["small-shop"], "txt").decode().split())
    assert "privacy policy <https://policies.google.com/privacy>" in text
    assert "hello@juniperandrye.example" in text and "mailto:" not in text


def test_format_registry_has_content_types_and_extensions():
    assert {name: f.content_type.split(";")[0] for name, f in FORMATS.items()} == {
        "html": "text/html",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "md": "text/markdown",
        "txt": "text/plain",
    }
    assert FORMATS["pdf"].binary and FORMATS["docx"].binary and not FORMATS["md"].binary


@pytest.mark.parametrize(
    ("country", "english", "size"),
    [
        ("US", "from_country", "612 x 792"),
        ("DE", "from_country", "595.276 x 841.89"),
        ("DE", "us", "612 x 792"),
        ("", "from_country", "612 x 792"),
    ],
)
def test_us_businesses_get_letter_paper_and_others_a4(
    make_answers, library, country, english, size, tmp_path
):
    document = assemble(library, make_answers(organization={"country": country, "english": english}))
    assert pdf_info(render(document, "pdf"), tmp_path)["Page size"].startswith(size)
    assert document.language == ("en" if size.startswith("595") else "en-US")


def test_a_download_waits_for_the_render_the_worker_has_under_way(documents, monkeypatch):
    """The review queues the PDF; a click while the worker renders it gets the worker's PDF,
    instead of a second render of the same policy beside it."""
    document = documents["saas"]
    caches["renders"].delete(render_key(document, "pdf"))
    rendered_here = []
    monkeypatch.setitem(
        FORMATS,
        "pdf",
        dataclasses.replace(FORMATS["pdf"], render=lambda d: rendered_here.append(d) or b"here"),
    )

    def worker() -> None:
        with rendering(document, "pdf"):
            time.sleep(0.3)
            caches["renders"].set(render_key(document, "pdf"), b"%PDF from the worker")

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.05)  # the worker has started
    assert render_cached(document, "pdf", wait=True) == b"%PDF from the worker"
    thread.join()
    assert rendered_here == []


def test_without_a_render_under_way_the_download_renders_at_once(documents, monkeypatch):
    document = documents["brochure-site"]
    caches["renders"].delete(render_key(document, "pdf"))
    monkeypatch.setitem(FORMATS, "pdf", dataclasses.replace(FORMATS["pdf"], render=lambda d: b"rendered now"))
    started = time.monotonic()
    assert render_cached(document, "pdf", wait=True) == b"rendered now"
    assert time.monotonic() - started < 1
