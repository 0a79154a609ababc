"""The JSON writer: indented, UTF-8 as it is, and by default nothing that would act on a
terminal."""

from __future__ import annotations

import json

from ips_tui.output import terminal_safe


def dumps(data: object, for_terminal: bool = True) -> str:
    """``data`` as indented JSON text ending in a newline; ``for_terminal`` replaces the
    characters that could act on a terminal (joiners and direction marks included) with '?'."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return (terminal_safe(text) if for_terminal else text) + "\n"
