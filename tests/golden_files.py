"""The one golden-file check: a report's text compared with its file under tests/golden/.

After an intended change, regenerate with ``UPDATE_GOLDEN=1`` and read the diff before committing:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli/test_agenda.py tests/cli/test_outcomes_cli.py tests/cli/test_fidelity_cli.py
"""

from __future__ import annotations

import os
from pathlib import Path

#: tests/ itself: the data folders (golden/, fixtures/) live here, beside the layer folders.
TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden"
FIXTURES = TESTS / "fixtures"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(folder: str, name: str, got: str) -> None:
    """``got`` equals tests/golden/``folder``/``name`` byte for byte (or, with UPDATE_GOLDEN=1,
    becomes it)."""
    path = GOLDEN / folder / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert got == path.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if the change is intended, regenerate with "
        "UPDATE_GOLDEN=1 and read the diff")
