"""The shape of the code: no import cycles, no imports hidden in functions, small files.

Walks ``newsroom/`` with ``ast`` and builds the graph of what each module imports when it
is loaded (``if TYPE_CHECKING:`` blocks never run and are left out). Importing
``newsroom.a.b`` runs ``newsroom/a/__init__.py`` first, so the graph has that edge too (from a
module outside ``newsroom.a``). The factory's ``register_*`` functions and CLI commands may
import lazily: everything else imports at the top of its module, by absolute name, so the
graph shows every dependency.
"""
from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newsroom"
#: The factory's wiring functions, which import what they register.
FACTORY = "newsroom"
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 50


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _target(module: str, name: str | None = None) -> str | None:
    """The newsroom module an import loads: ``from a import b`` is ``a.b`` when b is a module."""
    if name and f"{module}.{name}" in MODULES:
        return f"{module}.{name}"
    return module if module in MODULES else None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> list[str]:
    found: list[str] = []
    if isinstance(node, ast.Import):
        found = [_target(alias.name) for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        found = [_target(node.module, alias.name) for alias in node.names]
    return [name for name in found if name]


def _walk(tree: ast.AST, function: str | None = None):
    """(enclosing function or None, node) for every import, skipping TYPE_CHECKING blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield function, node
        inner = function
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = node
        yield from _walk(node, inner)


def _parse(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def _is_cli_command(function: ast.FunctionDef) -> bool:
    """A function decorated as a click command or group (``@group.command(...)``)."""
    for decorator in function.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = call.attr if isinstance(call, ast.Attribute) else getattr(call, "id", "")
        if name in ("command", "group"):
            return True
    return False


def _lazy_allowed(module: str, function: ast.FunctionDef) -> bool:
    if module == FACTORY and function.name.startswith("register_"):
        return True
    return _is_cli_command(function)


def _packages_above(module: str) -> set[str]:
    """The packages whose ``__init__`` runs before ``module`` does (below ``newsroom``)."""
    parts = module.split(".")
    return {".".join(parts[:end]) for end in range(2, len(parts))}


def import_graph() -> dict[str, set[str]]:
    """Each module's newsroom imports, as run when it loads or when a function is called.

    With each target come the packages above it that the importer is not already inside:
    ``newsroom.x.y`` importing ``newsroom.readers.queries`` runs ``newsroom/readers/__init__``.
    """
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module in MODULES:
        inside = _packages_above(module) | {module}
        for _function, node in _walk(_parse(module)):
            for target in _imports(node):
                graph[module].update({target} | _packages_above(target) - inside)
        graph[module].discard(module)
    return graph


def route_modules() -> set[str]:
    """Modules that make a blueprint (``Blueprint(...)``) or add views to their package's one."""
    graph = import_graph()
    makers = {
        module for module in MODULES
        for node in ast.walk(_parse(module))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Blueprint"
    }
    return makers | {
        module for module, targets in graph.items()
        if any(target in makers and unit_of(target) == unit_of(module) for target in targets)
    }


def unit_of(module: str) -> str:
    """The package (or top-level module) a module belongs to: ``newsroom.comments``."""
    return ".".join(module.split(".")[:2])


def test_no_import_cycle_between_modules():
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle between modules: {' -> '.join(error.args[1])}")


def test_no_import_cycle_between_packages():
    packages: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        if module == FACTORY:  # the factory imports everything it wires
            continue
        outside = {unit_of(target) for target in targets} - {unit_of(module), FACTORY}
        packages.setdefault(unit_of(module), set()).update(outside)
    try:
        tuple(TopologicalSorter(packages).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle between packages: {' -> '.join(error.args[1])}")


def test_imports_sit_at_the_top_of_their_module():
    deferred = [
        f"{module}.{function.name}"
        for module in MODULES
        for function, node in _walk(_parse(module))
        if function is not None and _imports(node) and not _lazy_allowed(module, function)
    ]
    assert deferred == [], "imports deferred into functions (move them to the module's top)"


def test_no_module_imports_another_packages_blueprint_module():
    """A blueprint package's ``blueprint`` and view modules are its own; others read elsewhere.

    Only the direct imports count: importing a package's service module also runs the
    package's ``__init__`` (and so its views), which the cycle tests above see.
    """
    routes = route_modules()
    crossing = [
        f"{module} imports {target}"
        for module in MODULES
        if module != FACTORY
        for _function, node in _walk(_parse(module))
        for target in _imports(node)
        if target in routes and unit_of(target) != unit_of(module)
    ]
    assert crossing == []


def test_each_blueprint_package_imports_its_views_in_its_init():
    """Every module that adds views to a package's blueprint is imported by the package's
    ``__init__``, so registering the blueprint registers all of its routes."""
    routes = route_modules()
    forgotten = [
        module for module in routes
        if unit_of(module) in MODULES and unit_of(module) not in (module, FACTORY)
        and not module.endswith(".blueprint")
        and module not in {target for _f, node in _walk(_parse(unit_of(module)))
                           for target in _imports(node)}
    ]
    assert forgotten == []


def test_imports_are_absolute_and_static():
    """A relative or a dynamic import would be an edge the walk above cannot see."""
    hidden = [
        f"{module}:{node.lineno}"
        for module in MODULES
        for node in ast.walk(_parse(module))
        if (isinstance(node, ast.ImportFrom) and node.level > 0)
        or (isinstance(node, ast.Call) and _called(node) in ("import_module", "__import__"))
    ]
    assert hidden == []


def _called(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def test_files_and_functions_stay_small():
    too_long = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_FILE_LINES:
            too_long.append(f"{module}: {lines} lines")
        for node in ast.walk(_parse(module)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{module}.{node.name}: {length} lines")
    assert too_long == []


def test_the_graph_sees_real_imports():
    """The walk finds imports at all (a broken walk would pass every test above)."""
    graph = import_graph()
    assert "newsroom.extensions" in graph["newsroom.models.users"] | graph["newsroom.auth"]
    assert len(MODULES) > 40
    # Importing a module of another package runs that package's __init__ first ...
    assert "newsroom.readers" in graph["newsroom.editors.articles"]
    # ... but not the importer's own package's (it is already running).
    assert "newsroom.readers" not in graph["newsroom.readers.views"]
    routes = route_modules()
    assert {"newsroom.readers.blueprint", "newsroom.readers.views", "newsroom.health",
            "newsroom.distribution.api"} <= routes
    assert "newsroom.readers.article_page" not in routes


def test_readme_layout_names_every_package():
    """README's layout table names each package and top-level module of ``newsroom/``."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    missing = sorted(name for name in packages if f"| `newsroom/{name}/` |" not in layout)
    top_level = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    row = next(line for line in layout.splitlines() if line.startswith("| top-level modules |"))
    missing += sorted(name for name in top_level if f"`{name}`" not in row)
    assert missing == []
