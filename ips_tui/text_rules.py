"""Control characters in stored text: what counts as one, and how a value is cleaned of them.

Used by ``ips-tui check`` (and ``check --fix``) on values that reached the database by another
route than the app (a restored file, psql on a shared server): the app's own rules
(:mod:`ips_tui.validation`) refuse them on the way in. A control character is any C0 character
(tab and newline allowed in multi-line text such as notes), DEL, any C1 character
(U+0080-U+009F), and the bidirectional controls U+202A-U+202E, U+2066-U+2069, U+200E, U+200F
and U+061C.

(To be folded together with the shared predicate in :mod:`ips_tui.output` when both exist.)
"""

from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_CONTROL_IN_LONG = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")  # tab and newline allowed


def has_control_character(text: str, multiline: bool = False) -> bool:
    """Whether ``text`` holds a control character (tab and newline are allowed if ``multiline``)."""
    return (_CONTROL_IN_LONG if multiline else _CONTROL).search(text) is not None


def without_control_characters(text: str, multiline: bool = False) -> str:
    """``text`` with its control characters removed (in multi-line text a carriage return
    becomes the newline it stood for)."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return (_CONTROL_IN_LONG if multiline else _CONTROL).sub("", text)
