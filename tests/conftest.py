"""Shared fixtures: an isolated environment for every test, a fresh database, a small known caseload.

Every test that takes ``db``, ``seeded`` or ``fresh_location`` runs twice: on an SQLite file
(``[sqlite]``) and on PostgreSQL (``[postgresql]``). The PostgreSQL half needs a server:
``IPS_TUI_TEST_PG`` is the URL of a database on it where the tests may create and drop schemas
(``eval "$(.ci/postgres start)"`` starts a throwaway one, as `.ci/run` does). Without it those
tests are skipped, and say why. A test about files only (backups, file permissions) is marked
``sqlite_only`` and runs once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import caseloads
import pytest

from ips_tui.store.db import close_store, open_store

TODAY = dt.date(2026, 11, 23)
PG_ENV = "IPS_TUI_TEST_PG"
_schema_numbers = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about database files; not run on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked sqlite_only has no PostgreSQL variant."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_server = callspec is not None and callspec.params.get("backend") == "postgresql"
        (drop if on_server and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[object]:
    """A connection to the test server for making and dropping schemas (None without one)."""
    url = os.environ.get(PG_ENV)
    if not url:
        yield None
        return
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    yield conn
    conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which kind of database the test runs on."""
    if request.param == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL half: set {PG_ENV} (eval \"$(.ci/postgres start)\")")
    return request.param


@pytest.fixture
def fresh_location(backend: str, tmp_path: Path,
                   pg_admin: object) -> Iterator[Callable[[str], Path | str]]:
    """``make(name)``: the location of a new, empty database: a file in tmp_path, or a schema of
    its own on the test server (a URL whose search_path points at it, dropped afterwards)."""
    schemas: list[str] = []

    def make(name: str) -> Path | str:
        if backend == "sqlite":
            return tmp_path / f"{name}.db"
        schema = f"t{os.getpid()}_{next(_schema_numbers)}_{name}".lower()
        with pg_admin.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(f'CREATE SCHEMA "{schema}"')
        schemas.append(schema)
        base = os.environ[PG_ENV]
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"

    yield make
    close_store()
    for schema in schemas:
        with pg_admin.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute("SET lock_timeout = '20s'")
            cur.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user's data or config: point every location at temporary folders."""
    root = tmp_path_factory.mktemp("env")
    home = root / "home"
    data = root / "xdg-data"
    config = root / "xdg-config"
    for folder in (home, data, config):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("IPS_TUI_DB", str(root / "env-default.db"))
    monkeypatch.delenv("IPS_TUI_SPECIALIST", raising=False)
    yield root
    # Commands run through CliRunner open the store and leave it open: never leak it to the
    # next test.
    close_store()


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def db(fresh_location: Callable[[str], Path | str]):
    """A fresh, open ips-tui database (a file, or a schema on the test server); yields its
    location (a Path, or a URL str) and closes it afterwards."""
    location = fresh_location("ips")
    open_store(location)
    yield location
    close_store()


@pytest.fixture
def outcome_db(fresh_location: Callable[[str], Path | str]):
    """The outcome reports' hand-worked caseload (tests/outcome_caseload.py), open."""
    from outcome_caseload import build_caseload

    location = fresh_location("x")
    open_store(location)
    build_caseload()
    yield location
    close_store()


@dataclass(frozen=True)
class Seeded:
    """What the `seeded` fixture wrote, so tests can refer to it by name."""

    path: Path | str  # the database's location: a file, or a server URL
    specialists: tuple[str, str]
    contact_ids: dict[str, int]
    employer_contact_ids: dict[str, int]


SAM = "Sam Ortiz"
KIM = "Kim Park"


@pytest.fixture
def seeded(db: Path | str) -> Seeded:
    """A small known caseload written through ips_tui.store.writes.

    Specialists: Sam Ortiz, Kim Park.
    Clients (id, first, last, specialist, stage, referral, start):
      C0001 Ana Zeller  Sam employed   2026-08-01 2026-08-10  job J0001 at E0001 from 2026-11-02
      C0002 Ben Adams   Sam job_search 2026-09-20 2026-10-01  employer contact for him 2026-10-20
      C0003 Cara Moss   Kim engaged    2026-10-15 2026-10-20  no employer contact yet
      C0004 Dev Adams   Kim closed     2026-01-05 2026-01-10  closed 2026-06-30
      C0005 Eve Brook   Kim referred   2026-11-20 (no start)
    Employers: E0001 Harbor Hotel (2 contacts, latest 2026-11-10), E0002 Corner Books (none).
    Client contacts: C0001 2026-11-05 in person; 2026-11-12 phone; 2026-11-20 in person *attempt*;
                     C0002 2026-10-15 in person.
    """
    clients = [
        ("C0001", "Ana", "Zeller", SAM, "employed", "2026-08-01", "2026-08-10", None),
        ("C0002", "Ben", "Adams", SAM, "job_search", "2026-09-20", "2026-10-01", None),
        ("C0003", "Cara", "Moss", KIM, "engaged", "2026-10-15", "2026-10-20", None),
        ("C0004", "Dev", "Adams", KIM, "closed", "2026-01-05", "2026-01-10", "2026-06-30"),
        ("C0005", "Eve", "Brook", KIM, "referred", "2026-11-20", None, None),
    ]
    ids = caseloads.write(caseloads.Caseload(
        by=SAM,
        order=("specialists", "clients", "employers", "jobs", "client_contacts",
               "employer_contacts"),
        specialists=[{"name": SAM, "email": "sam@example.org"}, {"name": KIM}],
        clients=[{"client_id": cid, "first_name": first, "last_name": last, "specialist": spec,
                  "stage": stage, "referral_date": referral, "start_date": start,
                  "closed_date": closed, "phone": "555-0100", "_by": spec}
                 for cid, first, last, spec, stage, referral, start, closed in clients],
        employers=[{"employer_id": "E0001", "name": "Harbor Hotel", "industry": "Hospitality"},
                   {"employer_id": "E0002", "name": "Corner Books"}],
        jobs=[{"job_id": "J0001", "client_id": "C0001", "employer_id": "E0001",
               "title": "Housekeeper", "start_date": "2026-11-02",
               "hours_per_week": "20", "hourly_wage": "12.50"}],
        client_contacts=[
            {"_key": "ana_in_person", "client_id": "C0001", "date": "2026-11-05", "specialist": SAM,
             "mode": "in_person", "location": "community", "notes": "First week went well."},
            {"_key": "ana_phone", "client_id": "C0001", "date": "2026-11-12", "specialist": SAM,
             "mode": "phone"},
            {"_key": "ana_attempt", "client_id": "C0001", "date": "2026-11-20", "specialist": SAM,
             "mode": "in_person", "attempted": True},
            {"_key": "ben_in_person", "client_id": "C0002", "date": "2026-10-15", "specialist": SAM,
             "mode": "in_person", "location": "office"},
        ],
        employer_contacts=[
            {"_key": "for_ben", "employer_id": "E0001", "date": "2026-10-20", "specialist": SAM,
             "mode": "in_person", "client_ids": ["C0002"], "hiring_manager": True},
            {"_key": "kim_visit", "_by": KIM, "employer_id": "E0001", "date": "2026-11-10",
             "specialist": KIM, "mode": "phone"},
        ],
    ))
    contact_ids = {k: ids[k] for k in ("ana_in_person", "ana_phone", "ana_attempt", "ben_in_person")}
    employer_contact_ids = {k: ids[k] for k in ("for_ben", "kim_visit")}
    return Seeded(path=db, specialists=(SAM, KIM), contact_ids=contact_ids,
                  employer_contact_ids=employer_contact_ids)
