"""Fidelity reviews in the database: create one with its 25 items, read them back as
:class:`ips_tui.domain.review.Review`, score, note and plan an item, and the plain rows the
interchange files (``reviews.csv``, ``review_items.csv``) read and write.

Every write is validated by the ``review``/``review_item`` rules of :mod:`ips_tui.validation`
(a team's score replacing a computed one needs a reason; both are kept), made in one
:func:`~ips_tui.store.db.saving` transaction, version-checked when a version is given, and
audited (field names only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from ips_tui.domain.review import Review, ReviewItem
from ips_tui.domain.review_scale import BY_NUMBER, ITEMS
from ips_tui.store import models as m
from ips_tui.store.db import saving, snapshot
from ips_tui.store.writes import ConflictError, NotFoundError, _update, audit, utc_now
from ips_tui.validation import FieldError, ValidationError, clean

__all__ = [
    "next_review_id",
    "create_review",
    "update_review",
    "update_item",
    "delete_review",
    "review",
    "reviews",
    "item_values",
    "export_rows",
    "existing",
    "apply_import",
]

#: The interchange columns of an item that are stored as they are (the rest are keys).
_ITEM_FIELDS = ("computed_score", "score", "figure", "evidence", "note", "override_reason",
                "owner", "due")


def next_review_id() -> str:
    """A fresh review id (R0001, R0002, ...)."""
    highest = 0
    for (value,) in m.Review.select(m.Review.review_id).tuples():
        match = re.fullmatch(r"R(\d+)", value)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"R{highest + 1:04d}"


def _checked(entity: str, raw: Mapping[str, object]) -> dict[str, object]:
    cleaned = clean(entity, raw)
    if cleaned.errors:
        raise ValidationError(cleaned.errors)
    return cleaned.values


def _ints(values: dict[str, object]) -> dict[str, object]:
    """Scores and numbers as whole numbers (the rules checked they are)."""
    for name in ("number", "computed_score", "score"):
        if isinstance(values.get(name), float):
            values[name] = int(values[name])  # type: ignore[call-overload]  # a whole float
    return values


def _item_raw(review_id: str, it: ReviewItem) -> dict[str, object]:
    return {"review_id": review_id, "number": it.number, "key": it.key,
            "computed_score": it.computed_score, "score": it.team_score, "figure": it.figure,
            "evidence": "\n".join(it.evidence), "note": it.note,
            "override_reason": it.override_reason, "owner": it.owner, "due": it.due}


def create_review(values: Mapping[str, object], items: Sequence[ReviewItem],
                  by: str | None = None) -> str:
    """Save a new review (``date``, ``period``, ``participants``, ``notes``; a fresh id unless
    ``review_id`` is given) with its items; its id."""
    now = utc_now()
    with saving():
        raw = dict(values)
        if not raw.get("review_id"):
            raw["review_id"] = next_review_id()
        review_values = _checked("review", raw)
        ident = str(review_values["review_id"])
        if m.Review.get_or_none(m.Review.review_id == ident) is not None:
            raise ValidationError([FieldError("review_id", f"a review with id '{ident}' exists")])
        rows = [_ints(_checked("review_item", _item_raw(ident, it))) for it in items]
        m.Review.create(**review_values, created_at=now, updated_at=now, version=1)
        for row in rows:
            row.pop("key", None)
            review = row.pop("review_id")
            m.ReviewItem.create(review=review, **row, created_at=now, updated_at=now, version=1)
        audit("create", "review", ident, by=by, fields=review_values)
    return ident


def _review_values(row: m.Review) -> dict[str, object]:
    return {"review_id": row.review_id, "date": row.date, "period": row.period,
            "participants": row.participants, "notes": row.notes}


def item_values(row: m.ReviewItem) -> dict[str, object]:
    """A stored item as interchange values."""
    return {"review_id": row.review_id, "number": row.number, "key": BY_NUMBER[row.number].key,
            **{name: getattr(row, name) for name in _ITEM_FIELDS}}


def update_review(review_id: str, changes: Mapping[str, object],
                  expected_version: int | None = None, by: str | None = None) -> int:
    """Change a review's date, period, participants or notes; its new version."""
    if "review_id" in changes and changes["review_id"] != review_id:
        raise ValidationError([FieldError("review_id", "cannot be changed")])
    with saving():
        current = m.Review.get_or_none(m.Review.review_id == review_id)
        if current is None:
            raise NotFoundError(f"the review '{review_id}' no longer exists")
        new = _checked("review", {**_review_values(current), **changes})
        return _update(m.Review, review_id, {k: new[k] for k in changes}, expected_version,
                       "review", by, None)


def update_item(review_id: str, number: int, changes: Mapping[str, object],
                expected_version: int | None = None, by: str | None = None) -> int:
    """Change one item (``score``, ``note``, ``override_reason``, ``owner``, ``due``; the
    computed score and figure are the records' and stay); checked as a whole, so a score that
    overrides the records' needs a reason. Its new version."""
    fixed = {"review_id", "number", "key", "computed_score", "figure", "evidence"}
    bad = sorted(fixed & set(changes))
    if bad:
        raise ValidationError([FieldError(name, "cannot be changed") for name in bad])
    with saving():
        current = (m.ReviewItem.select()
                   .where(m.ReviewItem.review == review_id, m.ReviewItem.number == number)
                   .get_or_none())
        if current is None:
            raise NotFoundError(f"review '{review_id}' has no item {number}")
        new = _ints(_checked("review_item", {**item_values(current), **changes}))
        changed = {k: new[k] for k in changes if item_values(current).get(k) != new[k]}
        if not changed:
            return current.version
        query = (m.ReviewItem.update(**changed, updated_at=utc_now(),
                                     version=m.ReviewItem.version + 1)
                 .where(m.ReviewItem.id == current.id))
        if expected_version is not None:
            query = query.where(m.ReviewItem.version == expected_version)
        if query.execute() != 1:
            raise ConflictError("someone else changed this review item while you were editing "
                                "it; nothing was saved. Reload to see their change.")
        audit("update", "review_item", f"{review_id}/{number}", by=by, fields=changed)
        return current.version + 1


def delete_review(review_id: str, by: str | None = None) -> None:
    """Delete a review and its items."""
    with saving():
        found = m.Review.get_or_none(m.Review.review_id == review_id)
        if found is None:
            raise NotFoundError(f"the review '{review_id}' no longer exists")
        m.ReviewItem.delete().where(m.ReviewItem.review == review_id).execute()
        found.delete_instance()
        audit("delete", "review", review_id, by=by)


# ---------------------------------------------------------------- reading


def _domain_item(row: m.ReviewItem) -> ReviewItem:
    return ReviewItem(
        number=row.number, computed_score=row.computed_score, team_score=row.score,
        figure=row.figure or "", evidence=tuple((row.evidence or "").splitlines()),
        note=row.note, override_reason=row.override_reason, owner=row.owner,
        due=_date(row.due), version=row.version)


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _build(row: m.Review, items: Iterable[m.ReviewItem]) -> Review:
    by_number = {it.number: _domain_item(it) for it in items}
    return Review(review_id=row.review_id, date=_date(row.date),  # type: ignore[arg-type]  # required
                  period=row.period, participants=row.participants, notes=row.notes,
                  items=tuple(by_number.get(s.number, ReviewItem(s.number)) for s in ITEMS),
                  version=row.version)


def reviews() -> list[Review]:
    """Every review, oldest first (by date, then id), with its items (two queries)."""
    with snapshot():
        rows = list(m.Review.select().order_by(m.Review.date, m.Review.review_id))
        items: dict[str, list[m.ReviewItem]] = {}
        for it in m.ReviewItem.select().order_by(m.ReviewItem.number):
            items.setdefault(it.review_id, []).append(it)
    return [_build(r, items.get(r.review_id, ())) for r in rows]


def review(review_id: str, history: int = 3) -> Review:
    """One review with the scores of up to ``history`` reviews before it; NotFoundError."""
    every = reviews()
    for i, r in enumerate(every):
        if r.review_id == review_id:
            return r.with_history(every[max(0, i - history):i])
    raise NotFoundError(f"there is no review '{review_id}' (ips-tui review list shows them)")


# ---------------------------------------------------------------- interchange


def export_rows() -> dict[str, list[dict[str, object]]]:
    """Every review and review item as interchange values (``review``, ``review_item``)."""
    with snapshot():
        return {
            "review": [_review_values(r) for r in m.Review.select()],
            "review_item": [item_values(r) for r in m.ReviewItem.select()],
        }


def existing() -> tuple[dict[str, dict[str, object]], dict[tuple[str, int], dict[str, object]]]:
    """Reviews by id and items by (review id, number), as interchange values."""
    rows = export_rows()
    return ({r["review_id"]: r for r in rows["review"]},  # type: ignore[misc]  # ids are str
            {(i["review_id"], i["number"]): i for i in rows["review_item"]})  # type: ignore[misc]


def apply_import(reviews_in: Sequence[Mapping[str, object]],
                 review_updates: Sequence[tuple[str, Mapping[str, object]]],
                 items_in: Sequence[Mapping[str, object]],
                 item_updates: Sequence[tuple[tuple[str, int], Mapping[str, object]]],
                 now: str, by: str | None) -> int:
    """Write checked review rows inside the caller's import transaction; rows written."""
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    for values in reviews_in:
        m.Review.create(**{k: values.get(k) for k in ("review_id", "date", "period",
                                                       "participants", "notes")}, **stamp)
    for key, changes in review_updates:
        m.Review.update(**changes, updated_at=now, version=m.Review.version + 1).where(
            m.Review.review_id == key).execute()
        audit("update", "review", key, by=by, fields=changes)
    for values in items_in:
        row = _ints({k: values.get(k) for k in ("number", *_ITEM_FIELDS)})
        m.ReviewItem.create(review=values["review_id"], **row, **stamp)
    for (review_id, number), changes in item_updates:
        (m.ReviewItem.update(**_ints(dict(changes)), updated_at=now,
                             version=m.ReviewItem.version + 1)
         .where(m.ReviewItem.review == review_id, m.ReviewItem.number == number).execute())
        audit("update", "review_item", f"{review_id}/{number}", by=by, fields=changes)
    if reviews_in:
        audit("import", "review", f"{len(reviews_in)} added", by=by,
              fields=("review_id", "date", "period", "participants", "notes"))
    if items_in:
        audit("import", "review_item", f"{len(items_in)} added", by=by,
              fields=("number", *_ITEM_FIELDS))
    return len(reviews_in) + len(review_updates) + len(items_in) + len(item_updates)
