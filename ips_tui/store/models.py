"""The peewee models: one table per IPS record kind, bound to a database at run time.

Indexes: a reference to a client (or an employer, an employer contact) has no index of its own
when an index of the table starts with it (``(client, date)``, the composite primary key), which
serves the same look-ups (schema 4 dropped those that were there twice).

Dates are calendar dates (peewee's DateField, ISO text in SQLite); audit timestamps are UTC ISO
8601 strings. Editable records carry ``created_at``, ``updated_at`` and a ``version`` that goes up by
one on every save, so a save based on a stale copy can be refused (optimistic concurrency).
"""

from __future__ import annotations

import peewee as pw

#: Bound to a real database by :func:`ips_tui.store.db.open_store`.
database = pw.DatabaseProxy()


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the database itself: the app that owns it and its schema version."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField()

    class Meta:
        table_name = "ips_meta"


class Setting(BaseModel):
    """Program settings kept in the database, shared by everyone who uses it."""

    key = pw.CharField(primary_key=True)
    value = pw.TextField()


class Tracked(BaseModel):
    """A record with audit timestamps and a version for optimistic concurrency."""

    created_at = pw.CharField()
    updated_at = pw.CharField()
    version = pw.IntegerField(default=1)


class Specialist(Tracked):
    """An IPS employment specialist, who carries a caseload of clients."""

    name = pw.CharField(unique=True)
    email = pw.CharField(null=True)
    active = pw.BooleanField(default=True)


class Client(Tracked):
    """A person served by the program, with their preferences and where they stand."""

    client_id = pw.CharField(primary_key=True)
    first_name = pw.CharField(null=True)
    last_name = pw.CharField()
    specialist = pw.ForeignKeyField(Specialist, backref="clients", on_delete="RESTRICT")
    referral_date = pw.DateField(null=True)
    start_date = pw.DateField(null=True)  # first meeting with the specialist
    stage = pw.CharField(index=True)
    closed_date = pw.DateField(null=True)
    closed_reason = pw.TextField(null=True)
    phone = pw.CharField(null=True)
    email = pw.CharField(null=True)
    job_goal = pw.TextField(null=True)
    job_types = pw.TextField(null=True)
    preferred_hours = pw.CharField(null=True)
    transport = pw.TextField(null=True)
    disclosure = pw.CharField(null=True)
    benefits_planning = pw.CharField(null=True)
    benefits_planning_date = pw.DateField(null=True)  # when benefits planning was offered
    next_step = pw.TextField(null=True)
    discuss = pw.BooleanField(default=False)  # discuss at the team meeting
    discuss_note = pw.TextField(null=True)
    notes = pw.TextField(null=True)
    mh_practitioner = pw.CharField(null=True)  # care coordinator / case manager (schema 3)
    mh_team = pw.CharField(null=True)  # the mental-health team (schema 3)


class Employer(Tracked):
    """An employer the specialists build a relationship with."""

    employer_id = pw.CharField(primary_key=True)
    name = pw.CharField(index=True)
    industry = pw.CharField(null=True)
    contact_name = pw.CharField(null=True)
    phone = pw.CharField(null=True)
    email = pw.CharField(null=True)
    address = pw.TextField(null=True)
    notes = pw.TextField(null=True)


class Job(Tracked):
    """A job a client holds or held."""

    job_id = pw.CharField(primary_key=True)
    client = pw.ForeignKeyField(Client, backref="jobs", on_delete="CASCADE", index=False)
    employer = pw.ForeignKeyField(Employer, backref="jobs", null=True, on_delete="SET NULL")
    title = pw.CharField()
    start_date = pw.DateField()
    end_date = pw.DateField(null=True)
    hours_per_week = pw.FloatField(null=True)
    hourly_wage = pw.FloatField(null=True)
    competitive = pw.BooleanField(default=True)
    end_reason = pw.TextField(null=True)

    class Meta:
        indexes = ((("client", "start_date"), False),)


class ClientContact(Tracked):
    """A contact with a client (or an outreach attempt that did not reach them)."""

    client = pw.ForeignKeyField(Client, backref="contacts", on_delete="CASCADE", index=False)
    date = pw.DateField()
    specialist = pw.ForeignKeyField(Specialist, on_delete="RESTRICT")
    mode = pw.CharField()
    location = pw.CharField(null=True)  # community / office
    attempted = pw.BooleanField(default=False)
    notes = pw.TextField(null=True)

    class Meta:
        indexes = ((("client", "date"), False),)


class EmployerContact(Tracked):
    """A specialist's contact with an employer, often on behalf of named clients."""

    employer = pw.ForeignKeyField(Employer, backref="contacts", on_delete="CASCADE",
                                  index=False)
    date = pw.DateField(index=True)
    specialist = pw.ForeignKeyField(Specialist, on_delete="RESTRICT")
    mode = pw.CharField()
    hiring_manager = pw.BooleanField(default=False)
    notes = pw.TextField(null=True)

    class Meta:
        indexes = ((("employer", "date"), False),)


class EmployerContactClient(BaseModel):
    """Which clients an employer contact was made on behalf of (many-to-many)."""

    employer_contact = pw.ForeignKeyField(EmployerContact, backref="on_behalf",
                                          on_delete="CASCADE", index=False)
    client = pw.ForeignKeyField(Client, backref="employer_contacts", on_delete="CASCADE",
                                index=False)

    class Meta:
        primary_key = pw.CompositeKey("employer_contact", "client")
        indexes = ((("client", "employer_contact"), False),)


class Review(Tracked):
    """A fidelity review of one period (schema 2): when, who took part, and its 25 items."""

    review_id = pw.CharField(primary_key=True)
    date = pw.DateField()
    period = pw.CharField()  # 2026Q3 or 2026-10
    participants = pw.TextField(null=True)
    notes = pw.TextField(null=True)


class ReviewItem(Tracked):
    """One of a review's 25 items: the score from the records (kept when the team overrides
    it), the team's score, the figure and evidence, the note and the action plan's owner and
    date."""

    review = pw.ForeignKeyField(Review, backref="items", on_delete="CASCADE", index=False)
    number = pw.IntegerField()
    computed_score = pw.IntegerField(null=True)
    score = pw.IntegerField(null=True)  # the team's (an override when computed_score is set)
    figure = pw.TextField(null=True)
    evidence = pw.TextField(null=True)  # one record or detail per line
    note = pw.TextField(null=True)
    override_reason = pw.TextField(null=True)
    owner = pw.CharField(null=True)
    due = pw.DateField(null=True)

    class Meta:
        indexes = ((("review", "number"), True),)


class Appointment(Tracked):
    """A planned meeting with a client, and what became of it (schema 3).

    ``status``: planned, done, missed (not reached) or cancelled (vocab.APPOINTMENT_STATUSES).
    ``time`` is ``HH:MM`` in the specialist's local time, or None for a day without a time.
    """

    client = pw.ForeignKeyField(Client, backref="appointments", on_delete="CASCADE",
                                index=False)
    date = pw.DateField(index=True)
    time = pw.CharField(null=True)
    mode = pw.CharField()
    location = pw.CharField(null=True)  # where: free text ("office", "Cafe on High St")
    specialist = pw.ForeignKeyField(Specialist, on_delete="RESTRICT")
    status = pw.CharField(default="planned")
    notes = pw.TextField(null=True)

    class Meta:
        indexes = ((("client", "date"), False),)


class TeamContact(Tracked):
    """The specialist discussed a client with their mental-health practitioner or at the
    mental-health team meeting (schema 3)."""

    client = pw.ForeignKeyField(Client, backref="team_contacts", on_delete="CASCADE",
                                index=False)
    date = pw.DateField()
    specialist = pw.ForeignKeyField(Specialist, on_delete="RESTRICT")
    who = pw.CharField(null=True)  # the practitioner, or "team meeting"
    notes = pw.TextField(null=True)

    class Meta:
        indexes = ((("client", "date"), False),)


class AuditEntry(BaseModel):
    """Who changed what and when: one row per create, update or delete."""

    at = pw.CharField()  # UTC ISO 8601
    specialist = pw.CharField(null=True)  # the specialist using the app or CLI, when known
    action = pw.CharField()  # create / update / delete
    entity = pw.CharField()  # table name
    entity_id = pw.CharField()
    client_id = pw.CharField(null=True, index=True)  # the client the change concerns, if any
    fields = pw.TextField(null=True)  # JSON list of changed field names (never their values)

    class Meta:
        table_name = "audit_log"


#: Every table, in an order that satisfies foreign keys on creation.
ALL_MODELS: tuple[type[BaseModel], ...] = (
    Meta,
    Setting,
    Specialist,
    Client,
    Employer,
    Job,
    ClientContact,
    EmployerContact,
    EmployerContactClient,
    Appointment,
    TeamContact,
    AuditEntry,
    Review,
    ReviewItem,
)
