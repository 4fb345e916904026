"""Publishing that reads well: the sentence-by-sentence diff, and an embed that fits its content."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from policybuilder.diffing import sentence_diff
from policybuilder.publishing.embedding import EmbedOptions
from policybuilder.publishing.models import PublishedPolicy
from policybuilder.publishing.services import compare_sections, readable_comparison
from policybuilder.questionnaire import PAGES_BY_KEY
from tests.support.examples import example_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard, form_data


def _lines(passages) -> list[tuple[str, str]]:
    return [(s.status, s.text) for p in passages for s in p.sentences if s.status != "same"]


# --- The diff, as data ----------------------------------------------------------------------


def test_a_changed_sentence_is_the_whole_old_one_then_the_whole_new_one():
    old = "We keep your order for 30 days. We never sell it. You can ask us to delete it."
    new = "We keep your order for 90 days. We never sell it. You can ask us to delete it."
    passages = sentence_diff(old, new)
    assert _lines(passages) == [
        ("removed", "We keep your order for 30 days."),
        ("added", "We keep your order for 90 days."),
    ]
    removed, added = passages[0].sentences
    assert [s.text for s in removed.spans if s.marked] == ["30"]  # the word that changed, inside
    assert [s.text for s in added.spans if s.marked] == ["90"]  # a whole sentence, never interleaved


def test_sentences_added_and_removed_alone_and_a_rewritten_sentence_marks_no_words():
    old = "We use cookies. We send a newsletter every week."
    new = "We use cookies. Analytics tell us which pages people read. Nothing else is sent."
    lines = _lines(sentence_diff(old, new))
    assert lines == [
        ("removed", "We send a newsletter every week."),
        ("added", "Analytics tell us which pages people read."),
        ("added", "Nothing else is sent."),
    ]
    assert all(not span.marked for p in sentence_diff(old, new) for s in p.sentences for span in s.spans)


def test_long_runs_of_unchanged_sentences_fold_and_short_ones_stay():
    same = " ".join(f"Sentence number {n} stays." for n in range(1, 6))
    passages = sentence_diff(same + " Old end.", same + " New end.")
    assert passages[0].folded and len(passages[0].sentences) == 5
    short = sentence_diff("One stays. Old.", "One stays. New.")
    assert not short[0].folded


def test_unchanged_sections_are_gathered_with_their_count_and_added_and_removed_said_plainly():
    def section(key, text):
        return {"key": key, "title": key.title(), "text": text}

    old = [section(k, f"{k} text.") for k in ("a", "b", "c", "d")] + [section("gone", "Bye.")]
    new = [section(k, f"{k} text.") for k in ("a", "b")] + [section("c", "c changed.")]
    new += [section("d", "d text."), section("new", "Hello.")]
    blocks = readable_comparison(compare_sections(old, new))
    assert [(b.status, b.titles) for b in blocks] == [
        ("unchanged", ("A", "B")),
        ("changed", ("C",)),
        ("unchanged", ("D",)),
        ("removed", ("Gone",)),
        ("added", ("New",)),
    ]
    assert blocks[3].text == "Bye." and blocks[4].text == "Hello."


# --- The diff page -----------------------------------------------------------------------------


@pytest.fixture
def two_versions(client, db_library):
    """Version 2 changes a cookie purpose, drops the breach section and names the owner in markup."""
    answers = example_raw("small-shop")
    draft = complete_wizard(client, answers)
    publish(client, draft)
    answers["cookies"]["purposes"] = ["essential", "shopping_cart", "preferences", "analytics", "advertising"]
    answers["breach_notification"] = {}
    answers["organization"]["name"] = "Juniper <script>alert(1)</script> & Rye"
    for page in ("organization", "cookies", "breaches"):
        url = reverse("draft-step", args=[draft.token, page]) + "?return=review"
        client.post(url, form_data(PAGES_BY_KEY[page], answers))
    publish(client, draft)
    policy = PublishedPolicy.objects.get(draft=draft)
    assert policy.versions.count() == 2
    return policy


@pytest.mark.django_db
def test_the_diff_page_reads_sentence_by_sentence_and_gathers_unchanged_sections(client, two_versions):
    html = client.get(f"/policies/{two_versions.public_id}/diff/?from=1&to=2").content.decode()
    # Unchanged sections: one line each run, with the count, opening to their names.
    counts = re.findall(r"<summary>(\d+) sections? unchanged</summary>", html)
    assert counts and sum(map(int, counts)) >= 5
    assert "No change." not in html
    # A changed sentence: whole, labelled in words, and struck out then inserted.
    removed = re.findall(r"Removed:</span> <del>(.*?)</del>", html, re.S)
    added = re.findall(r"Added:</span> <ins>(.*?)</ins>", html, re.S)
    assert any("to show ads" in re.sub(r"</?mark>", "", a) for a in added)
    assert "Taken out in version 2. Version 1 said:" in html
    assert any("If a data breach affects your personal information" in r for r in removed)
    # Never interleaved: no <del> and <ins> inside one sentence.
    for line in re.findall(r'<p class="diff-line[^"]*">(.*?)</p>', html, re.S):
        assert not ("<del>" in line and "<ins>" in line)
    # The owner's words are text, never markup.
    assert "<script>alert(1)</script>" not in html
    assert "Juniper &lt;script&gt;alert(1)&lt;/script&gt; &amp; Rye" in html


# --- The embed -------------------------------------------------------------------------------


def test_embed_options_take_known_values_and_ignore_anything_else():
    assert EmbedOptions.from_query({"theme": "dark", "font": "serif"}) == EmbedOptions("dark", "serif")
    assert EmbedOptions.from_query({"theme": "<x>", "font": "Comic Sans"}) == EmbedOptions()
    assert EmbedOptions("auto", "inherit").query == "?theme=auto&font=inherit"
    assert EmbedOptions().query == ""


@pytest.fixture
def policy(client, db_library):
    draft = complete_wizard(client, example_raw("small-shop"))
    publish(client, draft)
    return draft, PublishedPolicy.objects.get(draft=draft)


@pytest.mark.django_db
def test_the_embed_page_honours_theme_and_font_and_ignores_bad_values(client, policy):
    _, published = policy
    url = f"/policies/{published.public_id}/embed/"
    dark = client.get(url + "?theme=dark&font=serif").content.decode()
    assert (
        'class="embed theme-dark font-serif"' in dark and '<meta name="color-scheme" content="dark">' in dark
    )
    auto = client.get(url + "?theme=auto&font=inherit").content.decode()
    assert "theme-auto font-inherit" in auto and 'data-font="inherit"' in auto
    bad = client.get(url + '?theme="><script>&font=<b>')
    assert bad.status_code == 200
    assert 'class="embed theme-light font-policy"' in bad.content.decode()
    # Its own script only, from 'self', and framing allowed on this page alone.
    assert re.search(r'<script src="/static/js/embed-frame\.js" defer></script>', dark)
    assert "<script>" not in dark
    assert "script-src 'self'" in bad["Content-Security-Policy"]
    assert "frame-ancestors *" in bad["Content-Security-Policy"] and "X-Frame-Options" not in bad
    assert client.get(f"/policies/{published.public_id}/").headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_resizing_script_is_javascript_and_believes_only_its_own_frames(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert "event.origin !== origin" in script  # only messages from the app's origin
    assert "contentWindow === source" in script  # sent by a frame this script manages
    assert "MAX_HEIGHT" in script and "Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT" in script
    assert "new URL(script.src).origin" in script


@pytest.mark.django_db
def test_the_review_page_offers_both_snippets_with_the_chosen_options(client, policy):
    draft, published = policy
    review = reverse("draft-review", args=[draft.token])
    html = client.get(review).content.decode()
    embed = f"http://testserver/policies/{published.public_id}/embed/"
    assert f"&lt;iframe src=&quot;{embed}&quot;" in html
    assert (
        "data-policy-embed&gt;&lt;/iframe&gt;\n&lt;script src=&quot;http://testserver/embed.js&quot; async"
        in html
    )
    assert 'data-copy="#snippet-resizing"' in html and 'data-copy="#snippet-iframe"' in html
    chosen = client.get(review + "?theme=dark&font=nonsense").content.decode()
    assert f"{embed}?theme=dark&amp;amp;" not in chosen  # the unknown font is dropped, not passed on
    assert f"&lt;iframe src=&quot;{embed}?theme=dark&quot;" in chosen
    assert f'src="/policies/{published.public_id}/embed/?theme=dark"' in chosen  # the live example
