"""One composition root: only src/bootstrap.py (and the `aicos` command that calls it) builds the
container; adapters are handed what they need."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_adapter_reaches_back_up_to_the_composition_root():
    offenders = [str(path.relative_to(SRC)) for path in sorted((SRC / "adapters").rglob("*.py"))
                 if "src.bootstrap" in imported_modules(path)]
    assert offenders == []
