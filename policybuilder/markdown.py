"""Markdown: escaping people's text into it, and turning it into safe HTML.

Clause bodies are Markdown written by staff; values from answers are escaped
before they enter that Markdown, so a company called ``[x](javascript:...)``
or ``<script>`` is shown as text.  The HTML that comes out passes an
allow-list sanitizer (nh3) as a second line of defence.
"""

from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt


# Markdown that a value may *contain* safely once escaped; produced only by
# the helpers in ``templating`` (links to validated URLs, joined lists).
class MarkdownText(str):
    """A string that is already valid, escaped Markdown."""

    __slots__ = ()


# What is escaped, and why (CommonMark lets any ASCII punctuation be escaped
# with a backslash, so over-escaping is always safe, only less pretty):
# - everywhere: characters that open inline syntax: code, emphasis, links,
#   images (the "[" suffices), raw HTML and autolinks, GFM tables and strikethrough;
# - "&" only where it would form an entity such as "&lt;";
# - ":" before "//" and "@", so GFM renderers do not turn text into autolinks,
#   and the "." of "www." for the same reason;
# - at the start of the value, characters that open block syntax there:
#   headings, lists, quotes, thematic breaks, setext underlines.
_INLINE = re.compile(r"""([\\`*_\[\]<>|~{}@])|&(?=#?\w+;)|:(?=//)|(?<=www)\.""", re.IGNORECASE)
# Inside link text GFM makes no autolinks, so addresses there stay readable.
_INLINE_IN_LINK = re.compile(r"""([\\`*_\[\]<>|~{}])|&(?=#?\w+;)""")
_LEADING = re.compile(r"^([#+\-=>]|\d+(?=[.)]))")
_NEWLINES = re.compile(r"\s*\n\s*")


_LINKABLE = re.compile(r"^(https?://|mailto:)[^\s<>\"'`\\]+$")


def is_linkable(url: str) -> bool:
    """Whether a Markdown link may point at ``url``: http, https or mailto, nothing that breaks out."""
    return bool(_LINKABLE.match(url))


def _escape_inline(match: re.Match[str]) -> str:
    return "\\" + match.group(0)


def escape(value: object, *, link_text: bool = False) -> MarkdownText:
    """Escape any text so that Markdown shows it literally, on one line."""
    if isinstance(value, MarkdownText):
        return value
    text = _NEWLINES.sub(" ", str(value)).strip()
    text = (_INLINE_IN_LINK if link_text else _INLINE).sub(_escape_inline, text)
    leading = _LEADING.match(text)
    if leading:
        marker = leading.group(0)
        if marker.isdigit():
            # "1. Foo" would start an ordered list: escape the "." or ")".
            text = marker + "\\" + text[len(marker) :]
        else:
            text = "\\" + text
    return MarkdownText(text)


def escape_lines(value: object) -> MarkdownText:
    """Escape text keeping its line breaks (Markdown hard breaks)."""
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return MarkdownText("  \n".join(escape(line) for line in lines))


# GFM tables on (the cookie table); everything else CommonMark.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "code",
    "h3",
    "h4",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def parse(text: str):  # -> list[markdown_it.token.Token]
    return _parser.parse(text)


@functools.lru_cache(maxsize=4096)
def to_html(text: str) -> str:
    """Render Markdown to sanitized HTML (raw HTML in the source is shown as text).

    Cached: a pure function of its text, and most clauses read the same for
    many people, so repeat renders cost a dictionary lookup.
    """
    return sanitize_html(_parser.render(text))


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def contains_raw_html(text: str) -> bool:
    """True when Markdown source holds raw HTML (not allowed in clause bodies)."""
    html_parser = MarkdownIt("commonmark", {"html": True})
    for token in html_parser.parse(text):
        if token.type == "html_block":
            return True
        if token.children and any(child.type == "html_inline" for child in token.children):
            return True
    return False
