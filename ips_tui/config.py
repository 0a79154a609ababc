"""The small per-user config file: who "I" am in the app (my caseload) and the theme I chose.

Kept as JSON in the platform's config folder. A missing or damaged file means "no preferences
yet"; it is never fatal.
"""

from __future__ import annotations

import json
from pathlib import Path

from ips_tui import locations
from ips_tui.output import write_private


def load(path: Path | None = None) -> dict[str, object]:
    """The saved preferences, or {} when there are none or the file cannot be read."""
    path = path or locations.config_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(values: dict[str, object], path: Path | None = None) -> None:
    """Merge ``values`` into the saved preferences."""
    path = path or locations.config_file()
    data = load(path)
    data.update(values)
    write_private(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def my_specialist(path: Path | None = None) -> str | None:
    """The specialist chosen at first run, if any."""
    value = load(path).get("specialist")
    return value if isinstance(value, str) and value else None
