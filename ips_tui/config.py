"""The small per-user config file: who "I" am in the app (my caseload), the theme I chose and
the screen the app opens on.

Kept as JSON in the platform's config folder. A missing or damaged file means "no preferences
yet"; it is never fatal. The command line imports this module when it starts (``ips-tui
settings --start-screen`` offers :data:`START_SCREENS`), so what only reading and writing the
file needs is imported there.
"""

from __future__ import annotations

from pathlib import Path

from ips_tui import locations

#: The screens the app can open on, the default first (the personal setting ``start_screen``).
START_SCREENS = ("caseload", "today")
START_SCREEN_KEY = "start_screen"


def load(path: Path | None = None) -> dict[str, object]:
    """The saved preferences, or {} when there are none or the file cannot be read."""
    import json

    path = path or locations.config_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(values: dict[str, object], path: Path | None = None) -> None:
    """Merge ``values`` into the saved preferences."""
    import json

    from ips_tui.output import write_private

    path = path or locations.config_file()
    data = load(path)
    data.update(values)
    write_private(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def my_specialist(path: Path | None = None) -> str | None:
    """The specialist chosen at first run, if any."""
    value = load(path).get("specialist")
    return value if isinstance(value, str) and value else None


def start_screen(path: Path | None = None) -> str:
    """The screen the app opens on: one of :data:`START_SCREENS` ("caseload" unless chosen)."""
    value = load(path).get(START_SCREEN_KEY)
    return value if isinstance(value, str) and value in START_SCREENS else START_SCREENS[0]


def set_start_screen(screen: str, path: Path | None = None) -> None:
    """Open the app on ``screen`` (one of :data:`START_SCREENS`) from now on."""
    if screen not in START_SCREENS:
        raise ValueError(f"the app opens on {' or '.join(START_SCREENS)}, not {screen!r}")
    save({START_SCREEN_KEY: screen}, path)
