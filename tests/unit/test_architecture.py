"""No import circle in src: each module can be read, tested and imported without the ones that
import it. The graph is grimp's, the library `lint-imports` builds its contracts on; imports under
`if TYPE_CHECKING:` are left out (they never run, and annotations may name each other)."""

import grimp
from grimp import ImportGraph


def import_cycles(graph: ImportGraph, package: str) -> list[list[str]]:
    """Each circle of direct imports between modules of `package`, once, as the modules in import
    order from its smallest name, e.g. ["src.a", "src.b", "src.a"]."""
    cycles = set()
    for importer in sorted(graph.find_descendants(package) | {package}):
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported == importer or not imported.startswith(package + "."):
                continue
            way_back = graph.find_shortest_chain(importer=imported, imported=importer)
            if way_back is not None:
                circle = [importer, *way_back]  # importer -> imported -> ... -> importer
                start = circle.index(min(circle[:-1]))
                cycles.add(tuple(circle[start:-1] + circle[:start + 1]))
    return [list(cycle) for cycle in sorted(cycles)]


def test_no_import_cycle_between_modules_of_src():
    graph = grimp.build_graph("src", exclude_type_checking_imports=True)
    cycles = [" -> ".join(cycle) for cycle in import_cycles(graph, "src")]
    assert cycles == [], "import circles in src (break each, e.g. with a port or by moving the shared part):\n" + \
        "\n".join(cycles)


def test_a_circle_is_found_and_named_once():
    graph = ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(module)
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.d", imported="pkg.a")  # leads into the circle, is not part of it
    assert import_cycles(graph, "pkg") == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
