"""Clause templates run sandboxed and are checked before they are accepted."""

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from policybuilder.templating import check_template, evaluate_condition, link, render_body


def messages(source, **kwargs):
    return [str(p) for p in check_template(source, **kwargs)]


def test_valid_body_and_condition_have_no_problems():
    assert messages('We use {{ join(phrases(cookies.purposes, {"essential": "x"})) }}.') == []
    assert messages('cookies.use == "yes" and "analytics" in cookies.purposes', is_condition=True) == []


def test_syntax_error_names_the_line():
    found = messages("Line one.\n{% if cookies.use %}\nno end")
    assert found and "line 2" in found[0]


def test_an_unclosed_if_is_explained_without_parser_jargon():
    """An editor is told where the "if" opens and what to add, not what the parser was looking for."""
    body = "We keep your information safe.\n\n{% if cookies.use == 'yes' %}\nWe use cookies.\n"
    assert messages(body) == ["An “if” is opened on line 3 but never closed: add {% endif %}"]
    nested = "{% for p in cookies.purposes %}\n{% if p %}x\n{% endfor %}"
    assert messages(nested) == [
        "{% endfor %} on line 3 does not match: the “if” opened on line 2 must be closed first with {% endif %}"
    ]
    for jargon in ("Unexpected end of template", "Jinja", "innermost block", "token"):
        assert not any(
            jargon in m for m in messages(body) + messages(nested) + messages("{% if %}x{% endif %}")
        )


def test_unknown_tags_and_filters_name_the_allowed_ones():
    (tag,) = messages("{% endfi %}")
    assert tag.startswith("line 1: {% endfi %} is not a tag clause text can use — did you mean endif?")
    assert "The tags you can use are if, elif, else, for, set, with, endif, endfor, endwith." in tag
    (found,) = messages("Hello\n{{ organization.name|uper }}")
    assert found.startswith("line 2: unknown filter 'uper' (after |) — did you mean upper?")
    assert "The filters you can use are abs," in found and "join_list" in found


def test_a_misspelt_answer_key_or_name_gets_a_did_you_mean():
    assert messages("{{ organization.nmae }}") == [
        "line 1: unknown answer key 'organization.nmae' — did you mean organization.name?"
    ]
    assert messages("organisation.name", is_condition=True) == [
        "line 1: unknown name 'organisation' — did you mean organization?"
    ]
    assert messages("{{ cookies.flavour }}") == [
        "line 1: unknown answer key 'cookies.flavour'"
    ]  # nothing close


def test_unknown_name_key_and_choice_are_reported():
    assert "unknown name 'cookie'" in messages("{{ cookie.use }}")[0]
    assert messages("{{ cookies.usage }}") == [
        "line 1: unknown answer key 'cookies.usage' — did you mean cookies.use?"
    ]
    assert messages('cookies.use == "sometimes"', is_condition=True) == [
        "line 1: 'sometimes' is not a choice of cookies.use (yes, no, maybe_future)"
    ]
    assert (
        "'tracking' is not a choice of cookies.purposes"
        in messages('"tracking" in cookies.purposes', is_condition=True)[0]
    )


def test_raw_html_in_a_body_is_refused():
    assert messages("Hello <script>alert(1)</script>") == ["raw HTML is not allowed; write Markdown instead"]


def test_sandbox_blocks_python_internals():
    with pytest.raises(SecurityError):
        render_body("{{ organization.__class__.__mro__ }}", {"organization": {}})
    with pytest.raises(SecurityError):
        render_body("{{ join.__globals__ }}", {})


def test_strict_undefined_fails_loudly():
    with pytest.raises(UndefinedError):
        render_body("{{ organization.nickname }}", {"organization": {}})


def test_placeholders_are_escaped_for_markdown():
    out = render_body(
        "Hello {{ organization.name }}.", {"organization": {"name": "[x](javascript:alert(1)) <b>"}}
    )
    assert out == r"Hello \[x\](javascript:alert(1)) \<b\>."


def test_empty_condition_always_holds_and_conditions_evaluate():
    assert evaluate_condition("", {}) is True
    assert evaluate_condition('cookies.use == "yes"', {"cookies": {"use": "yes"}}) is True
    assert evaluate_condition("cookies.purposes", {"cookies": {"purposes": []}}) is False


def test_link_helper_refuses_unsafe_urls():
    assert link("policy", "https://example.com/p") == "[policy](<https://example.com/p>)"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://e.com/a b", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            link("x", bad)
