"""The JSON writer: indented, UTF-8 as it is, nothing that would act on a terminal."""

from __future__ import annotations

import json

from ips_tui.output import terminal_safe


def dumps(data: object) -> str:
    """``data`` as indented JSON text ending in a newline."""
    return terminal_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
