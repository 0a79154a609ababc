"""Every file location the app uses, in one place (data folder, databases, config, backups).

The default database is ``ips.db`` in the platform's user data folder for "ips-tui"
(platformdirs); ``--db PATH`` and the ``IPS_TUI_DB`` environment variable override it. Either may
also be a PostgreSQL URL (``postgresql://user@host:port/dbname``) for a team sharing one server.
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


#: URL schemes that name a PostgreSQL server rather than a file.
SERVER_SCHEMES = ("postgresql", "postgres")

#: Where a database is: a file path, or a server URL (a str that :func:`is_server` accepts).
Location = Path | str


def is_server(location: object) -> bool:
    """Whether ``location`` is a database server URL (``postgresql://...``) rather than a file."""
    if not isinstance(location, str):
        return False
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def resolve_db(option: str | os.PathLike[str] | None) -> Location:
    """The database to use: the --db option, else IPS_TUI_DB, else the default.

    A server URL comes back as the str it was; anything else is a file path.
    """
    value = option or os.environ.get(DB_ENV)
    if not value:
        return default_db()
    if is_server(value):
        return str(value)
    return Path(value).expanduser()


def describe(location: Location) -> str:
    """A location as it may be shown on screen or in a message: a server URL without its
    password (``postgresql://ann@db.example.org:5432/ips?sslmode=require``), a file as its
    path."""
    if not is_server(location):
        return str(location)
    from urllib.parse import urlsplit

    parts = urlsplit(str(location))
    host = parts.hostname or "localhost"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    user = f"{parts.username}@" if parts.username else ""
    from urllib.parse import parse_qsl, urlencode

    options = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
               if "pass" not in k.lower()]
    query = f"?{urlencode(options)}" if options else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}{query}"


def backups_dir(db_path: Path) -> Path:
    """Where backups of a database go: a ``backups`` folder beside it."""
    return db_path.parent / "backups"


def make_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents readable only by their owner (0700 on POSIX,
    whatever the umask); folders that already exist are left as they are."""
    path = Path(path)
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made by someone else meanwhile: not ours to change
            continue
        if os.name == "posix":
            os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask; this is not
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    return path
