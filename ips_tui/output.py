"""Writing what leaves the app: owner-only files, and text made safe for a terminal.

One definition of a *control character* for the whole program (:func:`is_control_character`):
the validation rules refuse them, ``check`` finds stored ones, and every way out of the program
(the screen, stdout, CSV, JSON, iCalendar) replaces or escapes them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

#: The two joiners some scripts (Persian, Indic) and emoji sequences need: format characters,
#: but never control characters here.
JOINERS = "\u200c\u200d"
#: What multi-line text (notes) may hold although they are control characters.
LINE_BREAKS = "\n\t"

# Every control character is outside printable ASCII: only those are looked at one by one.
_CANDIDATE = re.compile(r"[^\x20-\x7e]")


def is_control_character(ch: str) -> bool:
    """Whether one character is a control character: C0 and C1 controls, DEL (Unicode category
    Cc), and format characters (Cf: bidi embeddings, overrides and isolates, direction marks,
    the Arabic letter mark, zero-width space, byte order mark, soft hyphen, tag characters...)
    except the zero-width joiner and non-joiner. Follows the Unicode version Python has."""
    return ch not in JOINERS and unicodedata.category(ch) in ("Cc", "Cf")


def first_control_character(text: str, allow: str = "") -> str | None:
    """The first control character in ``text`` that is not in ``allow``, or None."""
    if text.isprintable():  # no Cc or Cf character is printable
        return None
    for match in _CANDIDATE.finditer(text):
        ch = match.group()
        if ch not in allow and is_control_character(ch):
            return ch
    return None


def has_control_characters(text: str, allow_newlines: bool = False) -> bool:
    """Whether ``text`` holds a control character (``allow_newlines``: newlines and tabs, which
    multi-line text such as notes may hold, do not count)."""
    return first_control_character(text, LINE_BREAKS if allow_newlines else "") is not None


def replace_controls(text: str, by: str = "", keep: str = "") -> str:
    """``text`` with every control character not in ``keep`` replaced by ``by`` (removed by
    default)."""
    if text.isprintable():
        return text

    def one(match: re.Match[str]) -> str:
        ch = match.group()
        return by if ch not in keep and is_control_character(ch) else ch

    return _CANDIDATE.sub(one, text)


def strip_controls(text: str, keep_newlines: bool = False) -> str:
    """``text`` without its control characters (``keep_newlines``: newlines and tabs stay), for
    cleaning a stored value."""
    return replace_controls(text, keep=LINE_BREAKS if keep_newlines else "")


#: Shown as '?' on a terminal although they are not control characters: the joiners (a terminal
#: draws them inconsistently, which would shift columns) and Unicode's line and paragraph
#: separators (they would break a line).
_TERMINAL_ALSO = JOINERS + "\u2028\u2029"


def terminal_safe(text: str) -> str:
    """Replace control characters (escape sequences begin with one) with '?' so they never reach
    a terminal raw; newlines and tabs stay."""
    if text.isprintable():
        return text

    def one(match: re.Match[str]) -> str:
        ch = match.group()
        if ch in LINE_BREAKS:
            return ch
        return "?" if ch in _TERMINAL_ALSO or is_control_character(ch) else ch

    return _CANDIDATE.sub(one, text)


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
