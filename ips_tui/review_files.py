"""The fidelity reviews' interchange files, ``reviews.csv`` and ``review_items.csv``: checking
their rows for an import (the rest of the import is :mod:`ips_tui.interchange`'s; these rows are
written in the same all-or-nothing transaction).

* ``reviews.csv`` (key ``review_id``): review_id, date, period, participants, notes.
* ``review_items.csv`` (key ``review_id`` + ``number``): review_id, number, key,
  computed_score, score, figure, evidence, note, override_reason, owner, due. ``score`` is the
  team's (an override when computed_score is set, which then needs override_reason).

A review a file adds gets every item the file does not list, unscored. Importing the same files
again changes nothing; a row whose key exists with other values is an error unless ``--update``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ips_tui import validation
from ips_tui.domain.review_scale import BY_NUMBER, ITEMS

REVIEWS, ITEMS_FILE = "reviews.csv", "review_items.csv"
FILES: tuple[str, ...] = (REVIEWS, ITEMS_FILE)
ENTITY = {REVIEWS: "review", ITEMS_FILE: "review_item"}
#: The columns export sorts on.
SORT = {REVIEWS: ("review_id",), ITEMS_FILE: ("review_id", "number")}


class _RowLike(Protocol):
    line: int
    values: dict[str, str]


class _SourceLike(Protocol):
    shown: str
    name: str


Error = Callable[[Any, int, str, str], None]  # (source, line, column, message)


@dataclass
class Plan:
    """What an import does to reviews: rows to add and (key, changed values) to update."""

    reviews: list[dict[str, object]] = field(default_factory=list)
    review_updates: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    items: list[dict[str, object]] = field(default_factory=list)
    item_updates: list[tuple[tuple[str, int], dict[str, object]]] = field(default_factory=list)
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # added, updated, same

    def write(self, now: str, by: str | None) -> int:
        """Write the plan (inside the import's transaction); rows written."""
        from ips_tui.store import reviews as review_store

        return review_store.apply_import(self.reviews, self.review_updates, self.items,
                                         self.item_updates, now, by)


def _compare(current: Mapping[str, object], values: Mapping[str, object],
             present: Sequence[str]) -> list[str]:
    return [c for c in present if current.get(c) != values.get(c)]


def check(parsed: Mapping[str, tuple[Any, Iterable[Any], bool]], update: bool,
          error: Error) -> Plan:
    """Check the review files' rows (``parsed[name] = (source, rows, readable)``; ``rows`` is
    read once, in order, and may be a stream) against the database; problems go to ``error``.
    The plan is only to be written when there are none."""
    from ips_tui.store import reviews as review_store

    plan = Plan()
    stored_reviews, stored_items = review_store.existing()
    known = set(stored_reviews)
    added: set[str] = set()
    if REVIEWS in parsed:
        source, rows, _ = parsed[REVIEWS]
        seen: dict[str, int] = {}
        counts = [0, 0, 0]
        for row in rows:
            cleaned = validation.clean("review", row.values)
            for problem in cleaned.errors:
                error(source, row.line, problem.field, problem.message)
            key = cleaned.values.get("review_id")
            if isinstance(key, str) and key not in seen:
                seen[key] = row.line
                known.add(key)
            elif isinstance(key, str):
                error(source, row.line, "review_id",
                      f"{validation.quoted(key)} is in this file twice (also on line {seen[key]})")
                continue
            if cleaned.errors or not isinstance(key, str):
                continue
            current = stored_reviews.get(key)
            if current is None:
                plan.reviews.append(cleaned.values)
                added.add(key)
                counts[0] += 1
                continue
            differ = _compare(current, cleaned.values, [c for c in row.values if c != "review_id"])
            if not differ:
                counts[2] += 1
            elif not update:
                error(source, row.line, "review_id",
                      f"{validation.quoted(key)} is already in the database with different values in "
                      f"{', '.join(differ)}; import with --update to change it")
            else:
                plan.review_updates.append((key, {c: cleaned.values[c] for c in differ}))
                counts[1] += 1
        plan.counts[REVIEWS] = (counts[0], counts[1], counts[2])
    listed: set[tuple[str, int]] = set()
    if ITEMS_FILE in parsed:
        source, rows, _ = parsed[ITEMS_FILE]
        seen_items: dict[tuple[str, int], int] = {}
        counts = [0, 0, 0]
        for row in rows:
            cleaned = validation.clean("review_item", row.values)
            for problem in cleaned.errors:
                error(source, row.line, problem.field, problem.message)
            values = cleaned.values
            review_id, number = values.get("review_id"), values.get("number")
            if isinstance(review_id, str) and review_id not in known:
                error(source, row.line, "review_id", f"no review has id {validation.quoted(review_id)} in this "
                      "import or in the database")
                continue
            if cleaned.errors or not isinstance(review_id, str) or number is None:
                continue
            key = (review_id, int(number))  # type: ignore[call-overload]  # a whole number
            if key in seen_items:
                error(source, row.line, "number", f"item {key[1]} of review {review_id} is in "
                      f"this file twice (also on line {seen_items[key]})")
                continue
            seen_items[key] = row.line
            values["number"] = key[1]
            values["key"] = BY_NUMBER[key[1]].key
            current = stored_items.get(key)
            if current is None:
                listed.add(key)
                plan.items.append(values)
                counts[0] += 1
                continue
            present = [c for c in row.values if c not in ("review_id", "number", "key")]
            differ = _compare(current, values, present)
            if not differ:
                counts[2] += 1
                continue
            merged = validation.clean("review_item", {**current, **{c: values[c] for c in present}})
            for problem in merged.errors:
                error(source, row.line, problem.field,
                      f"{problem.message} (with the values in the database)")
            if merged.errors:
                continue
            if not update:
                error(source, row.line, "number",
                      f"item {key[1]} of review {review_id} is already in the database with "
                      f"different values in {', '.join(differ)}; import with --update to "
                      "change it")
                continue
            plan.item_updates.append((key, {c: values[c] for c in differ}))
            counts[1] += 1
        plan.counts[ITEMS_FILE] = (counts[0], counts[1], counts[2])
    for review_id in sorted(added):  # a new review gets all 25 items
        for it in ITEMS:
            if (review_id, it.number) not in listed:
                plan.items.append({"review_id": review_id, "number": it.number})
    return plan
