"""The layering is checked on every test run (`scripts/test` runs pytest): import-linter's contracts
from pyproject.toml over every top-level package of the project, and an AST scan that no app
imports another app's `_private` names. The probes below show that each check can fail."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import grimp
from importlinter import configuration
from importlinter.application import use_cases

configuration.configure()

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests", "bench", "scripts", "docs", "static", "templates"}
LAYERS_CONTRACT = "Apps import only the layers below them"


def project_packages(root: Path) -> list[str]:
    """Top-level packages of the project: the apps, config and any neutral package."""
    return sorted(p.parent.name for p in root.glob("*/__init__.py") if p.parent.name not in NOT_APPS)


def _options():
    options = use_cases.read_user_options(str(ROOT / "pyproject.toml"))
    options.session_options["root_packages"] = project_packages(ROOT)
    use_cases._register_contract_types(options)
    return options


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph(*project_packages(ROOT), cache_dir=None)


def broken_contracts(graph: grimp.ImportGraph) -> list[str]:
    report = use_cases._build_report(graph=graph, graph_building_duration=0, user_options=_options(),
                                     limit_to_contracts=(), show_timings=False, verbose=False)
    assert not report.could_not_run, report.invalid_contract_options
    broken = [(contract.name, check) for contract, check in report.get_contracts_and_checks() if not check.kept]
    for _, check in broken:
        for dependency in check.metadata.get("invalid_dependencies", []):
            for route in dependency["routes"]:
                links = " -> ".join(f"{link['importer']} -> {link['imported']}" for link in route["chain"])
                print(f"{dependency['importer']} may not import {dependency['imported']}: {links}")
    return [name for name, _ in broken]


def layer_names() -> set[str]:
    (contract,) = [c for c in _options().contracts_options if c["id"] == "layers"]
    names = set()
    for layer in contract["layers"]:
        for part in layer.replace(":", "|").split("|"):
            names.add(part.strip().strip("()"))
    return names


def _app_of(module: str) -> str:
    return module.split(".")[0]


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(root: Path, dotted: str) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _private_uses(tree: ast.Module, own_app: str, apps: set[str], rel: str, root: Path) -> list[str]:
    found, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            other = _app_of(node.module) in apps and _app_of(node.module) != own_app
            for alias in node.names:
                if other and _is_private(alias.name):
                    found.append((node.lineno, f"{rel}:{node.lineno} imports {node.module}.{alias.name}"))
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    aliases[alias.name] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            target = _dotted(node.value)
            if target is None:
                continue
            head, _, rest = target.partition(".")
            module = aliases.get(head) if head in aliases else None
            if module is None and target in aliases.values():
                module = target
            if module is None:
                continue
            module = ".".join(filter(None, [module, rest])) if head in aliases else module
            other = _app_of(module) in apps and _app_of(module) != own_app
            if other and _is_module(root, module):  # Model._meta and the like are not module privates
                found.append((node.lineno, f"{rel}:{node.lineno} uses {module}.{node.attr}"))
    return [message for _, message in sorted(found)]


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def private_imports_across_apps(root: Path) -> list[str]:
    """`from other_app.x import _name`, `other_module._name` and `other_app.x._name`, outside
    migrations (Django writes those)."""
    apps = set(project_packages(root))
    found = []
    for app in sorted(apps):
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            rel = str(path.relative_to(root))
            found += _private_uses(ast.parse(path.read_text(), rel), app, apps, rel, root)
    return found


# --- the project keeps its layers ---------------------------------------------------------------

def test_every_contract_is_kept(capsys):
    broken = broken_contracts(_graph())
    assert broken == [], capsys.readouterr().out


def test_every_project_package_has_a_place_in_the_layers():
    unplaced = sorted(set(project_packages(ROOT)) - layer_names())
    assert unplaced == [], f"add these packages to the layers in pyproject.toml: {unplaced}"


def test_no_app_imports_another_apps_private_names():
    assert private_imports_across_apps(ROOT) == []


# --- and each check can fail --------------------------------------------------------------------

def test_an_upward_import_breaks_the_layers():
    graph = _graph()
    graph.add_import(importer="filings.services", imported="portal.selectors", line_number=1,
                     line_contents="from portal.selectors import home_summary_for")
    assert broken_contracts(graph) == [LAYERS_CONTRACT]


def test_notifications_may_not_know_the_apps_that_register_deadlines():
    graph = _graph()
    graph.add_import(importer="notifications.sweep", imported="filings.models", line_number=1,
                     line_contents="from filings.models import TrainingPlan")
    assert broken_contracts(graph) == [LAYERS_CONTRACT]


def test_the_rules_engine_may_not_read_the_ledger_though_the_cards_still_do():
    graph = _graph()
    graph.add_import(importer="rules.engine", imported="ledger.models", line_number=1,
                     line_contents="from ledger.models import HourEntry")
    assert broken_contracts(graph) == [LAYERS_CONTRACT]


def _write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(text))


def test_the_scan_finds_private_names_of_another_app(tmp_path):
    for app in ("alpha", "beta"):
        _write(tmp_path, f"{app}/__init__.py", "")
    _write(tmp_path, "alpha/services.py", "def _locked(): ...\ndef _own(): ...\n")
    _write(tmp_path, "alpha/views.py", "from alpha.services import _own\n")  # its own app: allowed
    _write(tmp_path, "beta/services.py", """\
        from alpha.services import _locked, public
        from alpha import services as other
        import alpha.services

        other._own()
        alpha.services._locked()
        other.__name__
    """)
    assert private_imports_across_apps(tmp_path) == [
        "beta/services.py:1 imports alpha.services._locked",
        "beta/services.py:5 uses alpha.services._own",
        "beta/services.py:6 uses alpha.services._locked",
    ]
