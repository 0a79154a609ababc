"""Layering: the command line, the store, the services and the rules never import Textual.

Each check runs in a fresh interpreter, so modules imported by other tests cannot hide a leak.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NO_TEXTUAL_MODULES = [
    "ips_tui.cli",
    "ips_tui.store",
    "ips_tui.store.db",
    "ips_tui.store.writes",
    "ips_tui.store.queries",
    "ips_tui.store.backup",
    "ips_tui.services",
    "ips_tui.domain.reminders",
    "ips_tui.validation",
    "ips_tui.dates",
    "ips_tui.demo",
    "ips_tui.reports.reminders",
]


def python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IPS_TUI_DB": str(tmp_path / "never.db")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env, cwd=tmp_path)


def output_lines(code: str, tmp_path: Path) -> list[str]:
    """What ``code`` prints in a fresh interpreter, line by line (it must end well)."""
    result = python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def assert_imports_without(module: str, packages: tuple[str, ...], tmp_path: Path) -> None:
    """Importing ``module`` in a fresh interpreter loads none of ``packages``."""
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"leaked = sorted(n for n in sys.modules if n.split('.')[0] in {packages!r})\n"
        "print('LEAKED' if leaked else 'CLEAN', leaked[:5])\n"
    )
    result = python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("CLEAN"), result.stdout


@pytest.mark.parametrize("module", NO_TEXTUAL_MODULES)
def test_importing_does_not_import_textual(module, tmp_path):
    assert_imports_without(module, ("textual",), tmp_path)


def test_the_check_itself_can_see_textual(tmp_path):
    # Guard against a check that cannot fail: the app module does import Textual.
    result = python("import sys, ips_tui.tui.app; print('textual' in sys.modules)", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_python_m_ips_tui_help_does_not_import_textual(tmp_path):
    code = (
        "import runpy, sys\n"
        "sys.argv = ['ips-tui', '--help']\n"
        "try:\n"
        "    runpy.run_module('ips_tui', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "else:\n"
        "    code = 0\n"
        "print('EXIT', code)\n"
        "print('TEXTUAL', 'textual' in sys.modules)\n"
    )
    lines = output_lines(code, tmp_path)
    assert "EXIT 0" in lines
    assert "TEXTUAL False" in lines
    assert any("reminders" in line for line in lines)
    assert not (tmp_path / "never.db").exists()


def test_python_m_ips_tui_help_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ips_tui", "--help"], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path,
                            env={**os.environ, "IPS_TUI_DB": str(tmp_path / "never.db")})
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout and "demo" in result.stdout


def test_installed_console_script_help(tmp_path):
    script = Path(sys.executable).parent / ("ips-tui.exe" if os.name == "nt" else "ips-tui")
    assert script.exists(), f"console script not installed at {script}"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path,
                            env={**os.environ, "IPS_TUI_DB": str(tmp_path / "never.db")})
    assert result.returncode == 0, result.stderr
    assert "Usage: ips-tui" in result.stdout
    for command in ("demo", "import", "export", "reminders"):
        assert command in result.stdout
    assert not (tmp_path / "never.db").exists()


def test_the_app_on_a_file_starts_without_the_server_driver(tmp_path):
    """`ips-tui` on a file loads peewee without psycopg2 (and libpq): the file works as ever,
    psycopg2 can still be imported afterwards, and opening a server says why it cannot."""
    db = tmp_path / "x.db"
    code = (
        "import sys\n"
        "from ips_tui.store.loading import load_without_server_driver\n"
        "load_without_server_driver()\n"
        "from ips_tui import services\n"
        "print('DRIVER', 'psycopg2' in sys.modules)\n"
        f"services.open_database({str(db)!r})\n"
        "services.add_specialist_if_new('Sam Lee', by='Sam Lee')\n"
        "print('SPECIALISTS', services.specialists())\n"
        "services.close_database()\n"
        "try:\n"
        "    services.open_database('postgresql://nobody@127.0.0.1:9/none')\n"
        "except services.StoreError as exc:\n"
        "    print('SERVER', exc)\n"
        "import psycopg2\n"
        "print('IMPORTABLE', psycopg2.__name__)\n"
    )
    lines = output_lines(code, tmp_path)
    assert "DRIVER False" in lines
    assert "SPECIALISTS ['Sam Lee']" in lines
    assert any(line.startswith("SERVER the PostgreSQL driver is not loaded") for line in lines)
    assert "IMPORTABLE psycopg2" in lines


def test_the_app_loads_the_server_driver_when_it_opens_a_server(monkeypatch):
    """Only the app on a file goes without the driver: on a server URL peewee loads it."""
    from ips_tui import cli
    from ips_tui.store import loading

    calls: list[str] = []
    monkeypatch.setattr(loading, "load_without_server_driver", lambda: calls.append("file"))
    monkeypatch.setattr(cli, "_open", lambda path, create=True: calls.append("open"))
    import ips_tui.tui.app as tui_app

    monkeypatch.setattr(tui_app, "run_app", lambda *a, **k: 0)
    cli._run_app(Path("x.db"), None)
    assert calls == ["file", "open"]
    calls.clear()
    cli._run_app("postgresql://sam@server/ips", None)
    assert calls == ["open"]


# ------------------------------------------------------------ every module, found on disk

PACKAGE = Path(__file__).resolve().parents[2] / "ips_tui"
#: What the pure rules may import: the standard library, calendar arithmetic, and the app's own
#: vocabulary, dates and other rules. Never the store, the screens, the services or a clock.
DOMAIN_MAY_IMPORT = ("ips_tui.domain", "ips_tui.vocab", "ips_tui.dates", "pendulum")
DATABASE_DRIVERS = ("peewee", "playhouse", "psycopg2", "sqlite3")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Every module a file imports, at the top or inside a function."""
    import ast

    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _is_stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


ALL_MODULES = sorted(PACKAGE.rglob("*.py"))
DOMAIN_MODULES = sorted((PACKAGE / "domain").glob("*.py"))
OUTSIDE_THE_APP = [p for p in ALL_MODULES if "tui" not in p.relative_to(PACKAGE).parts[:1]]


def test_the_module_lists_are_not_empty():
    # A check over no files passes whatever the code does.
    assert len(DOMAIN_MODULES) >= 5 and len(OUTSIDE_THE_APP) >= 20


@pytest.mark.parametrize("path", ALL_MODULES, ids=_module_name)
def test_only_the_store_talks_to_the_database(path):
    if path.relative_to(PACKAGE).parts[0] == "store":
        return
    drivers = [n for n in _imports(path) if n.split(".")[0] in DATABASE_DRIVERS]
    assert not drivers, f"{_module_name(path)} imports {drivers}: go through ips_tui.store"


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=_module_name)
def test_domain_modules_are_pure(path):
    imported = [n for n in _imports(path) if not n.startswith("__future__")]
    foreign = [n for n in imported if not _is_stdlib(n) and not n.startswith(DOMAIN_MAY_IMPORT)]
    assert not foreign, f"{_module_name(path)} imports {foreign}"
    source = path.read_text(encoding="utf-8")
    for clock in ("date.today(", "datetime.now(", "datetime.today(", "time.time(",
                  "pendulum.now(", "pendulum.today("):
        assert clock not in source, f"{_module_name(path)} reads the clock ({clock}): take `today`"


@pytest.mark.parametrize("path", OUTSIDE_THE_APP, ids=_module_name)
def test_nothing_outside_the_app_imports_textual_at_the_top(path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            top += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            top.append(node.module)
    leaked = [n for n in top if n.split(".")[0] in ("textual", "rich") or n.startswith("ips_tui.tui")]
    assert not leaked, f"{_module_name(path)} imports {leaked} at load time"


REPORT_MODULES = sorted((PACKAGE / "reports").glob("*.py"))


@pytest.mark.parametrize("path", DOMAIN_MODULES + REPORT_MODULES, ids=_module_name)
def test_every_rule_and_report_module_imports_without_textual_or_peewee(path, tmp_path):
    assert_imports_without(_module_name(path), ("textual", "peewee"), tmp_path)
