"""Escaping people's text into Markdown and turning Markdown into safe HTML."""

import pytest
from markdown_it import MarkdownIt

from policybuilder.markdown import contains_raw_html, escape, escape_lines, sanitize_html, to_html

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "<https://evil.example>",
    "https://evil.example/path",
    "www.evil.example",
    "evil@evil.example",
    "# Heading",
    "- item",
    "1. item",
    "> quote",
    "**bold** _em_ `code`",
    "&lt;script&gt;",
    "a | b | c",
    "===",
    "<img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_the_same_text_and_nothing_else(text):
    html = to_html(f"Name: {escape(text)}")
    tokens = MarkdownIt("gfm-like", {"linkify": True}).parse(f"Name: {escape(text)}")
    kinds = {child.type for token in tokens for child in (token.children or [])}
    assert kinds <= {"text", "softbreak"}, kinds  # no link, image, emphasis, code or HTML
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert "<script" not in html and "<img" not in html and "<a " not in html


def test_escape_keeps_ordinary_text_readable():
    assert escape("Juniper & Rye Ceramics") == "Juniper & Rye Ceramics"
    assert escape("+1 (503) 555-0142") == r"\+1 (503) 555-0142"
    assert escape("line\nbreak") == "line break"


def test_escape_lines_keeps_line_breaks_and_escapes_each_line():
    assert escape_lines("1 Main St\n# 2\n") == "1 Main St  \n\\# 2"


def test_markdown_with_a_script_link_or_raw_html_renders_as_text():
    html = to_html('[x](javascript:alert(1)) <b onclick="x">b</b>')
    assert "<a" not in html and "<b" not in html


def test_sanitizer_is_a_second_line_of_defence():
    dirty = '<p onclick="x">a<script>alert(1)</script><a href="javascript:alert(1)">l</a><img src=x></p>'
    clean = sanitize_html(dirty)
    assert (
        "script" not in clean and "javascript" not in clean and "onclick" not in clean and "<img" not in clean
    )
    assert sanitize_html('<a href="https://ok.example">ok</a>') == (
        '<a href="https://ok.example" rel="noopener noreferrer">ok</a>'
    )


def test_raw_html_detection():
    assert contains_raw_html("a <b>b</b>") and contains_raw_html("<div>\nx\n</div>")
    assert not contains_raw_html("a < b and **b**")
