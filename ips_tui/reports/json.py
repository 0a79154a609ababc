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


def _flat(value: dict | list | tuple) -> bool:
    """A dict or list holding no dict or list."""
    items = value.values() if isinstance(value, dict) else value
    return not any(isinstance(v, (dict, list, tuple)) for v in items)


def _indented(value: object, depth: int, out: list[str]) -> None:
    """Append ``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it at
    ``depth``, with the C encoder doing the work: ``indent`` makes json fall back to its
    pure-Python encoder (about a third of a large report's time), while a flat container
    written with the separators ``",\n" + indent`` and ``": "`` comes out the same."""
    if not isinstance(value, (dict, list, tuple)) or not value:
        out.append(json.dumps(value, ensure_ascii=False))
        return
    inner, outer = "  " * (depth + 1), "  " * depth
    if _flat(value):
        text = json.dumps(value, ensure_ascii=False, separators=(",\n" + inner, ": "))
        out.append(f"{text[0]}\n{inner}{text[1:-1]}\n{outer}{text[-1]}")
        return
    if isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            # a key as json writes it (str, or a number, bool or None turned into one)
            key_text = json.dumps({key: None}, ensure_ascii=False)[1:-7]
            out.append(f"{',' if i else ''}\n{inner}{key_text}: ")
            _indented(item, depth + 1, out)
        out.append(f"\n{outer}}}")
    else:
        out.append("[")
        for i, item in enumerate(value):
            out.append(f"{',' if i else ''}\n{inner}")
            _indented(item, depth + 1, out)
        out.append(f"\n{outer}]")


def dumps(data: object) -> str:
    """``data`` as indented JSON text ending in a newline, control characters escaped: the
    bytes of ``json.dumps(data, indent=2, ensure_ascii=False)``, written faster."""
    out: list[str] = []
    _indented(data, 0, out)
    # json escapes C0 controls in strings itself; outside strings there are only its own
    # newlines and spaces, so every other control character found is inside a string.
    return _CANDIDATE.sub(_escape, "".join(out)) + "\n"
