"""Loading the store for the app on a database file, without the PostgreSQL driver.

The app talks to the one database it opened. On a file, loading psycopg2 (and libpq with it) was
7 ms of a 230 ms start (bench/results), for a driver it would never use. peewee imports psycopg2
when peewee itself is imported, if it can: :func:`load_without_server_driver` makes it unable to,
just while peewee loads, so peewee sets the driver aside for the process. ``store.db`` then says
why a server cannot be opened, should anything try; psycopg2 itself can still be imported.
"""

from __future__ import annotations

import sys


def load_without_server_driver() -> None:
    """Load peewee without psycopg2 (for the app on a file). Nothing is done if either is loaded
    already (the process has used a server, or it is too late to matter)."""
    if "peewee" in sys.modules or "psycopg2" in sys.modules:
        return
    sys.modules["psycopg2"] = None  # type: ignore[assignment]  # the import machinery's "no such module"
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg2"]
