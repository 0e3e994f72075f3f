"""The apps depend one way: casework uses frameworks, frameworks knows nothing of casework;
and no two modules of either import each other, however far round."""

import ast
from pathlib import Path

import casework
import frameworks

FRAMEWORKS_DIR = Path(frameworks.__file__).parent
ROOT = FRAMEWORKS_DIR.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_frameworks_module_imports_casework():
    offenders = {
        str(path.relative_to(FRAMEWORKS_DIR)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "casework"
        )
        for path in FRAMEWORKS_DIR.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_versions_use_is_counted_by_the_apps_that_use_it(alice, alice_case, tiny_version):
    from casework.services.assessments import assessment_start
    from frameworks.usage import version_use_count

    assert version_use_count(tiny_version) == 0
    assessment_start(case=alice_case, version=tiny_version, user=alice)
    assert version_use_count(tiny_version) == 1


def _module_names() -> dict[str, Path]:
    """{dotted name: file} of every module of casework and frameworks, migrations left out."""
    found = {}
    for package in (casework, frameworks):
        for path in Path(package.__file__).parent.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _load_time_imports(body):
    """The import statements that run when the module loads: not inside functions or classes,
    nor under `if TYPE_CHECKING:`."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from _load_time_imports(node.body)
            yield from _load_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            yield from _load_time_imports(node.body)


def import_graph() -> dict[str, set[str]]:
    """{module: the project modules it imports at load time}."""
    modules = _module_names()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in _load_time_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in modules)
                continue
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                # `from package import module` loads the module; `from module import name` it.
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else base)
        graph[name] = {target for target in targets if target in modules} - {name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other through imports (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_the_import_graph_sees_a_package_import_of_a_module():
    graph = import_graph()

    assert "casework.reports.figure_layout" in graph["casework.reports.register_figures"]
    assert "casework.services.locks" in graph["casework.services.rounds"]


def test_no_modules_of_casework_or_frameworks_import_each_other_in_a_circle():
    assert import_cycles(import_graph()) == []


def test_a_circle_of_imports_is_found_however_long():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert import_cycles(graph) == [["a", "b", "c"]]
