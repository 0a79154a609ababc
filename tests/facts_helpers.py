"""Builders for the domain's input facts (:mod:`ips_tui.domain.facts`), shared by the rule tests.

Dates may be given as ISO text ("2026-07-01") or as dates (a pendulum Date stays as it is, so
the rules' own normalising is still exercised); None stays None.
"""

from __future__ import annotations

import datetime as dt

from ips_tui.domain.facts import Client, ClientContact, EmployerContact, Job


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def day(value: str | dt.date | None) -> dt.date | None:
    """ISO text as a date; a date (of any kind) or None as it is."""
    return d(value) if isinstance(value, str) else value


def client(cid: str, referral: str | dt.date | None = None, start: str | dt.date | None = None,
           closed: str | dt.date | None = None, stage: str = "job_search", spec: str = "Sam",
           name: str | None = None, **more) -> Client:
    """A client; ``closed`` makes the stage "closed"; ``name`` "First Last" fills both names."""
    if closed is not None:
        stage = "closed"
    if name is not None:
        first, _, last = name.partition(" ")
        more = {"first_name": first, "last_name": last, **more}
    return Client(client_id=cid, specialist=spec, stage=stage, referral_date=day(referral),
                  start_date=day(start), closed_date=day(closed), **more)


def job(jid: str, cid: str, start: str | dt.date, end: str | dt.date | None = None,
        **more) -> Job:
    """A job (titled "Clerk" unless said otherwise)."""
    return Job(job_id=jid, client_id=cid, start_date=day(start), end_date=day(end),  # type: ignore[arg-type]
               title=more.pop("title", "Clerk"), **more)


def contact(cid: str, when: str | dt.date, mode: str = "in_person", attempted: bool = False,
            location: str | None = None, id: int = 0) -> ClientContact:
    return ClientContact(client_id=cid, date=day(when), mode=mode, attempted=attempted,  # type: ignore[arg-type]
                         location=location, id=id)


def employer_contact(spec: str, when: str | dt.date, mode: str = "in_person",
                     clients_on_behalf: int = 0, id: int = 0) -> EmployerContact:
    return EmployerContact(specialist=spec, date=day(when), mode=mode,  # type: ignore[arg-type]
                           clients_on_behalf=clients_on_behalf, id=id)
