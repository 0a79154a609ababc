"""Every file location the app uses, in one place (data folder, databases, config, backups).

The default database is ``ips.db`` in the platform's user data folder for "ips-tui"
(platformdirs); ``--db PATH`` and the ``IPS_TUI_DB`` environment variable override it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ips-tui"
DB_ENV = "IPS_TUI_DB"
SPECIALIST_ENV = "IPS_TUI_SPECIALIST"


def data_dir() -> Path:
    """The per-user data folder (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The per-user config folder (not created here)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The small per-user config file (who "I" am in the app)."""
    return config_dir() / "config.json"


def default_db() -> Path:
    """The database used when neither --db nor IPS_TUI_DB is given."""
    return data_dir() / "ips.db"


def demo_db() -> Path:
    """The demo database: beside the default one, never the real one."""
    return data_dir() / "demo.db"


def resolve_db(option: str | os.PathLike[str] | None) -> Path:
    """The database to use: the --db option, else IPS_TUI_DB, else the default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db()


def backups_dir(db_path: Path) -> Path:
    """Where backups of a database go: a ``backups`` folder beside it."""
    return db_path.parent / "backups"
