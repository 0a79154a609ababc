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
    "ips_tui.reminder_output",
]


def python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IPS_TUI_DB": str(tmp_path / "never.db")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env, cwd=tmp_path)


@pytest.mark.parametrize("module", NO_TEXTUAL_MODULES)
def test_importing_does_not_import_textual(module, tmp_path):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "leaked = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "print('LEAKED' if leaked else 'CLEAN', leaked[:5])\n"
    )
    result = python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("CLEAN"), result.stdout


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
    result = python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
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
