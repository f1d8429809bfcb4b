"""Import layers: models never import policy or service code, and no function-local import hides
a cycle. Read from the source (AST) and checked in fresh interpreters, so the order in which
Django happens to load modules cannot hide a cycle."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("tpps", "balita", "konvergensi", "genting", "rekomendasi", "laporan", "kasus", "panduan", "sasaran", "ibuhamil")
# Layers above models: a models module importing one of these is upside down.
UPPER_LAYERS = ("policy", "services", "selectors", "views", "forms", "tasks", "figures", "summary")

# Function-local imports that stay, and why. Everything else is imported at the module top.
LAZY_ALLOWED = {
    # Django loads AppConfig modules (and the admin site's) before any model exists.
    "balita/apps.py", "konvergensi/apps.py", "genting/apps.py", "rekomendasi/apps.py", "laporan/apps.py", "kasus/apps.py",
    "sasaran/apps.py", "ibuhamil/apps.py", "tpps/admin_site.py",
    # Settings pick the embedded database only without DATABASE_URL; the wheel is optional.
    "tpps/settings.py", "tpps/embedded_db.py",
}


def _sources(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or "/management/commands/" in relative:
            continue  # commands import lazily by Django's design
        yield relative, ast.parse(path.read_text())


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _models_modules():
    for app in APPS:
        for relative, tree in _sources(app):
            if relative == f"{app}/models.py" or relative.startswith(f"{app}/models/"):
                yield relative, tree


@pytest.mark.parametrize("relative, tree", list(_models_modules()), ids=lambda v: v if isinstance(v, str) else "")
def test_models_never_import_policy_or_services(relative, tree):
    upside_down = sorted({
        name for name in _imported_modules(tree)
        if name.split(".")[0] in APPS and any(part in UPPER_LAYERS for part in name.split(".")[1:])
    })
    assert not upside_down, f"{relative} imports {upside_down}"


def test_no_function_local_imports_outside_the_known_places():
    found = []
    for app in APPS:
        for relative, tree in _sources(app):
            if relative in LAZY_ALLOWED:
                continue
            for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
                for node in ast.walk(function):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        found.append(f"{relative}:{node.lineno}")
    assert not found, "function-local imports (move them to the top or break the cycle): " + ", ".join(found)


@pytest.mark.parametrize("app", APPS)
def test_each_app_imports_cleanly_first_in_a_fresh_interpreter(app):
    """Import every module of one app right after django.setup(), its models first and then the
    rest, in a new process: a cycle that only a lucky import order hid fails here."""
    modules = []
    for relative, _ in _sources(app):
        if relative.endswith(("/apps.py", "settings.py", "wsgi.py", "embedded_db.py")):
            continue
        name = relative[:-3].replace("/", ".").removesuffix(".__init__")
        modules.append(name)
    modules.sort(key=lambda name: (".models" not in name, name))
    code = "import django, importlib, sys\ndjango.setup()\n" + "".join(
        f"importlib.import_module({name!r})\n" for name in modules)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tpps.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
