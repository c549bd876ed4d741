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


def test_bylines_and_the_people_list_read_one_directory(tmp_path):
    """The container once defined `people_directory` twice: search bylines held the first, every
    other user the second, two connections to people.db each closed (or not) on its own."""
    from src.bootstrap import create_container
    from src.config import Settings

    container = create_container(Settings(_env_file=None, data_dir=tmp_path))
    assert container.search_index()._people is container.people_directory()
