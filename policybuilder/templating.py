"""The sandbox that clause bodies and conditions run in.

Clause text is edited by staff in the admin, so it is treated as untrusted
code: it runs in Jinja2's ``SandboxedEnvironment`` (no access to Python
internals, no file or network access) with ``StrictUndefined`` (a misspelt
answer key is an error, never an empty string).  Every ``{{ value }}`` is
escaped for Markdown on the way out; only the helpers below may emit Markdown
syntax, and they validate what they link to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from policybuilder import markdown
from policybuilder.derived import DERIVED_NAMES
from policybuilder.markdown import MarkdownText
from policybuilder.questionnaire import QUESTIONS_BY_PATH, STEPS_BY_KEY
from policybuilder.wording import join_list, plural

_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>\"'`\\]+$")


def link(text: object, url: str | None = None) -> MarkdownText:
    """A Markdown link to a checked URL; plain escaped text when there is no URL."""
    if url is None:
        url, text = str(text), text
    url = str(url or "")
    if not url:
        return markdown.escape(text)
    if not _SAFE_URL.match(url):
        raise ValueError(f"refusing to link to {url!r}: only http, https and mailto addresses")
    return MarkdownText(f"[{markdown.escape(text, link_text=True)}](<{url}>)")


def email_link(address: str) -> MarkdownText:
    return link(address, f"mailto:{address}") if address else MarkdownText("")


def phrases(values: Any, wording: Mapping[str, str]) -> list[str]:
    """Map answer values to the clause's own wording; an unmapped value is an error."""
    missing = [value for value in values if value not in wording]
    if missing:
        raise ValueError(f"no wording for {', '.join(map(str, missing))}")
    return [wording[value] for value in values]


def service_links(services: Any) -> list[MarkdownText]:
    """Each service's name, linked to its privacy policy when the catalogue knows it."""
    return [link(service.name, service.privacy_url or "") for service in services]


def _join(items: Any, conjunction: str = "and") -> MarkdownText:
    return MarkdownText(join_list((markdown.escape(item) for item in items), conjunction))


def _lines(value: Any) -> MarkdownText:
    return markdown.escape_lines(value)


def _finalize(value: Any) -> Any:
    # Runs on the result of every {{ ... }} expression.
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        raise TemplateError("a placeholder produced no value (None)")
    return markdown.escape(value)


class ClauseEnvironment(SandboxedEnvironment):
    """Sandboxed Jinja with Markdown escaping and our helpers."""

    def __init__(self) -> None:
        super().__init__(
            undefined=StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.globals.update(
            link=link,
            email_link=email_link,
            join=_join,
            plural=plural,
            phrases=phrases,
            service_links=service_links,
        )
        self.filters.update(join_list=_join, lines=_lines, email_link=email_link)


ENV = ClauseEnvironment()
HELPER_NAMES = frozenset(ENV.globals)


@functools.lru_cache(maxsize=2048)
def compile_body(body: str):  # -> jinja2.Template
    return ENV.from_string(body)


@functools.lru_cache(maxsize=2048)
def compile_condition(condition: str):  # -> callable(**context)
    return ENV.compile_expression(condition, undefined_to_none=False)


def render_body(body: str, context: Mapping[str, Any]) -> str:
    return compile_body(body).render(context)


def evaluate_condition(condition: str, context: Mapping[str, Any]) -> bool:
    """An empty condition always holds."""
    if not condition.strip():
        return True
    return bool(compile_condition(condition)(**context))


@dataclass(frozen=True)
class TemplateProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def check_template(source: str, *, is_condition: bool = False) -> list[TemplateProblem]:
    """Static checks for a clause body or condition: syntax, names, keys, choice values.

    Returns the problems found (empty when the template is fine).  Used when
    the library is loaded or edited, so a broken clause is refused before any
    policy is built from it.
    """
    text = "{{ (" + source + ") }}" if is_condition else source
    try:
        tree = ENV.parse(text)
    except TemplateError as exc:
        return [TemplateProblem(getattr(exc, "lineno", None), str(exc))]
    problems: list[TemplateProblem] = []
    allowed = set(STEPS_BY_KEY) | HELPER_NAMES | DERIVED_NAMES
    for name in sorted(meta.find_undeclared_variables(tree) - allowed):
        problems.append(TemplateProblem(_first_line(tree, name), f"unknown name {name!r}"))
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in STEPS_BY_KEY:
            path = f"{node.node.name}.{node.attr}"
            if path not in QUESTIONS_BY_PATH:
                problems.append(TemplateProblem(node.lineno, f"unknown answer key {path!r}"))
    for node in tree.find_all(nodes.Compare):
        problems.extend(_check_compared_values(node))
    if not is_condition and markdown.contains_raw_html(source):
        problems.append(TemplateProblem(None, "raw HTML is not allowed; write Markdown instead"))
    return problems


def _first_line(tree: nodes.Template, name: str) -> int | None:
    for node in tree.find_all(nodes.Name):
        if node.name == name:
            return node.lineno
    return None


def _answer_path(node: nodes.Node) -> str | None:
    if (
        isinstance(node, nodes.Getattr)
        and isinstance(node.node, nodes.Name)
        and node.node.name in STEPS_BY_KEY
    ):
        return f"{node.node.name}.{node.attr}"
    return None


def _check_compared_values(node: nodes.Compare) -> list[TemplateProblem]:
    """``cookies.use == "sometimes"`` or ``"x" in cookies.purposes`` with an unknown choice."""
    problems = []
    operands = [node.expr] + [op.expr for op in node.ops]
    for left, right in zip(operands, operands[1:], strict=False):
        for answer_node, value_node in ((left, right), (right, left)):
            path = _answer_path(answer_node)
            question = QUESTIONS_BY_PATH.get(path or "")
            if question is None or not question.choices:
                continue
            for value in _constants(value_node):
                if value not in question.choice_values:
                    problems.append(
                        TemplateProblem(
                            node.lineno,
                            f"{value!r} is not a choice of {path} ({', '.join(question.choice_values)})",
                        )
                    )
    return problems


def _constants(node: nodes.Node) -> list[Any]:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.List | nodes.Tuple):
        return [item.value for item in node.items if isinstance(item, nodes.Const)]
    return []


def references(source: str, *, is_condition: bool = False) -> tuple[set[str], set[str]]:
    """The answer paths a template reads, and the string constants it contains.

    Used by the coverage report: an answer key that no template reads, or a
    choice value that no template mentions, changes nothing in any policy.
    """
    text = "{{ (" + source + ") }}" if is_condition else source
    try:
        tree = ENV.parse(text)
    except TemplateError:
        return set(), set()
    paths = {path for node in tree.find_all(nodes.Getattr) if (path := _answer_path(node))}
    constants = {node.value for node in tree.find_all(nodes.Const) if isinstance(node.value, str)}
    return paths, constants
