"""The search modules import one another in one direction only (the lead's import-linter checks
the whole project; this keeps the search package honest meanwhile). Imports made only for type
checking count too: a circle there is still a circle for mypy and for a reader."""

import ast
from pathlib import Path

import src.search

PACKAGE = Path(src.search.__file__).parent


def imported_search_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("src.search."):
            found.add(node.module.removeprefix("src.search."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("src.search.") for a in node.names if a.name.startswith("src.search.")}
    return found


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        for imported in sorted(graph.get(module, ())):
            circle = visit(imported, path + [module])
            if circle:
                return circle
        return None

    for module in sorted(graph):
        circle = visit(module, [])
        if circle:
            return circle
    return None


def test_the_circle_finder_sees_a_circle():
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set()}) is None


def test_no_search_module_imports_one_that_imports_it_back():
    graph = {path.stem: imported_search_modules(path) for path in PACKAGE.glob("*.py")}
    assert find_circle(graph) is None
