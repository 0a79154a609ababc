"""Likely duplicate clients: the rule for "the same person's name", and pairs found by it.

Two names are the same when they differ only in case, accents, spacing, punctuation, or the
order of first and last name: "José  García" is "garcia, jose" and "GARCIA Jose", but "Ann Lee"
is not "Anne Lee". A name is reduced to keys (:func:`name_keys`); two names match when they
share one. Pure: no clock, no database.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

__all__ = ["NameKey", "name_tokens", "name_keys", "same_name", "NamedClient", "DuplicatePair", "duplicate_pairs", "first_duplicate_pairs"]

NameKey = tuple[str, ...]

#: Marks dropped inside a word ("O'Brien" is "OBrien"); every other character that is not a
#: letter or a digit separates words ("Garcia, Jose", "Mary-Jane", "J.R.").
_JOINERS = re.compile("['\u2019\u2018`\u00b4\u02bc]")
_SEPARATORS = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """Lower case without accents: NFKD, combining marks dropped, case folded."""
    if text.isascii():  # nothing to decompose; ASCII folds as it lowers
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold()


def name_tokens(text: str | None) -> list[str]:
    """The words of a name as compared: folded, punctuation and spacing gone, in order."""
    if not text:
        return []
    return [t for t in _SEPARATORS.split(_JOINERS.sub("", _fold(text))) if t]


def name_keys(first_name: str | None, last_name: str | None) -> frozenset[NameKey]:
    """The keys of a client's name (first and last name, either may be empty): its words sorted,
    and its two names each with their spacing removed, sorted (so "Mary Jane" "Smith" meets
    "MaryJane" "Smith" and "Maria" "De la Cruz" meets "Maria" "Delacruz"). No words, no keys:
    an empty name matches nothing."""
    first, last = name_tokens(first_name), name_tokens(last_name)
    words = first + last
    if not words:
        return frozenset()
    joined = tuple(sorted("".join(part) for part in (first, last) if part))
    return frozenset({tuple(sorted(words)), joined})


def same_name(a_first: str | None, a_last: str | None, b_first: str | None, b_last: str | None) -> bool:
    """Whether two clients' names are the same person's name by this rule."""
    return bool(name_keys(a_first, a_last) & name_keys(b_first, b_last))


@dataclass(frozen=True, slots=True)
class NamedClient:
    """What the rule needs of a client: its id and name."""

    client_id: str
    first_name: str | None
    last_name: str | None


class DuplicatePair(NamedTuple):
    """Two clients with the same name; ``first`` sorts before ``second`` by id."""

    first: str
    second: str


def duplicate_pairs(clients: Sequence[NamedClient], among: Iterable[str] | None = None) -> list[DuplicatePair]:
    """Every pair of ``clients`` with the same name, sorted by id; with ``among`` (client ids),
    only pairs with at least one client in it (those imported, say: pairs among them and between
    them and the others)."""
    wanted = None if among is None else set(among)
    by_key: dict[NameKey, list[str]] = defaultdict(list)
    for c in clients:
        for key in name_keys(c.first_name, c.last_name):
            by_key[key].append(c.client_id)
    pairs: set[tuple[str, str]] = set()
    for ids in by_key.values():
        if len(ids) < 2:
            continue
        unique = sorted(set(ids))
        if wanted is None or wanted.issuperset(unique):
            pairs.update(combinations(unique, 2))
        else:
            pairs.update((a, b) for a, b in combinations(unique, 2)
                         if a in wanted or b in wanted)
    return list(map(DuplicatePair._make, sorted(pairs)))


def first_duplicate_pairs(clients: Sequence[NamedClient], among: Iterable[str] | None = None,
                          first: int = 50) -> tuple[list[DuplicatePair], int]:
    """The first ``first`` pairs of :func:`duplicate_pairs` (same ``clients`` and ``among``) and
    how many pairs it has in all, without making every pair: common names in a big program make
    millions of them (a thousand clients of one name are half a million pairs).

    Counted per name key: a key shared by n clients, w of them in ``among``, holds n(n-1)/2 pairs
    less the (n-w)(n-w-1)/2 with no client in ``among``. A client has one or two keys
    (:func:`name_keys`); a pair is counted under two keys exactly when both clients have the same
    two keys, so those pairs, counted the same way per pair of keys, are taken off once."""
    wanted = None if among is None else set(among)
    by_key: dict[NameKey, list[str]] = defaultdict(list)
    by_keys: dict[frozenset[NameKey], list[str]] = defaultdict(list)
    for c in clients:
        keys = name_keys(c.first_name, c.last_name)
        for key in keys:
            by_key[key].append(c.client_id)
        if len(keys) == 2:
            by_keys[keys].append(c.client_id)

    def pairs_in(ids: list[str]) -> int:
        n = len(ids)
        others = n if wanted is None else sum(1 for i in ids if i not in wanted)
        return n * (n - 1) // 2 - (others * (others - 1) // 2 if wanted is not None else 0)

    total = (sum(pairs_in(ids) for ids in by_key.values() if len(ids) > 1)
             - sum(pairs_in(ids) for ids in by_keys.values() if len(ids) > 1))
    groups = {key: ids for key, ids in by_key.items() if len(ids) > 1}
    del by_key, by_keys
    for ids in groups.values():
        ids.sort()
    chosen: dict[NameKey, list[str]] = {}  # the wanted clients of a key, made when asked for

    def wanted_of(key: NameKey) -> list[str]:
        if key not in chosen:
            chosen[key] = [i for i in groups[key] if wanted is None or i in wanted]
        return chosen[key]

    shown: list[DuplicatePair] = []
    named = {c.client_id: c for c in clients}
    for a in sorted({i for ids in groups.values() for i in ids}):
        need = first - len(shown)
        if need <= 0:
            break
        partners: set[str] = set()
        for key in name_keys(named[a].first_name, named[a].last_name):
            if key not in groups:
                continue
            # partners after a: anyone when a is wanted, else only the wanted
            pool = groups[key] if wanted is None or a in wanted else wanted_of(key)
            start = bisect_right(pool, a)
            partners.update(pool[start:start + need])
        shown.extend(DuplicatePair(a, b) for b in sorted(partners)[:need])
    return shown, total

