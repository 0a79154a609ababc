"""Run the `ips-tui` command line with a short SQLite busy timeout (milliseconds in argv[1]).

    python cli_short_timeout.py 300 reminders --db X

The app waits up to ips_tui.store.db.BUSY_TIMEOUT_MS (10 s) for a lock; a test of what happens
when a database stays locked would take that long, so this sets it (and the matching PRAGMA)
before the command runs. Everything else is the real console script.
"""

from __future__ import annotations

import sys

from ips_tui.store import db

timeout_ms = int(sys.argv.pop(1))
db.BUSY_TIMEOUT_MS = timeout_ms
db.PRAGMAS["busy_timeout"] = timeout_ms

from ips_tui.cli import main  # noqa: E402

sys.argv[0] = "ips-tui"
main()
