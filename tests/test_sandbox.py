"""Clause text is untrusted code: it cannot change the answers, and every render runs under a budget.

Each case was accepted by the admin before the sandbox had a budget; each is now refused
when the clause is saved, with a message, and fails quickly (never a 500) if it reaches a person.
"""

from __future__ import annotations

import time

import pytest

from policybuilder.assembly import AssemblyError, assemble
from policybuilder.clause_library import ClauseSpec, Library, SectionSpec
from policybuilder.library_checks import check_clause
from policybuilder.templating import HELPER_NAMES, MAX_SECONDS, check_template, render_body


def problems(body: str, library: Library) -> list[str]:
    static = [str(p) for p in check_template(body)]
    return static or [p.message for p in check_clause(ClauseSpec("trial", "s", 0, body), library)]


@pytest.mark.parametrize(
    "body, expected",
    [
        # The answers cannot be mutated, even through an alias.
        (
            "{% set o = organization %}{{ o['update']({'email': 'x@evil.example'}) }}",
            "unknown answer key 'organization.update'",
        ),
        ("{% set o = organization %}{{ o['nmae'] }}", "unknown answer key 'organization.nmae'"),
        ("{{ organization['nmae'] }}", "unknown answer key 'organization.nmae'"),
        # Work that would pin a worker.
        (
            "{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}",
            "range() is limited to 1,000 numbers",
        ),
        (
            "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}",
            "too much work",
        ),
        ("{{ 'a' * 10**9 }}", "the result would be over 100,000 long"),
        ("{{ 10**9 * 'a' }}", "the result would be over 100,000 long"),
        ("{{ ([1] * 100000000)|length }}", "the result would be over 100,000 long"),
        ("{{ 10 ** 10 ** 10 }}", "the power is too large"),
        ("{{ '{0:>1000000000}'.format(1) }}", "format() is not allowed"),
        ("{{ '{0.__class__}'.format_map([organization]) }}", "format() is not allowed"),
        ("{{ '%01000000000d' % 1 }}", "formatting text with % is not allowed"),
        ("{{ organization.name.ljust(1000000000) }}", "ljust() is not allowed"),
        ("{{ ['a']|map('center', 1000000000)|list }}", "No filter named 'center'"),
        # Cheap on the samples, expensive on the longest answers: the worst-case profile catches them.
        ("{% for i in range(1000) %}{{ organization.postal_address }}{% endfor %}", "the text is too long"),
        (
            "{% for c in organization.postal_address %}{% for d in organization.postal_address %}x{% endfor %}{% endfor %}",
            "too much work",
        ),
        # Errors that used to escape the checks as exceptions (500s).
        ("{{ organization.name|uper }}", "unknown filter 'uper' (after |) — did you mean upper?"),
        ("{{ 1/0 }}", "division by zero"),
        ("{% macro f(x) %}{{ f(x) }}{% endmacro %}{{ f(1) }}", "{% macro %} is not allowed"),
        (
            "{% set x %}{% for i in range(999) %}xxxxxxxx{% endfor %}{% endset %}{{ x }}",
            "{% set … endset %} is not allowed",
        ),
        # Single operations that build or take a huge value (found in review).
        ("{% set a='x'*100000 %}{% set b=a~a~a~a~a~a~a~a~a~a %}{{ b|length }}", "over 100,000 long"),
        ("{% set a='x'*100000 %}{% if ([a]*1500)|join|length > 0 %}Safe.{% endif %}", "over 100,000 long"),
        ("{% set a='x'*100000 %}{{ a|join(a) }}", "over 100,000 long"),
        ("{{ ['x'*100000]*100000 }}", "over 100,000 long"),
        ("{% set a='x'*100000 %}{{ join([a]*1000)|length }}", "over 100,000 long"),
        ("{{ ([[0]*100000]*1000)|sum(start=[]) }}", "over 100,000 long"),
        ("{{ phrases([1]*100000, [0]*100000) }}", "over 100,000 long"),
        ("{% for s in ['ab'] recursive %}{{ loop([s ~ s]) }}{% endfor %}", "recursive loops are not allowed"),
        ("{{ " + "(" * 80 + "1" + ")" * 80 + " }}", "nested too deeply"),
        ("{% if 1 %}" * 300 + "x" + "{% endif %}" * 300, "nested too deeply"),
        ("{% for i in range(1000) %}" + "[" * 97 + "{% endfor %}", "more than 200 square brackets"),
        ("x" * 20_001, "the limit is 20,000"),
        # Misspelt keys and choices the static check cannot see are caught when the clause runs.
        (
            "{% set c = cookies %}{% if c.use == 'sometimes' %}never{% endif %}ok",
            "'sometimes' is not a choice of cookies.use",
        ),
        (
            "{% if cookies['use'] == 'sometimes' %}x{% endif %}ok",
            "'sometimes' is not a choice of cookies.use",
        ),
        (
            "{% if 'bogus' in cookies.purposes|list %}x{% endif %}ok",
            "'bogus' is not a choice of cookies.purposes",
        ),
        (
            "{% for o in [organization] %}{{ o.nmae|default('') }}{% endfor %}ok",
            "unknown answer key 'organization.nmae'",
        ),
        ("{% set o, p = organization, 1 %}{{ o.nmae is defined }}", "unknown answer key 'organization.nmae'"),
        (
            "{{ ([organization]|map(attribute='nmae')|first) is defined }}",
            "unknown answer key 'organization.nmae'",
        ),
        # Internals are not printed.
        ("{{ link }}", "must give text or a number, not function"),
        ("{{ self }}", "must give text or a number, not TemplateReference"),
        # Template internals with no use in clause text.
        ("{{ lipsum() }}", "unknown name 'lipsum'"),
        ("{% set n = namespace(a=1) %}", "unknown name 'namespace'"),
        ("{{ cycler('a', 'b').next() }}", "unknown name 'cycler'"),
        ("{{ joiner() }}", "unknown name 'joiner'"),
    ],
)
def test_a_clause_beyond_the_sandbox_or_its_budget_is_refused_with_a_message(library, body, expected):
    found = problems(body, library)
    assert any(expected in message for message in found), found


def test_the_budget_stops_a_render_quickly(make_answers):
    body = "{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}"
    started = time.perf_counter()
    with pytest.raises(Exception, match="too much work"):
        render_body(body, make_answers())
    assert time.perf_counter() - started < MAX_SECONDS * 4


def test_a_conditional_trap_fails_as_an_assembly_error_for_the_person_it_targets(library, make_answers):
    trap = "{% if organization.name == 'boom' %}{{ 1/0 }}{% endif %}Fine."
    assert problems(trap, library) == []  # no sample is named "boom": it can only be caught at run time
    trapped = Library(sections=(SectionSpec("s", "S", 0, clauses=(ClauseSpec("trap", "s", 0, trap),)),))
    assert assemble(trapped, make_answers()).sections[0].clauses[0].markdown == "Fine.\n"
    with pytest.raises(AssemblyError, match="division by zero"):
        assemble(trapped, make_answers(organization={"name": "boom"}))


def test_the_helper_list_shows_only_what_clause_text_can_use():
    assert HELPER_NAMES == {
        "link",
        "email_link",
        "join",
        "plural",
        "period",
        "phrases",
        "service_links",
        "spelling",
        "range",
    }


def test_a_condition_is_budgeted_too(library):
    from policybuilder.assembly import build_context
    from policybuilder.samples import everything
    from policybuilder.templating import evaluate_condition

    context = build_context(library, everything(library.catalogue_keys()))
    condition = "('x'*100000 ~ 'x'*100000)|join('x'*1000)|length > 0"
    with pytest.raises(Exception, match="over 100,000 long"):
        evaluate_condition(condition, context)
