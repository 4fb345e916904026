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
    assert found and found[0].startswith("line 3:")


def test_unknown_name_key_and_choice_are_reported():
    assert "unknown name 'cookie'" in messages("{{ cookie.use }}")[0]
    assert messages("{{ cookies.usage }}") == ["line 1: unknown answer key 'cookies.usage'"]
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
