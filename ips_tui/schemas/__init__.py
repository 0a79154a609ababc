"""JSON Schemas (draft 2020-12) of every JSON the command line writes: ``reminders``, ``agenda``,
``outcomes``, ``fidelity``, ``appointments``, ``today`` (``--format json``) and ``review show
--format json``. They are the
contract a spreadsheet or script can build on: a key named in a schema keeps its name and meaning
(keys are added, never renamed), and the tests validate real outputs against them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

NAMES = ("reminders", "agenda", "outcomes", "fidelity", "appointments", "today", "review")


def schema(name: str) -> dict[str, Any]:
    """The schema of the ``name`` command's JSON output."""
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
