"""Record values as JSON-ready values: the one place the domain's ``to_dict`` methods turn dates
into ``YYYY-MM-DD`` and tuples into lists, so every JSON contract writes them the same way."""

from __future__ import annotations

from datetime import date
from typing import Any


def json_value(value: Any) -> Any:
    """A date as ``YYYY-MM-DD``, a tuple or list as a list; anything else as it is."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return list(value)
    return value


def json_fields(record: object, *names: str) -> dict[str, Any]:
    """``record``'s attributes as a JSON-ready dict, keys in the order given. A name written
    ``key=attribute`` writes the attribute under another key (the contract's name)."""
    out: dict[str, Any] = {}
    for name in names:
        key, _, attribute = name.partition("=")
        out[key] = json_value(getattr(record, attribute or key))
    return out
