"""The embeddable page's options and the snippets site owners paste (the review page offers them).

Two snippets: an iframe with our small script (``embed.js``), which makes the frame as tall as the
policy, and the iframe alone, for sites that allow no outside script (it keeps a fixed height and
scrolls inside). Options travel in the frame's address and are read leniently: an unknown value
is the default, never an error, so a mistyped snippet still shows the policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

# The value of each option, with what the review page calls it; the first is the default.
THEMES = {"light": "Light", "dark": "Dark", "auto": "Follow the reader's device (light or dark)"}
FONTS = {
    "policy": "The policy's own (the reader's system font)",
    "inherit": "Your site's font (with the resizing snippet only)",
    "serif": "A serif font",
}
FIXED_HEIGHT = 600  # the iframe-only snippet's height, in pixels


@dataclass(frozen=True)
class EmbedOptions:
    theme: str = "light"
    font: str = "policy"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> EmbedOptions:
        """The options a query string asks for; anything unknown falls back to the default."""
        theme, font = query.get("theme", ""), query.get("font", "")
        return cls(theme=theme if theme in THEMES else "light", font=font if font in FONTS else "policy")

    @property
    def query(self) -> str:
        """``?theme=dark&font=serif``: only the options that differ from the defaults ("" if none)."""
        pairs = [
            (k, v) for k, v in (("theme", self.theme), ("font", self.font)) if v != getattr(EmbedOptions, k)
        ]
        return f"?{urlencode(pairs)}" if pairs else ""


def resizing_snippet(embed_url: str, script_url: str) -> str:
    """The iframe our script resizes to the policy's height, and the script (plain text to copy)."""
    return (
        f'<iframe src="{escape(embed_url)}" title="Privacy policy" width="100%" height="{FIXED_HEIGHT}"'
        f' data-policy-embed></iframe>\n<script src="{escape(script_url)}" async></script>'
    )


def frame_snippet(embed_url: str) -> str:
    """The iframe alone: a fixed height, scrolling inside, for sites that allow no outside script."""
    url = escape(embed_url)
    return f'<iframe src="{url}" title="Privacy policy" width="100%" height="{FIXED_HEIGHT}"></iframe>'
