"""Views stay thin: every function in a view module fits in 30 lines, and no view imports another.

Lines are counted as they stand in the file, from the first decorator to the last line of the
body, docstring included. URL modules (`urls.py`, `*_urls.py`) import views by design and are
not view modules.
"""

import ast
from pathlib import Path

import casework
import frameworks
from tests.foundation.test_layers import imported_modules

MAX_LINES = 30
ROOT = Path(casework.__file__).parent.parent

VIEW_MODULES = sorted(
    [
        *(
            path
            for path in (ROOT / "casework" / "views").glob("*.py")
            if path.name != "urls.py" and not path.name.endswith("_urls.py")
        ),
        ROOT / "casework" / "reports" / "views.py",
        ROOT / "casework" / "analytics" / "views.py",
        Path(frameworks.__file__).parent / "admin_views.py",
    ]
)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _lines(node) -> int:
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    return node.end_lineno - first + 1


def function_lengths(path: Path) -> dict[str, int]:
    """Every function of the module (nested ones too) and its length in lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name: _lines(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _is_view_module(module: str) -> bool:
    """`…views`, `…admin_views` or a module inside a `views` package; not a package itself."""
    parts = module.split(".")
    if (ROOT.joinpath(*parts)).is_dir():
        return False
    return parts[-1] in ("views", "admin_views") or (len(parts) > 1 and parts[-2] == "views")


def imported_views(path: Path) -> set[str]:
    """The view modules that `path` imports, wherever the import stands (inside functions too)."""
    names = imported_modules(path)
    # `from casework.jobs import views` imports the module casework.jobs.views.
    names |= {
        f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        for alias in node.names
    }
    own = _name(path).removesuffix(".py").replace("/", ".")
    return {name for name in names if _is_view_module(name) and name != own}


def test_the_view_modules_are_found():
    names = {_name(path) for path in VIEW_MODULES}
    assert {"casework/views/cases.py", "casework/views/conclusions.py"} <= names
    assert "casework/views/wizard_urls.py" not in names
    assert all(path.exists() for path in VIEW_MODULES)


def test_every_view_function_fits_in_thirty_lines():
    too_long = {}
    for path in VIEW_MODULES:
        long_ones = {
            name: lines for name, lines in function_lengths(path).items() if lines > MAX_LINES
        }
        if long_ones:
            too_long[_name(path)] = long_ones
    assert too_long == {}


def test_no_view_module_imports_another():
    offenders = {}
    for path in VIEW_MODULES:
        extra = imported_views(path)
        if extra:
            offenders[_name(path)] = sorted(extra)
    assert offenders == {}


def test_imports_of_view_modules_are_recognised():
    assert _is_view_module("casework.views.wizard")
    assert _is_view_module("casework.jobs.views")
    assert _is_view_module("frameworks.admin_views")
    assert not _is_view_module("casework.views")  # the package
    assert not _is_view_module("casework.views.conclusions.conclusions_step")  # a name in it
    assert not _is_view_module("casework.presenters.conclusions")


def test_the_count_includes_decorators_and_docstring(tmp_path):
    module = tmp_path / "views.py"
    module.write_text('@a\n@b\ndef view(request):\n    """Doc."""\n    return 1\n')
    assert function_lengths(module) == {"view": 5}
