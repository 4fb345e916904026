"""The sandbox that clause bodies and conditions run in.

Clause text is edited by staff in the admin, so it is treated as untrusted
code: it runs in Jinja2's ``SandboxedEnvironment`` (no access to Python
internals, no file or network access) with ``StrictUndefined`` (a misspelt
answer key is an error, never an empty string).  Every ``{{ value }}`` is
escaped for Markdown on the way out; only the helpers below may emit Markdown
syntax, and they validate what they link to.
"""

from __future__ import annotations

import builtins
import contextlib
import contextvars
import dataclasses
import difflib
import functools
import gc
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import (
    Environment,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    Undefined,
    meta,
    nodes,
    pass_context,
)
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from policybuilder import markdown
from policybuilder.derived import DERIVED_NAMES
from policybuilder.markdown import MarkdownText
from policybuilder.questionnaire import QUESTIONS_BY_PATH, STEPS_BY_KEY
from policybuilder.spelling import one_sided_words, pair_for
from policybuilder.wording import days_as_words, join_list, plural


def link(text: object, url: str | None = None) -> MarkdownText:
    """A Markdown link to a checked URL; plain escaped text when there is no URL."""
    if url is None:
        url, text = str(text), text
    url = str(url or "")
    if not url:
        return markdown.escape(text)
    if not markdown.is_linkable(url):
        raise ValueError(f"refusing to link to {url!r}: only http, https and mailto addresses")
    return MarkdownText(f"[{markdown.escape(text, link_text=True)}](<{url}>)")


def email_link(address: str) -> MarkdownText:
    return link(address, f"mailto:{address}") if address else MarkdownText("")


def phrases(values: Any, wording: Mapping[str, str]) -> list[str]:
    """Map answer values to the clause's own wording; an unmapped value is an error."""
    if not isinstance(wording, Mapping):
        raise TypeError("phrases() takes the wording as {value: words}")
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


def _line_items(value: Any) -> list[MarkdownText]:
    """Text written one item per line (``answer_kinds.LinesKind``), as escaped items for a list."""
    return [markdown.escape(line.strip()) for line in str(value).splitlines() if line.strip()]


class BudgetExceeded(TemplateError):
    """A clause did more work than one render may: too many steps, too much output, too long."""


# What one render of one clause body or condition may do. The largest shipped
# clause takes a few hundred steps and well under a millisecond; the limits are
# far above that and far below what would hold a worker.
MAX_STEPS = 50_000  # loop iterations, calls, filters, attribute and item lookups
MAX_OUTPUT = 100_000  # characters written (and the largest value one operation may build or take)
MAX_SOURCE = 20_000  # characters of clause text (a condition: MAX_SOURCE // 10)
MAX_INT_BITS = 4_096
MAX_SECONDS = 0.25
MAX_RANGE = 1_000


@dataclass
class _Budget:
    deadline: float
    steps: int = 0
    output: int = 0

    def tick(self, steps: int = 1) -> None:
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(f"the text does too much work (more than {MAX_STEPS:,} steps)")
        if self.steps % 64 == 0 and time.thread_time() > self.deadline:
            raise BudgetExceeded(f"the text takes too long to render (over {MAX_SECONDS} s)")

    def wrote(self, characters: int) -> None:
        self.output += characters
        if self.output > MAX_OUTPUT:
            raise BudgetExceeded(f"the text is too long (over {MAX_OUTPUT:,} characters)")


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("clause_budget", default=None)


@contextlib.contextmanager
def _budgeted() -> Iterator[_Budget]:
    # The thread's own CPU time, not the clock: a render is judged by the work it does, so a busy
    # machine (other processes, a paused thread) cannot make a sound clause fail its checks.
    # The cyclic garbage collector is paused too: a full collection in a large process can take
    # a quarter of a second of this thread's time, which is no fault of the clause.
    collecting = gc.isenabled()
    gc.disable()
    budget = _Budget(deadline=time.thread_time() + MAX_SECONDS)
    token = _budget.set(budget)
    try:
        with remembered_weights():
            yield budget
    except RecursionError:
        raise BudgetExceeded("the text calls itself too deeply") from None
    finally:
        _budget.reset(token)
        if collecting:
            gc.enable()


def _tick(steps: int = 1) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.tick(steps)


def budgeted_iter(iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` loop iterates through this (see ``_BudgetedLoops``): one step per item."""
    for item in iterable:
        _tick()
        yield item


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise BudgetExceeded(f"range() is limited to {MAX_RANGE:,} numbers")
    return numbers


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


class _Weights:
    """Weights already counted, by the identity of the list or dict (held, so that the identity
    stays its own while it is here).

    The same answers, derived values and wording tables are weighed again by every filter and call
    that takes them: a policy with 60 services spent a third of its assembly re-counting them.
    Clause text cannot change a value once made (the sandbox is immutable), so a count holds. What
    is held is bounded (``MAX_HELD`` in all), so a clause that builds large values in a loop cannot
    make them outlive the operation that built them.
    """

    MAX_HELD = 2 * MAX_OUTPUT

    def __init__(self) -> None:
        self.known: dict[int, tuple[Any, int]] = {}
        self.held = 0

    def get(self, value: Any) -> int | None:
        seen = self.known.get(id(value))
        return seen[1] if seen is not None and seen[0] is value else None

    def keep(self, value: Any, weight: int) -> None:
        if self.held + weight + 1 <= self.MAX_HELD:  # + 1: empty values count too
            self.known[id(value)] = (value, weight)
            self.held += weight + 1


_weights: contextvars.ContextVar[_Weights | None] = contextvars.ContextVar("clause_weights", default=None)


@contextlib.contextmanager
def remembered_weights() -> Iterator[None]:
    """Keep the weights counted until the block ends: ``assembly`` renders a whole policy in one,
    whose clauses share one context; each render outside one keeps its own."""
    if _weights.get() is not None:
        yield
        return
    token = _weights.set(_Weights())
    try:
        yield
    finally:
        _weights.reset(token)


def _weight(value: Any, limit: int = MAX_OUTPUT) -> int:
    """Roughly how much a value holds (characters, items, digits), counting no further than ``limit``.

    Checked on what goes into and comes out of every call, filter and operator, so no single
    operation (a join of a list of long strings, a sum of lists) can build or take a huge value.
    A count that stops at the limit is over it: a remembered one answers any smaller limit too.
    """
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 8 + 1
    if not isinstance(value, dict | list | tuple | set | frozenset):
        return 1
    weights = _weights.get()
    if weights is not None and (known := weights.get(value)) is not None:
        return known
    items = list(value.items()) if isinstance(value, dict) else value
    total = len(items)
    for item in items:
        if total > limit:
            break
        total += _weight(item, limit - total)
    if weights is not None and limit == MAX_OUTPUT:
        weights.keep(value, total)
    return total


def _guard(*values: Any) -> None:
    for value in values:
        if _weight(value) > MAX_OUTPUT:
            raise BudgetExceeded(f"a value is too large (over {MAX_OUTPUT:,} characters or items)")


def budgeted_concat(*parts: Any) -> str:
    """Every ``a ~ b`` goes through this (see ``_BudgetedTemplate``): the joined text is checked first."""
    _guard(*parts)
    texts = [str(part) for part in parts]
    if sum(map(len, texts)) > MAX_OUTPUT:
        raise BudgetExceeded(f"the result would be over {MAX_OUTPUT:,} long")
    return "".join(texts)


class UnknownAnswer(TemplateError):
    """A clause read an answer key or compared with a choice that the questionnaire does not have."""


class AnswerSection(dict[str, Any]):
    """One answer section as clause text sees it: reading a key it lacks is an error.

    A plain dict would give an undefined value, which ``default`` or ``is defined``
    turn into silence: a misspelt key must fail the trial renders instead.
    """

    def __init__(self, section: str, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self._section = section  # underscored: the sandbox never lets clause text read it

    def __getitem__(self, key: Any) -> Any:
        if key not in self:
            raise UnknownAnswer(unknown_answer_key(f"{self._section}.{key}"))
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key]


class ChoiceValue(str):
    """A choice answer that refuses to be compared with a value that is not one of its choices."""

    _path: str
    _choices: tuple[str, ...]

    def __new__(cls, value: str, path: str, choices: tuple[str, ...]) -> ChoiceValue:
        made = super().__new__(cls, value)
        made._path, made._choices = path, choices
        return made

    def _check(self, other: object) -> None:
        if isinstance(other, str) and not isinstance(other, ChoiceValue) and other not in self._choices:
            raise UnknownAnswer(f"{other!r} is not a choice of {self._path} ({', '.join(self._choices)})")

    def __eq__(self, other: object) -> bool:
        self._check(other)
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        self._check(other)
        return str.__ne__(self, other)

    __hash__ = str.__hash__


def answers_view(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as clause text sees them: sections that refuse unknown keys, choices that refuse
    unknown values (see ``AnswerSection`` and ``ChoiceValue``)."""
    view: dict[str, Any] = {}
    for step in STEPS_BY_KEY.values():
        values = dict(answers.get(step.key, {}))
        for q in step.questions:
            value = values.get(q.key)
            if q.choices and isinstance(value, str):
                values[q.key] = ChoiceValue(value, q.path, q.choice_values)
            elif q.choices and isinstance(value, list):
                values[q.key] = [ChoiceValue(item, q.path, q.choice_values) for item in value]
        view[step.key] = AnswerSection(step.key, values)
    return view


@pass_context
def spelling(context: Context, us: Any, international: Any) -> Any:
    """The US or the international spelling of a word, as the policy's locale asks (``spelling``)."""
    return us if context.resolve("policy")["english"] == "us" else international


def _finalize(value: Any) -> Any:
    # Runs on the result of every {{ ... }} expression.
    if isinstance(value, MarkdownText):
        result = value
    elif value is None:
        raise TemplateError("a placeholder produced no value (None)")
    elif isinstance(value, Undefined):
        result = markdown.escape(str(value))  # raises the undefined value's own error
    elif not isinstance(value, str | int | float):
        raise TemplateError(
            f"a placeholder must give text or a number, not {type(value).__name__}; "
            "join a list with join(...)"
        )
    else:
        result = markdown.escape(value)
    budget = _budget.get()
    if budget is not None:
        budget.wrote(len(result))
    return result


# Filters a clause may use: Jinja's harmless ones and ours. Left out are the
# ones that build text of a size the clause chooses (center, indent, format,
# wordwrap, truncate, replace, filesizeformat, urlize, xmlattr, …) or have no
# use in plain-language Markdown.
_ALLOWED_FILTERS = frozenset(
    {
        "abs", "capitalize", "count", "default", "d", "first", "int", "join", "last", "length",
        "list", "lower", "map", "max", "min", "reject", "rejectattr", "round", "select",
        "selectattr", "sort", "string", "sum", "title", "trim", "unique", "upper", "wordcount",
    }
)  # fmt: skip


# Methods of text a clause may call; the others build text of a size the
# clause chooses (ljust, center, zfill, replace, join, format, …).
_TEXT_METHODS = frozenset(
    {"capitalize", "count", "endswith", "find", "isdigit", "lower", "lstrip", "rstrip", "startswith",
     "strip", "title", "upper"}
)  # fmt: skip


def _guarded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that counts against the budget and refuses to take or build a huge value."""

    @functools.wraps(func)  # keeps jinja_pass_arg, so Jinja still passes the context it asks for
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        values = [a for a in args if not isinstance(a, Context | EvalContext | Environment)]
        _guard(*values, *kwargs.values())
        if name == "join" and values and isinstance(values[0], str | list | tuple):
            separator = str(values[1] if len(values) > 1 else kwargs.get("d", ""))
            if _weight(values[0]) + len(separator) * max(len(values[0]) - 1, 0) > MAX_OUTPUT:
                raise BudgetExceeded(f"the result would be over {MAX_OUTPUT:,} long")
        result = func(*args, **kwargs)
        if isinstance(result, Iterator):  # select, map, …: count what they yield
            result = iter(list(budgeted_iter(result)))
        _guard(result)
        return result

    return guarded


class _BudgetedTemplate(NodeTransformer):
    """Routes every for loop through ``budgeted_iter`` and every ``~`` through ``budgeted_concat``,
    so that loops and concatenation count against the budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        wrapper = nodes.ImportedName(f"{__name__}.budgeted_iter", lineno=node.lineno)
        node.iter = nodes.Call(wrapper, [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        helper = nodes.ImportedName(f"{__name__}.budgeted_concat", lineno=node.lineno)
        return nodes.Call(helper, list(node.nodes), [], None, None, lineno=node.lineno)


class ClauseEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed Jinja with Markdown escaping, our helpers, and a budget for every render.

    Immutable, so a clause cannot change the answers another clause prints;
    every call, filter, lookup, operator and loop iteration counts against the
    render's budget, and operators refuse to build huge strings or numbers.
    """

    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self) -> None:
        super().__init__(
            undefined=StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.globals.clear()  # no cycler, joiner, lipsum, namespace or dict: no use in clause text
        self.globals.update(
            link=link,
            email_link=email_link,
            join=_join,
            plural=plural,
            period=days_as_words,
            phrases=phrases,
            service_links=service_links,
            spelling=spelling,
            range=_range,
        )
        allowed = {name: f for name, f in self.filters.items() if name in _ALLOWED_FILTERS}
        allowed.update(join_list=_join, lines=_lines, line_items=_line_items, email_link=email_link)
        # Templates call filters directly, not through call_filter: each one is wrapped instead.
        self.filters = {name: _guarded_filter(name, f) for name, f in allowed.items()}

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str | bytes) and not _is_text_method(__obj, *_TEXT_METHODS):
            raise BudgetExceeded(
                f"the text method {__obj.__name__}() is not allowed; "
                f"you can use {', '.join(sorted(_TEXT_METHODS))}"
            )
        _guard(*args, *kwargs.values())
        result = super().call(__context, __obj, *args, **kwargs)
        _guard(result)
        return result

    def wrap_str_format(self, value: Any) -> Any:
        # str.format and format_map can pad a value to any width: refuse them outright.
        if _is_text_method(value, "format", "format_map"):
            raise BudgetExceeded("format() is not allowed in clause text; use {{ }} placeholders")
        return super().wrap_str_format(value)

    def call_filter(self, name: str, value: Any, args: Any = None, kwargs: Any = None, context: Any = None,
                    eval_ctx: Any = None) -> Any:  # fmt: skip
        _tick()
        return super().call_filter(name, value, args, kwargs, context, eval_ctx)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        # The lookups clause text makes all the time, answered as the sandbox would answer them
        # without its safety checks, which cost a third of a policy's assembly: a field of one of
        # our records (``service.name``), and a key of a dict that is no name of a dict's own
        # (``laws.gdpr``), which the sandbox reaches only after getattr fails.
        kind: Any = type(obj)
        if isinstance(attribute, str):
            if attribute in _record_fields(kind):
                return builtins.getattr(obj, attribute)
            if (kind is dict or kind is AnswerSection) and attribute not in _DICT_NAMES:
                try:
                    return obj[attribute]
                except (TypeError, LookupError):
                    return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "%" and isinstance(left, str):
            raise BudgetExceeded("formatting text with % is not allowed; use {{ }} placeholders")
        if operator == "**" and (abs(_number(left)) > 10**6 or abs(_number(right)) > 64):
            raise BudgetExceeded("the power is too large")
        if operator == "*" and isinstance(left, int | bool) and not isinstance(right, int | float):
            left, right = right, left
        if operator == "*" and _size(left) and isinstance(right, int) and _size(left) * right > MAX_OUTPUT:
            raise BudgetExceeded(f"the result would be over {MAX_OUTPUT:,} long")
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT:
            raise BudgetExceeded(f"the result would be over {MAX_OUTPUT:,} long")
        if operator == "*" and isinstance(left, list | tuple) and isinstance(right, int):
            if _weight(left) * right > MAX_OUTPUT:
                raise BudgetExceeded(f"the result would be over {MAX_OUTPUT:,} long")
        if operator in ("*", "+") and isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise BudgetExceeded("the number is too large")
        _guard(left, right)
        result = super().call_binop(context, operator, left, right)
        _guard(result)
        return result

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return self._checked(super()._parse(source, name, filename))

    def compile(self, source: Any, name: Any = None, filename: Any = None, raw: Any = False,
                defer_init: Any = False) -> Any:  # fmt: skip
        # Conditions arrive here as a tree built by compile_expression, not through _parse.
        if isinstance(source, nodes.Template):
            source = self._checked(source)
        return super().compile(source, name, filename, raw, defer_init)

    def _checked(self, tree: nodes.Template) -> nodes.Template:
        """The tree without forbidden statements, with loops and ``~`` routed through the budget."""
        forbidden = next(tree.find_all(_FORBIDDEN_NODES), None)
        if forbidden is not None:
            raise TemplateSyntaxError(
                f"{{% {_FORBIDDEN[type(forbidden)]} %}} is not allowed in clause text",
                forbidden.lineno,
            )
        recursive = next((loop for loop in tree.find_all(nodes.For) if loop.recursive), None)
        if recursive is not None:
            raise TemplateSyntaxError("recursive loops are not allowed in clause text", recursive.lineno)
        return _BudgetedTemplate().visit(tree)


_DICT_NAMES = frozenset(dir(dict))


@functools.cache
def _record_fields(kind: type) -> frozenset[str]:
    """The public fields of a dataclass (the records derived values hand to clause text)."""
    if not dataclasses.is_dataclass(kind):
        return frozenset()
    return frozenset(f.name for f in dataclasses.fields(kind) if not f.name.startswith("_"))


def _is_text_method(value: Any, *names: str) -> bool:
    owner = getattr(value, "__self__", None)
    return isinstance(owner, str | bytes) and getattr(value, "__name__", "") in names


def _number(value: Any) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


# Template statements that clause text has no use for, and that would let it
# build output outside the budget's count (blocks captured into variables) or
# reach other templates.
_FORBIDDEN: dict[type[nodes.Node], str] = {
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.FilterBlock: "filter",
    nodes.AssignBlock: "set … endset",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
    nodes.Block: "block",
}
_FORBIDDEN_NODES = tuple(_FORBIDDEN)


ENV = ClauseEnvironment()
HELPER_NAMES = frozenset(ENV.globals)


@functools.lru_cache(maxsize=2048)
def compile_body(body: str) -> Template:
    return ENV.from_string(body)


@functools.lru_cache(maxsize=2048)
def compile_condition(condition: str) -> Callable[..., Any]:
    return ENV.compile_expression(condition, undefined_to_none=False)


def render_body(body: str, context: Mapping[str, Any]) -> str:
    """The clause's text for these answers, within the budget (``BudgetExceeded`` otherwise)."""
    template = compile_body(body)
    with _budgeted() as budget:
        chunks = []
        for chunk in template.generate(context):
            budget.wrote(len(chunk))
            chunks.append(chunk)
        return "".join(chunks)


def evaluate_condition(condition: str, context: Mapping[str, Any]) -> bool:
    """An empty condition always holds."""
    if not condition.strip():
        return True
    expression = compile_condition(condition)
    with _budgeted():
        return bool(expression(**context))


@dataclass(frozen=True)
class TemplateProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        if not self.line or re.search(rf"\bline {self.line}\b", self.message):
            return self.message  # "An “if” is opened on line 3 …" names its line already
        return f"line {self.line}: {self.message}"


def check_template(source: str, *, is_condition: bool = False) -> list[TemplateProblem]:
    """Static checks for a clause body or condition: syntax, names, keys, choice values.

    Returns the problems found (empty when the template is fine).  Used when
    the library is loaded or edited, so a broken clause is refused before any
    policy is built from it.
    """
    limit = MAX_SOURCE // 10 if is_condition else MAX_SOURCE
    if len(source) > limit:
        return [TemplateProblem(None, f"is {len(source):,} characters long; the limit is {limit:,}")]
    text = "{{ (" + source + ") }}" if is_condition else source
    try:
        tree = ENV.parse(text)
        # Read before compiling: compiling folds constants (a wording table becomes one value).
        spelling_problems = [] if is_condition else _spelling_problems(tree)
        # Compiling finds what parsing does not (an unknown filter or test).
        undeclared = meta.find_undeclared_variables(tree)
    except TemplateError as exc:
        return [_syntax_problem(exc, text, is_condition=is_condition)]
    except (RecursionError, MemoryError):
        return [TemplateProblem(None, "is nested too deeply; write it as several shorter statements")]
    problems: list[TemplateProblem] = []
    allowed = set(STEPS_BY_KEY) | HELPER_NAMES | DERIVED_NAMES
    for name in sorted(undeclared - allowed):
        message = f"unknown name {name!r}{_did_you_mean(name, allowed)}"
        problems.append(TemplateProblem(_first_line(tree, name), message))
    aliases = _section_aliases(tree)
    for node, path in _answer_lookups(tree, aliases):
        if path not in QUESTIONS_BY_PATH:
            problems.append(TemplateProblem(node.lineno, unknown_answer_key(path)))
    for node in tree.find_all(nodes.Compare):
        problems.extend(_check_compared_values(node))
    problems.extend(spelling_problems)
    if not is_condition and markdown.contains_raw_html(source):
        problems.append(TemplateProblem(None, "raw HTML is not allowed; write Markdown instead"))
    return problems


def _spelling_problems(tree: nodes.Template) -> list[TemplateProblem]:
    """Words the two Englishes spell differently, written in one spelling only.

    Literal text and quoted wording count; the arguments of ``spelling()``,
    values compared with answers and the keys of a wording table (answer
    values such as ``personalize``) do not.
    """
    exempt: set[int] = set()
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "spelling":
            exempt.update(id(node) for arg in call.args for node in (arg, *arg.find_all(nodes.Const)))
    for compare in tree.find_all(nodes.Compare):
        exempt.update(id(node) for node in compare.find_all(nodes.Const))
    for applied in tree.find_all((nodes.Filter, nodes.Test)):  # filter names, answer values to select
        exempt.update(id(node) for arg in applied.args for node in (arg, *arg.find_all(nodes.Const)))
    for pair in tree.find_all(nodes.Pair):
        exempt.update(id(node) for node in (pair.key, *pair.key.find_all(nodes.Const)))
    problems = []
    texts = [(n.lineno, n.data) for n in tree.find_all(nodes.TemplateData)]
    texts += [
        (n.lineno, n.value)
        for n in tree.find_all(nodes.Const)
        if isinstance(n.value, str) and id(n) not in exempt
    ]
    for line, text in texts:
        for word in one_sided_words(text):
            us, international = pair_for(word)
            problems.append(
                TemplateProblem(
                    line,
                    f"“{word}” is spelt differently in US and international English; "
                    f'write {{{{ spelling("{us}", "{international}") }}}}',
                )
            )
    return problems


def _did_you_mean(wrong: str, candidates: Iterable[str], *, sentence: bool = False) -> str:
    """A hint such as " — did you mean organization.name?"; "" (or "." ending a sentence) if none is close."""
    close = difflib.get_close_matches(wrong, sorted(candidates), n=1, cutoff=0.75)
    return f" — did you mean {close[0]}?" if close else ("." if sentence else "")


def unknown_answer_key(path: str) -> str:
    """The message for an answer key the questionnaire does not have, with the nearest one it does."""
    return f"unknown answer key {path!r}{_did_you_mean(path, QUESTIONS_BY_PATH)}"


# The statements clause text may use, each with the tag that closes it (None: it closes nothing).
ALLOWED_TAGS: dict[str, str | None] = {
    "if": "endif", "elif": None, "else": None, "for": "endfor", "set": None, "with": "endwith",
}  # fmt: skip
_CLOSING = {"endif": "if", "endfor": "for", "endwith": "with", "endset": "set", "endmacro": "macro",
            "endcall": "call", "endfilter": "filter", "endblock": "block"}  # fmt: skip
_TAG_LIST = ", ".join(
    [*ALLOWED_TAGS, *(end for end in ALLOWED_TAGS.values() if end)]
)  # if, elif, else, for, set, with, endif, endfor, endwith

# Jinja's names for the ends of things, as an editor writes them.
_TOKEN_WORDS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "the end of the text",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "name": "a name",
}


def _open_blocks(source: str, until_line: int | None = None) -> list[tuple[str, int]]:
    """The ``if``/``for``/``with`` blocks still open (innermost last), each with the line it opens on."""
    try:
        tokens = [(line, kind, value) for line, kind, value in ENV.lex(source) if kind != "whitespace"]
    except TemplateError:
        return []
    stack: list[tuple[str, int]] = []
    for index, (line, kind, _value) in enumerate(tokens[:-1]):
        if until_line is not None and line >= until_line:
            break
        _, next_kind, tag = tokens[index + 1]
        if kind != "block_begin" or next_kind != "name":
            continue
        if tag == "set":  # {% set x = … %} closes itself; {% set x %} … {% endset %} does not
            end = next((i for i in range(index, len(tokens)) if tokens[i][1] == "block_end"), len(tokens))
            if ("operator", "=") in [(k, v) for _, k, v in tokens[index:end]]:
                continue
        if tag in _CLOSING.values():
            stack.append((tag, line))
        elif tag in _CLOSING and stack and stack[-1][0] == _CLOSING[tag]:
            stack.pop()
    return stack


def _closing_tag(block: str) -> str:
    return next(end for end, opener in _CLOSING.items() if opener == block)


def _syntax_problem(exc: TemplateError, source: str, *, is_condition: bool) -> TemplateProblem:
    """A template error in an editor's words, with the line it is on."""
    line = getattr(exc, "lineno", None)
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if message.startswith("Unexpected end of template") and (opened := _open_blocks(source)):
        block, opened_on = opened[-1]
        return TemplateProblem(
            opened_on,
            f"An “{block}” is opened on line {opened_on} but never closed: add {{% {_closing_tag(block)} %}}",
        )
    if found := re.match(r"Encountered unknown tag '(\w+)'", message):
        tag = found.group(1)
        if tag in _CLOSING and (opened := _open_blocks(source, until_line=line)):
            block, opened_on = opened[-1]
            return TemplateProblem(
                line,
                f"{{% {tag} %}} on line {line} does not match: the “{block}” opened on line {opened_on} "
                f"must be closed first with {{% {_closing_tag(block)} %}}",
            )
        if tag in _CLOSING:
            return TemplateProblem(line, f"{{% {tag} %}} closes an “{_CLOSING[tag]}” that was never opened")
        hint = _did_you_mean(tag, _TAG_LIST.split(", "), sentence=True)
        return TemplateProblem(
            line,
            f"{{% {tag} %}} is not a tag clause text can use{hint} The tags you can use are {_TAG_LIST}.",
        )
    if found := re.match(r"No (filter|test) named '(\w+)'", message):
        kind, name = found.groups()
        names = sorted(ENV.filters if kind == "filter" else ENV.tests)
        where = "after |" if kind == "filter" else "after “is”"
        return TemplateProblem(
            line,
            f"unknown {kind} {name!r} ({where}){_did_you_mean(name, names, sentence=True)} "
            f"The {kind}s you can use are {', '.join(names)}.",
        )
    if message == "tag name expected":
        return TemplateProblem(line, f"a {{% %}} has no tag in it; the tags you can use are {_TAG_LIST}")
    if found := re.match(r"unexpected char '(.+)' at \d+", message):
        return TemplateProblem(line, f"the character {found.group(1)!r} cannot be used here")
    if message.startswith("unexpected end of template, expected 'end of print statement'"):
        if is_condition:
            return TemplateProblem(line, "the condition ends too early: a bracket or quote is not closed")
        return TemplateProblem(line, "a {{ is opened but never closed: add }}")
    if found := re.match(r"unexpected '.', expected '([)\]}])'", message):
        opener = {")": "(", "]": "[", "}": "{"}[found.group(1)]
        return TemplateProblem(line, f"a “{opener}” is not closed: add “{found.group(1)}”")
    if is_condition and message == "unexpected ')'":
        return TemplateProblem(line, "the condition ends too early: something is missing at its end")
    # What is left ("expected token 'in', got …", "Expected an expression, got …"): Jinja's own
    # sentence, with its names for the ends of things replaced by what the editor typed.
    for jinja, words in _TOKEN_WORDS.items():
        message = message.replace(f"'{jinja}'", words if len(words) > 2 else f"“{words}”")
    message = message.replace("expected token ", "expected ").replace(", got ", " but found ")
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    if is_condition:  # a condition is checked as {{ (condition) }}: those brackets are not the editor's
        message = message.replace("“}}”", "the end of the condition")
        message = re.sub(r"^expected '\)' but found (.+)$", r"\1 cannot come here", message)
    if message.endswith(("found '='", "'=' cannot come here")):
        message += " (to compare two values, write ==)"
    return TemplateProblem(line, message.rstrip("."))


def _section_aliases(tree: nodes.Template) -> dict[str, str]:
    """Names bound to a whole answer section (``{% set o = organization %}``), by name."""
    aliases: dict[str, str] = {}
    pairs: list[tuple[nodes.Node, nodes.Node]] = []
    for assign in tree.find_all(nodes.Assign):
        pairs.append((assign.target, assign.node))
    for with_ in tree.find_all(nodes.With):
        pairs += zip(with_.targets, with_.values, strict=False)
    for target, value in pairs:
        if isinstance(target, nodes.Name) and isinstance(value, nodes.Name) and value.name in STEPS_BY_KEY:
            aliases[target.name] = value.name
    return aliases


def _answer_lookups(tree: nodes.Template, aliases: Mapping[str, str]) -> Iterator[tuple[nodes.Node, str]]:
    """Every ``section.key`` and ``section['key']`` (or through an alias), with its answer path."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)
        if not isinstance(node.node, nodes.Name):
            continue
        section = node.node.name if node.node.name in STEPS_BY_KEY else aliases.get(node.node.name)
        if section is None:
            continue
        if isinstance(node, nodes.Getattr):
            yield node, f"{section}.{node.attr}"
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            yield node, f"{section}.{node.arg.value}"


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


@functools.lru_cache(maxsize=4096)
def context_names(source: str, is_condition: bool = False) -> tuple[str, ...]:
    """The names of the assembly context a template reads, sorted: the answer sections and derived
    values it names, and ``policy`` always (``spelling`` reads it without naming it)."""
    known = STEPS_BY_KEY.keys() | DERIVED_NAMES
    return tuple(sorted((names_read(source, is_condition=is_condition) & known) | {"policy"}))


def names_read(source: str, *, is_condition: bool = False) -> set[str]:
    """The top-level names a template reads (answer sections, derived values, helpers)."""
    text = "{{ (" + source + ") }}" if is_condition else source
    try:
        tree = ENV.parse(text)
    except TemplateError:
        return set()
    return {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
