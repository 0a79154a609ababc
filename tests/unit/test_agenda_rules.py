"""The agenda's rules at their edges: each section's date windows (through the store, so the SQL
filters are checked too), closed clients, the default meeting date, and the pure domain pieces
(initials, redaction, the JSON shape)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import facts_helpers as facts
import pytest
from click.testing import CliRunner

from ips_tui import services, vocab
from ips_tui.cli import cli
from ips_tui.domain.agenda import Agenda, AgendaInputs, build_agenda, initials, next_weekday
from ips_tui.domain.facts import ContactSummary, Specialist
from ips_tui.domain.reminders import Reminder
from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store

M = dt.date(2024, 5, 14)  # a Tuesday
SAM = "Sam Ortiz"


def at(days: int) -> dt.date:
    """M moved by ``days``."""
    return M + dt.timedelta(days=days)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("IPS_TUI_DB", str(tmp_path / "default-from-env.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("IPS_TUI_SPECIALIST", raising=False)
    yield
    close_store()


@pytest.fixture
def db(fresh_location):
    path = fresh_location("x")
    open_store(path)
    writes.add_specialist(SAM)
    writes.create_employer({"employer_id": "E1", "name": "Acme Stores"})
    yield path
    close_store()


def client(cid: str, stage: str = "job_search", spec: str = SAM, **more) -> str:
    values = {"client_id": cid, "first_name": "Test", "last_name": f"Client {cid}",
              "specialist": spec, "stage": stage, **more}
    if stage == "closed":
        values.setdefault("closed_date", at(-1))
    return writes.create_client(values)


def job(cid: str, start: dt.date, end: dt.date | None = None, jid: str | None = None,
        reason: str | None = None) -> str:
    return writes.create_job({"job_id": jid, "client_id": cid, "employer_id": "E1",
                              "title": "Shelf stacker", "start_date": start, "end_date": end,
                              "end_reason": reason})


def contact(cid: str, when: dt.date, mode: str = "in_person", attempted: bool = False) -> None:
    writes.add_client_contact({"client_id": cid, "date": when, "specialist": SAM, "mode": mode,
                               "attempted": attempted})


def employer_contact(when: dt.date, mode: str = "in_person", cids=(), spec: str = SAM) -> None:
    writes.add_employer_contact({"employer_id": "E1", "date": when, "specialist": spec,
                                 "mode": mode, "client_ids": list(cids)})


def ids(items) -> list[str]:
    return [i.client_id for i in items]


# ------------------------------------------------------------------------------------------------
# Windows


def test_job_starts_past_and_coming_week(db):
    for cid, offset in [("S-8", -8), ("S-7", -7), ("S-1", -1), ("Sp0", 0), ("Sp6", 6), ("Sp7", 7)]:
        client(cid)
        job(cid, at(offset))
    a = services.agenda(M)
    assert ids(a.job_starts) == ["S-7", "S-1"]
    assert ids(a.upcoming_job_starts) == ["Sp0", "Sp6"]
    assert [j.start_date for j in a.job_starts] == [at(-7), at(-1)]
    assert all(j.job_id for j in a.job_starts + a.upcoming_job_starts)


def test_job_ends_in_the_past_week(db):
    for cid, offset in [("E-8", -8), ("E-7", -7), ("E-1", -1), ("Ep0", 0), ("Ep3", 3)]:
        client(cid)
        job(cid, at(-100), end=at(offset), reason=f"reason {cid}")
    a = services.agenda(M)
    assert ids(a.job_ends) == ["E-7", "E-1"]
    assert [j.end_reason for j in a.job_ends] == ["reason E-7", "reason E-1"]
    assert a.job_starts == () and a.upcoming_job_starts == ()


def test_new_referrals_in_the_past_week_and_everyone_not_met_yet(db):
    for cid, offset in [("R-8", -8), ("R-7", -7), ("R-1", -1), ("Rp0", 0)]:
        client(cid, stage="referred", referral_date=at(offset))
    client("R-none", stage="referred")
    # Met: a start date, or a contact that reached them up to and including M.
    client("met-8-started", stage="engaged", referral_date=at(-8), start_date=at(-6))
    client("met-9-on-M", stage="referred", referral_date=at(-9))
    contact("met-9-on-M", at(0))
    client("met-2-contact", stage="referred", referral_date=at(-2))
    contact("met-2-contact", at(-1))
    client("tried-40", stage="referred", referral_date=at(-40))  # an attempt is not a meeting
    contact("tried-40", at(-3), attempted=True)
    client("after-M-12", stage="referred", referral_date=at(-12))  # a contact after M does not count
    contact("after-M-12", at(1))
    a = services.agenda(M)
    by_id = {r.client_id: r for r in a.new_referrals}
    # Referred in the past week [M-7, M-1], met or not; before that or on M, only if not met.
    assert ids(a.new_referrals) == ["R-none", "tried-40", "after-M-12", "R-8", "R-7", "met-2-contact",
                                    "R-1", "Rp0"]
    assert [(r.met, r.days_since_referral) for r in a.new_referrals] == [
        (False, None), (False, 40), (False, 12), (False, 8), (False, 7), (True, 2), (False, 1),
        (False, 0)]
    assert by_id["R-7"].referral_date == at(-7)
    text = __import__("ips_tui.reports.agenda", fromlist=["render"]).render(a, "md")
    assert "not met yet, referred 40 days ago" in text and "not met yet, referred 0 days ago" in text


def test_outreach_is_more_than_30_days_without_reaching_them_up_to_the_meeting_day(db):
    client("edge-in", referral_date=at(-90))
    contact("edge-in", at(-30))  # M - 30: not more than 30 days
    client("edge-out", referral_date=at(-90))
    contact("edge-out", at(-31))  # M - 31: outreach
    client("on-meeting-day", referral_date=at(-90))
    contact("on-meeting-day", at(0))  # logged on M counts
    client("future", referral_date=at(-90))
    contact("future", at(3))  # after M: not counted, so never reached since referral
    client("attempt-only", referral_date=at(-90))
    contact("attempt-only", at(-1), mode="phone", attempted=True)
    client("phone", referral_date=at(-90))
    contact("phone", at(-5), mode="phone")  # any mode counts
    client("old-and-tried", referral_date=at(-90))
    contact("old-and-tried", at(-40))
    contact("old-and-tried", at(-2), attempted=True)
    contact("old-and-tried", at(-9), attempted=True)
    client("referred-yesterday", stage="referred", referral_date=at(-1))  # not lost: just referred
    client("referred-30", stage="referred", referral_date=at(-30))
    client("referred-31", stage="referred", referral_date=at(-31))
    client("started-31", stage="engaged", referral_date=at(-60), start_date=at(-31))
    client("started-30", stage="engaged", referral_date=at(-60), start_date=at(-30))
    client("never-and-no-dates")
    a = services.agenda(M)
    by_id = {n.client_id: n for n in a.no_recent_contact}
    assert set(by_id) == {"edge-out", "future", "attempt-only", "old-and-tried", "referred-31",
                          "started-31", "never-and-no-dates"}
    assert (by_id["edge-out"].last_contact, by_id["edge-out"].days_since_contact) == (at(-31), 31)
    assert (by_id["edge-out"].counted_from, by_id["edge-out"].days_without_contact) == (at(-31), 31)
    assert by_id["edge-out"].last_attempt is None
    assert by_id["attempt-only"].last_contact is None
    assert by_id["attempt-only"].last_attempt == at(-1)
    assert by_id["attempt-only"].counted_from == at(-90)
    assert (by_id["old-and-tried"].last_contact, by_id["old-and-tried"].last_attempt) == (at(-40), at(-2))
    assert (by_id["started-31"].counted_from, by_id["started-31"].days_without_contact) == (at(-31), 31)
    assert (by_id["referred-31"].last_contact, by_id["referred-31"].counted_from) == (None, at(-31))
    assert by_id["never-and-no-dates"].counted_from is None
    assert by_id["future"].last_contact is None and by_id["future"].days_since_contact is None
    # Longest without contact first: unknown first, then the oldest date counted from.
    assert ids(a.no_recent_contact) == ["never-and-no-dates", "attempt-only", "future",
                                        "old-and-tried", "edge-out", "referred-31", "started-31"]


def test_employer_contacts_of_the_past_week_per_specialist(db):
    writes.add_specialist("Ali Khan")  # active, no contacts: listed with 0
    writes.add_specialist("Old Hand", active=False)  # inactive, no contacts: not listed
    writes.add_specialist("Gone Soon", active=False)  # inactive but worked last week: listed
    client("C1")
    client("C2")
    employer_contact(at(-8))  # outside
    employer_contact(at(-7), cids=["C1"])
    employer_contact(at(-3), cids=["C1", "C2"])
    employer_contact(at(-1), mode="phone")
    employer_contact(at(0))  # outside: the meeting day is the coming week
    employer_contact(at(-2), spec="Gone Soon", mode="video", cids=["C2"])
    a = services.agenda(M)
    summary = {e.specialist: (e.in_person, e.on_behalf, e.total) for e in a.employer_contacts}
    assert summary == {"Ali Khan": (0, 0, 0), "Gone Soon": (0, 1, 1), SAM: (2, 2, 3)}
    assert [e.specialist for e in a.employer_contacts] == ["Ali Khan", "Gone Soon", SAM]
    assert all(e.target == vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET for e in a.employer_contacts)


def test_employer_contact_target_met_at_six_in_person(db):
    for k in range(6):
        employer_contact(at(-1 - k))
    a = services.agenda(M)
    (sam,) = a.employer_contacts
    assert (sam.in_person, sam.met_target) == (6, True)
    writes.add_specialist("Five Only")
    for k in range(5):
        employer_contact(at(-1 - k), spec="Five Only")
    employer_contact(at(-1), spec="Five Only", mode="phone")
    five = [e for e in services.agenda(M).employer_contacts if e.specialist == "Five Only"][0]
    assert (five.in_person, five.total, five.met_target) == (5, 6, False)


def test_caseload_counts_and_who_holds_a_job_on_the_meeting_day(db):
    writes.add_specialist("Ali Khan")
    client("starts-today", stage="employed")
    job("starts-today", at(0))
    client("ends-today", stage="employed")
    job("ends-today", at(-10), end=at(0))
    client("ended-yesterday", stage="job_search")
    job("ended-yesterday", at(-10), end=at(-1))
    client("starts-tomorrow", stage="job_search")
    job("starts-tomorrow", at(1))
    client("two-jobs", stage="employed")
    job("two-jobs", at(-50))
    job("two-jobs", at(-20))
    client("referred", stage="referred")
    client("closed-working", stage="closed")
    job("closed-working", at(-30))
    a = services.agenda(M)
    by_spec = {c.specialist: c for c in a.caseloads}
    assert set(by_spec) == {SAM, "Ali Khan"}
    sam = by_spec[SAM]
    assert sam.open_clients == 6
    assert sam.currently_employed == 3  # starts-today, ends-today, two-jobs (once)
    assert sam.stages == {"referred": 1, "engaged": 0, "job_search": 2, "employed": 3,
                          "education": 0}
    assert (by_spec["Ali Khan"].open_clients, by_spec["Ali Khan"].currently_employed) == (0, 0)
    assert not sam.over_target


def test_caseload_over_target():
    clients = [facts.client(f"C{i}", stage="engaged", spec=SAM, name="A B") for i in range(21)]
    a = build_agenda(M, AgendaInputs(specialists=(Specialist(SAM),), clients=tuple(clients)))
    (sam,) = a.caseloads
    assert (sam.open_clients, sam.target, sam.over_target) == (21, vocab.CASELOAD_TARGET, True)
    a = build_agenda(M, AgendaInputs(specialists=(Specialist(SAM),), clients=tuple(clients[:20])))
    assert not a.caseloads[0].over_target


def test_discussion_lists_flagged_open_clients_with_note_and_next_step(db):
    client("flagged", discuss=True, discuss_note="Talk about hours", next_step="Call the manager")
    client("flagged-no-note", discuss=True)
    client("not-flagged", discuss_note="Old note")
    client("closed-flagged", stage="closed", discuss=True, discuss_note="Closed")
    a = services.agenda(M)
    assert [(x.client_id, x.note, x.next_step) for x in a.discussion] == [
        ("flagged", "Talk about hours", "Call the manager"),
        ("flagged-no-note", None, None),
    ]


def test_reminders_are_those_due_by_m_plus_6_grouped_by_specialist(db):
    writes.add_specialist("Ali Khan")
    days = vocab.FIRST_EMPLOYER_CONTACT_DAYS
    client("due-m6", start_date=at(6 - days))  # first employer contact due M + 6: listed
    client("due-m7", start_date=at(7 - days))  # due M + 7: not listed
    client("overdue", start_date=at(-1 - days), spec="Ali Khan")
    client("closed", stage="closed", start_date=at(-days))
    a = services.agenda(M)
    assert [(r.specialist, r.client_id, r.status, r.due) for r in a.reminders] == [
        ("Ali Khan", "overdue", "overdue", at(-1)),
        (SAM, "due-m6", "due", at(6)),
    ]
    assert sorted(a.reminders, key=lambda r: r.client_id) == sorted(
        services.reminders(M, within=6), key=lambda r: r.client_id)
    assert [name for name, _ in a.reminders_by_specialist()] == ["Ali Khan", SAM]


def test_closed_clients_are_on_no_list(db):
    client("closed", stage="closed", referral_date=at(-3), start_date=at(-3), discuss=True,
           discuss_note="secret", closed_date=at(-1))
    job("closed", at(-5), end=at(-2), reason="ended")
    job("closed", at(2))
    employer_contact(at(-2), cids=["closed"])
    a = services.agenda(M)
    data = a.to_dict()
    for key in ("reminders", "job_starts", "upcoming_job_starts", "job_ends", "new_referrals",
                "no_recent_contact", "discussion"):
        assert data[key] == [], key
    assert data["caseloads"][0]["open_clients"] == 0
    assert data["employer_contacts"][0]["on_behalf"] == 1  # the contact itself still counts


# ------------------------------------------------------------------------------------------------
# The default meeting date


@pytest.mark.parametrize(("today", "expected"), [
    ("2024-05-13", "2024-05-14"),  # Monday -> Tuesday
    ("2024-05-14", "2024-05-14"),  # Tuesday -> the same day
    ("2024-05-15", "2024-05-21"),  # Wednesday -> next Tuesday
    ("2024-05-19", "2024-05-21"),  # Sunday
    ("2024-12-31", "2024-12-31"),  # a Tuesday at the year end
    ("2025-01-01", "2025-01-07"),
])
def test_next_meeting_date_default_tuesday(db, today, expected):
    assert services.meeting_weekday() == vocab.DEFAULT_MEETING_WEEKDAY == 1
    assert services.next_meeting_date(dt.date.fromisoformat(today)) == dt.date.fromisoformat(expected)


def test_next_meeting_date_follows_the_setting(db):
    writes.set_setting(services.MEETING_WEEKDAY_KEY, "4")  # Friday
    assert services.next_meeting_date(dt.date(2024, 5, 14)) == dt.date(2024, 5, 17)
    assert services.next_meeting_date(dt.date(2024, 5, 17)) == dt.date(2024, 5, 17)
    assert services.next_meeting_date(dt.date(2024, 5, 18)) == dt.date(2024, 5, 24)
    writes.set_setting(services.MEETING_WEEKDAY_KEY, "9")  # nonsense: back to Tuesday
    assert services.next_meeting_date(dt.date(2024, 5, 15)) == dt.date(2024, 5, 21)


def test_cli_default_date_follows_the_setting(db):
    writes.set_setting(services.MEETING_WEEKDAY_KEY, "4")
    close_store()
    today = dt.date(2024, 5, 14)  # a Tuesday; the setting moves the meeting to Friday
    result = CliRunner().invoke(cli, ["agenda", "--db", str(db), "--format", "json",
                                      "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    meeting = dt.date.fromisoformat(json.loads(result.output)["meeting_date"])
    assert meeting == next_weekday(today, 4) == dt.date(2024, 5, 17)


def test_next_weekday_every_day_of_a_week():
    for offset in range(7):
        today = M + dt.timedelta(days=offset)
        for weekday in range(7):
            got = next_weekday(today, weekday)
            assert got.weekday() == weekday and 0 <= (got - today).days <= 6


# ------------------------------------------------------------------------------------------------
# The pure domain pieces


@pytest.mark.parametrize(("first", "last", "expected"), [
    ("Ann", "Patel", "A.P."),
    ("Mary Ann", "van der Berg", "M.A.V.D.B."),
    (None, "Patel", "P."),
    ("", "", "?"),
    ("'Ann'", "O'Brien", "A.O."),
    ("élodie", "Łukasz", "É.Ł."),
])
def test_initials(first, last, expected):
    assert initials(first, last) == expected


def _facts_agenda() -> Agenda:
    clients = (
        facts.client("C1", referral=at(-50), stage="employed", spec=SAM, name="Ann Patel",
                     discuss=True, discuss_note="private note", next_step="private step"),
        facts.client("C2", stage="closed", spec=SAM, name="Ben Osei", discuss=True,
                     discuss_note="closed"),
    )
    jobs = (
        facts.job("J1", "C1", at(-20), at(-3), title="Cook", employer="Acme",
                  end_reason="private reason"),
        facts.job("J2", "C1", at(-2), title="Baker"),
        facts.job("J3", "C2", at(-2), title="Cook", employer="Acme"),
    )
    contacts = (
        ContactSummary("C1", last_contact=at(1), last_attempt=at(-3)),  # after M: ignored
    )
    ecs = (facts.employer_contact(SAM, at(-1), "in_person", clients_on_behalf=1),)
    reminders = [
        Reminder("C1", "Ann Patel", SAM, "weekly", at(2), "due", "J2"),
        Reminder("C2", "Ben Osei", SAM, "weekly", at(2), "due", "J3"),  # closed: dropped
    ]
    return build_agenda(M, AgendaInputs((Specialist(SAM),), clients, jobs, contacts, ecs),
                        reminders)


def test_build_agenda_is_pure_and_drops_closed_clients():
    a = _facts_agenda()
    assert ids(a.reminders) == ["C1"]
    assert [j.job_id for j in a.job_starts] == ["J2"]
    assert [j.job_id for j in a.job_ends] == ["J1"]
    assert ids(a.discussion) == ["C1"]
    assert [(n.client_id, n.last_contact, n.last_attempt) for n in a.no_recent_contact] == [
        ("C1", None, at(-3))]
    assert a.caseloads[0].currently_employed == 1


def test_redact_keeps_ids_and_specialists_and_drops_names_and_free_text():
    a = _facts_agenda()
    r = a.redact()
    assert r.redacted and not a.redacted
    assert r.redact() is r
    assert [x.client for x in r.reminders] == ["A.P."]
    assert [x.client for x in r.job_starts + r.job_ends] == ["A.P.", "A.P."]
    assert [x.end_reason for x in r.job_ends] == [None]
    assert [(x.client, x.note, x.next_step) for x in r.discussion] == [("A.P.", None, None)]
    assert [x.client for x in r.new_referrals + r.no_recent_contact] == ["A.P.", "A.P."]
    assert r.employer_contacts == a.employer_contacts and r.caseloads == a.caseloads
    text = json.dumps(r.to_dict())
    for secret in ("Ann", "Patel", "private note", "private step", "private reason"):
        assert secret not in text
    assert "C1" in text and SAM in text
    assert "note" not in r.to_dict()["discussion"][0]
    assert a.to_dict()["discussion"][0]["note"] == "private note"


def test_agenda_to_dict_shape():
    data = _facts_agenda().to_dict()
    assert list(data) == ["meeting_date", "period_start", "period_end", "reminders", "job_starts",
                          "upcoming_job_starts", "job_ends", "new_referrals", "no_recent_contact",
                          "employer_contacts", "caseloads", "discussion",
                          "no_team_contact"]
    assert (data["period_start"], data["period_end"]) == (at(-7).isoformat(), at(6).isoformat())
    assert data["reminders"][0] == Reminder("C1", "Ann Patel", SAM, "weekly", at(2), "due",
                                            "J2").to_dict()
    assert data["job_starts"][0]["job_id"] == "J2"
    assert data["employer_contacts"][0] == {"specialist": SAM, "in_person": 1, "target": 6,
                                            "met_target": False, "on_behalf": 1, "total": 1}
    assert data["caseloads"][0]["specialist"] == SAM
    json.dumps(data)  # JSON-ready


def test_agenda_items_are_frozen():
    a = _facts_agenda()
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.meeting_date = M  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.discussion[0].note = "x"  # type: ignore[misc]


# ------------------------------------------------------------------ the mental-health team

def test_clients_with_a_practitioner_not_discussed_with_their_team_in_30_days():
    from ips_tui.domain.agenda import NO_TEAM_CONTACT_DAYS
    from ips_tui.domain.facts import Client, TeamContact

    def person(cid, practitioner, stage="engaged"):
        return Client(cid, SAM, stage, first_name="Ann", last_name=f"Patel{cid}",
                      start_date=at(-100), mh_practitioner=practitioner)

    clients = (person("C1", "Jo Reed"), person("C2", "Jo Reed"), person("C3", None),
               person("C4", "Jo Reed"), person("C5", "Jo Reed", stage="closed"),
               person("C6", "Jo Reed"))
    team = (TeamContact("C1", at(-NO_TEAM_CONTACT_DAYS)),  # exactly 30 days: fine
            TeamContact("C2", at(-NO_TEAM_CONTACT_DAYS - 1)),  # 31 days: listed
            TeamContact("C3", at(-90)),  # no practitioner: not listed
            TeamContact("C6", at(-40)), TeamContact("C6", at(3)))  # after M: does not count
    a = build_agenda(M, AgendaInputs((Specialist(SAM),), clients, team_contacts=team))
    assert [(t.client_id, t.last_team_contact, t.days_since) for t in a.no_team_contact] == [
        ("C4", None, None), ("C6", at(-40), 40), ("C2", at(-31), 31)]
    assert a.no_team_contact[0].practitioner == "Jo Reed"
    r = a.redact()
    assert [(t.client, t.practitioner) for t in r.no_team_contact][0] == ("A.P.", None)
    assert "Jo Reed" not in json.dumps(r.to_dict())
