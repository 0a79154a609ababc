"""Schema versions and the numbered migrations between them.

A new database is created straight at the current schema from the models and stamped with
:data:`SCHEMA_VERSION`. An existing database at an older version runs each numbered migration in
turn, each in its own transaction, after an automatic backup. To change the schema: change the
model, add a function to :data:`MIGRATIONS` under the next number (using playhouse.migrate), and
bump SCHEMA_VERSION.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee as pw

from ips_tui.store import models

SCHEMA_VERSION = 4


def _add_reviews(database: pw.Database) -> None:
    """2: fidelity reviews (the review and review_item tables, as the models make them)."""
    database.create_tables([models.Review, models.ReviewItem])


def _appointments_and_mh_team(database: pw.Database) -> None:
    """Schema 3: planned appointments, the team-contact log, and a client's mental-health
    practitioner and team (two nullable columns). Needs no table of schema 2."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    migrator = SchemaMigrator.from_database(database)
    run(migrator.add_column("client", "mh_practitioner", pw.CharField(null=True)),
        migrator.add_column("client", "mh_team", pw.CharField(null=True)))
    database.create_tables([models.Appointment, models.TeamContact])


#: The indexes schema 4 drops: each is the first column of another index of its table (or of
#: its primary key), which serves every look-up it served; keeping both slowed every write.
REDUNDANT_INDEXES = (
    "job_client_id",  # job_client_id_start_date
    "client_contact_client_id",  # client_contact_client_id_date
    "employer_contact_employer_id",  # employer_contact_employer_id_date
    "employer_contact_client_employer_contact_id",  # the primary key (employer_contact, client)
    "employer_contact_client_client_id",  # employer_contact_client_client_id_employer_contact_id
    "appointment_client_id",  # appointment_client_id_date
    "team_contact_client_id",  # team_contact_client_id_date
    "review_item_review_id",  # review_item_review_id_number (unique)
)


def _drop_redundant_indexes(database: pw.Database) -> None:
    """Schema 4: drop the indexes that another index of the same table covers
    (:data:`REDUNDANT_INDEXES`); nothing else changes."""
    for name in REDUNDANT_INDEXES:
        database.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


#: version N -> the function that takes a database from version N-1 to N.
MIGRATIONS: dict[int, Callable[[pw.Database], None]] = {
    2: _add_reviews,
    3: _appointments_and_mh_team,
    4: _drop_redundant_indexes,
}


def _stamp(version: int) -> None:
    for key, value in (("app", "ips-tui"), ("schema_version", str(version))):
        (models.Meta.insert(key=key, value=value)
         .on_conflict(conflict_target=[models.Meta.key], update={models.Meta.value: value})
         .execute())


def create_schema(database: pw.Database) -> None:
    """Create every table at the current schema and stamp the version."""
    with database.atomic():
        database.create_tables(models.ALL_MODELS)
        _stamp(SCHEMA_VERSION)


def migrate(database: pw.Database, current: int, path: Path | None = None) -> None:
    """Bring a database from schema ``current`` (0 = empty) up to SCHEMA_VERSION."""
    if current == 0:
        create_schema(database)
        return
    if path is not None:
        from ips_tui.store.backup import backup_before_migration

        backup_before_migration(database, path, current)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        step = MIGRATIONS[version]
        with database.atomic():
            step(database)
            _stamp(version)
