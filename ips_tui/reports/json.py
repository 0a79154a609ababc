"""The JSON writer: indented, UTF-8 as it is, and no control character raw.

Every control character (``ips_tui.output.is_control_character``: C0, DEL, C1, bidi controls,
direction marks...) and Unicode's line and paragraph separators in a value are written as a
``\\uXXXX`` escape, so the JSON reads back exactly and nothing in it acts on a terminal.
"""

from __future__ import annotations

import json
import re

from ips_tui.output import is_control_character

_CANDIDATE = re.compile(r"[^\x20-\x7e\n]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in "\u2028\u2029" or is_control_character(ch):
        return json.dumps(ch)[1:-1]  # \uXXXX (a surrogate pair beyond the BMP)
    return ch


def dumps(data: object) -> str:
    """``data`` as indented JSON text ending in a newline, control characters escaped."""
    # json escapes C0 controls in strings itself; outside strings there are only its own
    # newlines and spaces, so every other control character found is inside a string.
    return _CANDIDATE.sub(_escape, json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
