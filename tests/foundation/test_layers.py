"""The apps depend one way: casework uses frameworks, frameworks knows nothing of casework."""

import ast
from pathlib import Path

import frameworks

FRAMEWORKS_DIR = Path(frameworks.__file__).parent


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
