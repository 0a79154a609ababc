"""ips_tui.domain.duplicates: the "same person's name" rule and the pairs it finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ips_tui.domain.duplicates import (
    DuplicatePair,
    NamedClient,
    duplicate_pairs,
    first_duplicate_pairs,
    name_keys,
    name_tokens,
    same_name,
)


@pytest.mark.parametrize(("a", "b"), [
    (("José", "García"), ("jose", "garcia")),  # case and accents
    (("José  García", None), ("garcia, jose", None)),  # one field, spacing, comma, order
    (("José", "García"), ("García", "José")),  # first and last swapped
    (("José", "García"), (None, "GARCIA Jose")),  # all in the last name
    (("  Ana ", "Zeller\t"), ("ana", "zeller")),  # spaces and tabs around
    (("Mary-Jane", "Smith"), ("Mary Jane", "Smith")),  # a hyphen separates words
    (("MaryJane", "Smith"), ("Mary Jane", "Smith")),  # spacing inside one name
    (("Maria", "De la Cruz"), ("maria", "Delacruz")),
    (("Ann Lee", None), ("Ann", "Le E")),  # spacing inside the last name
    (("Sean", "O'Brien"), ("Seán", "OBrien")),  # an apostrophe is dropped, not a break
    (("Sean", "O\u2019Brien"), ("sean", "o'brien")),  # typographic apostrophe
    (("Zoë", "Müller"), ("ZOE", "MULLER")),
    (("Ǆemal", "Šarić"), ("dzemal", "saric")),  # compatibility letters (NFKD)
    (("Straße", "Ann"), ("STRASSE", "ann")),  # casefold
])
def test_the_same_name(a, b):
    assert same_name(*a, *b)
    assert same_name(*b, *a)


@pytest.mark.parametrize(("a", "b"), [
    (("Ann", "Lee"), ("Anne", "Lee")),  # one letter more is another name
    (("Ann", "Lee"), ("Ann", "Leeds")),
    (("Ann", "Lee"), ("Ann", "Lee Smith")),  # a word more
    (("Ann", "Lee"), ("Ann", None)),
    (("Ben", "Adams"), ("Dev", "Adams")),  # same family name only
    (("Ann", "Lee"), ("Lee", "Lee")),
    (("", "..."), ("", "---")),  # no letters: never a match
    ((None, ""), (None, "")),
])
def test_not_the_same_name(a, b):
    assert not same_name(*a, *b)


def test_tokens_fold_and_split():
    assert name_tokens("  García, JOSÉ-Luis ") == ["garcia", "jose", "luis"]
    assert name_tokens(None) == []
    assert name_tokens("O'Neil") == ["oneil"]


def test_an_empty_name_has_no_keys():
    assert name_keys(None, "  ,. ") == frozenset()


def c(cid: str, first: str | None, last: str | None) -> NamedClient:
    return NamedClient(cid, first, last)


CLIENTS = [
    c("C0001", "Ana", "Zeller"),
    c("C0002", "ana", "ZELLER"),
    c("C0003", "Zeller", "Ána"),
    c("C0004", "Ben", "Adams"),
    c("C0005", "Dev", "Adams"),
    c("C0006", "Ben", "Adams"),
]


def test_every_pair_once_sorted_by_id():
    assert duplicate_pairs(CLIENTS) == [
        DuplicatePair("C0001", "C0002"), DuplicatePair("C0001", "C0003"),
        DuplicatePair("C0002", "C0003"), DuplicatePair("C0004", "C0006"),
    ]


def test_pairs_among_some_clients_and_with_the_others():
    # imported C0003 and C0006: pairs among them (none) and with the existing ones
    assert duplicate_pairs(CLIENTS, among=["C0003", "C0006"]) == [
        DuplicatePair("C0001", "C0003"), DuplicatePair("C0002", "C0003"),
        DuplicatePair("C0004", "C0006"),
    ]
    assert duplicate_pairs(CLIENTS, among=["C0005"]) == []
    assert duplicate_pairs(CLIENTS, among=[]) == []


def test_a_client_is_never_its_own_duplicate():
    # a name whose two keys are the same (one word) and a client listed twice
    assert duplicate_pairs([c("C1", None, "Cher"), c("C1", None, "Cher")]) == []



#: (first name, last name): same names in several spellings, two-key names ("Mary Jane"), none.
NAMES = [("Ana", "Zeller"), ("ana", "zeller"), ("Zeller", "Ana"), ("Mary Jane", "Smith"),
         ("MaryJane", "Smith"), ("Mary", "Jane Smith"), ("Jane Mary", "Smith"),
         ("José", "García"), ("Jose", "Garcia"), ("Ann", "Lee"), ("", ""), ("Lee", "Ann")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAMES), max_size=30), st.data())
def test_the_first_pairs_and_their_count_are_those_of_every_pair(names, data):
    clients = [NamedClient(f"C{data.draw(st.integers(0, 99)):03d}-{i}", first, last)
               for i, (first, last) in enumerate(names)]
    ids = [c.client_id for c in clients] or ["C-none"]
    among = data.draw(st.none() | st.lists(st.sampled_from(ids), max_size=8))
    first = data.draw(st.integers(0, 12))
    every = duplicate_pairs(clients, among=among)
    shown, total = first_duplicate_pairs(clients, among=among, first=first)
    assert total == len(every)
    assert shown == every[:first]
