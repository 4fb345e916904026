"""The shape of the code: modules import in one direction, and nothing dodges a cycle with a late import."""

from __future__ import annotations

import ast
from pathlib import Path

import policybuilder

PACKAGE = Path(policybuilder.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Project modules imported anywhere in the file, except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            skipped |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in modules}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}
    modules = set(files)
    return {name: _imports(path, modules) - {name} for name, path in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_project_modules_have_no_import_cycle():
    graph = _graph()
    assert graph["policybuilder.assembly"]  # the graph was read
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_the_domain_does_not_import_the_web_layer():
    """Questionnaire, answers, assembly, compliance and renderers know nothing of views or models."""
    graph = _graph()
    domain = [
        "policybuilder.questionnaire",
        "policybuilder.answer_kinds",
        "policybuilder.answers",
        "policybuilder.clause_library",
        "policybuilder.templating",
        "policybuilder.derived",
        "policybuilder.assembly",
        "policybuilder.library_checks",
        "policybuilder.samples",
        "policybuilder.compliance",
        "policybuilder.wizard",
    ]
    for module in domain:
        web = {
            name for name in graph[module] if name.rsplit(".", 1)[-1] in ("views", "models", "admin", "urls")
        }
        assert web == set(), f"{module} imports {web}"
