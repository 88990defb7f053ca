"""Layers read bottom-up: a module imports only from its own layer's apps or below.

core → places → people, party, transfer, notices → cases, volunteer →
accounts, alliances, deliberation, onewindow, intelligence, workforce → assessment →
home, demo, insight, screen, atlas, portal.
Every `import jiceng.<app>` / `from jiceng.<app> …` in an app's code and tests is
checked, including imports inside functions (a lazy import is still a dependency).
"""

import ast
from pathlib import Path

import pytest

LAYERS = [
    {"core"},
    {"places"},
    {"people", "party", "transfer", "notices"},
    {"cases", "volunteer"},
    {"accounts", "alliances", "deliberation", "onewindow", "intelligence", "workforce"},
    {"assessment"},
    {"home", "demo", "insight", "screen", "atlas", "portal"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path):
    """(line, dotted name) for every jiceng module the module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "jiceng" and len(parts) > 1 and parts[1] in LEVEL:
                yield node.lineno, name


@pytest.mark.parametrize("app", sorted(LEVEL))
def test_an_app_imports_nothing_above_its_layer(app):
    # given every Python module of the app (code, tests, migrations, commands)
    violations = []
    for path in sorted((ROOT / app).rglob("*.py")):
        # when its imports of other jiceng apps are read
        for line, name in imported_modules(path):
            other = name.split(".")[1]
            if LEVEL[other] > LEVEL[app]:
                violations.append(f"{path.relative_to(ROOT)}:{line} → {other}")
    # then none reaches a higher layer
    assert not violations, violations


@pytest.mark.parametrize("app", sorted(LEVEL))
def test_tests_do_not_import_another_apps_tests(app):
    # given the app's modules, when their imports are read,
    # then none reaches into another app's tests package
    borrowed = [
        f"{path.relative_to(ROOT)}:{line} → {name}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for line, name in imported_modules(path)
        if name.split(".")[1] != app and ".tests" in name
    ]
    assert not borrowed, borrowed


def test_every_installed_app_has_a_layer():
    from django.conf import settings

    apps = {a.split(".")[1] for a in settings.INSTALLED_APPS if a.startswith("jiceng.")}
    assert apps == set(LEVEL)
