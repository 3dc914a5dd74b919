"""Dependencies point one way: postcodes <- groups <- elearning, panels; wabp is the base and
calls up only through wabp.registry. A forbidden import anywhere in an app fails here."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# App -> the apps it must never import.
FORBIDDEN = {
    "wabp": {"groups", "elearning", "panels"},
    "postcodes": {"groups", "elearning", "panels"},
    "groups": {"elearning", "panels"},
}


def imported_apps(app: str) -> dict[str, set[str]]:
    """Per file of `app`: the top-level packages it imports (absolute imports only)."""
    found = {}
    for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
        modules = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
        found[str(path.relative_to(settings.BASE_DIR))] = modules
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_never_imports_the_apps_built_on_it(app):
    wrong = {
        path: sorted(modules & FORBIDDEN[app])
        for path, modules in imported_apps(app).items()
        if modules & FORBIDDEN[app]
    }

    assert wrong == {}
    assert imported_apps(app)  # the scan did read the app's files
