"""Writing what leaves the app: owner-only files, and text made safe for a terminal."""

from __future__ import annotations

import os
import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Replace control characters and escape sequences with '?' so they never reach a terminal raw."""
    return _CONTROL.sub("?", text)


def write_private(path: Path, data: str | bytes) -> Path:
    """Write a file readable only by its owner (POSIX), replacing any earlier file atomically.

    The data goes first into a temporary file in the same folder, created exclusively under an
    unpredictable name that is never a link (``tempfile.mkstemp``: O_CREAT|O_EXCL|O_NOFOLLOW,
    mode 0600), then renamed over ``path``. Missing folders are created owner-only.
    """
    import tempfile

    from ips_tui.locations import make_private_dir

    path = Path(path)
    folder = path.parent
    if folder != Path(""):
        make_private_dir(folder)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
