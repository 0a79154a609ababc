"""Writes ips_tui/schemas/*.schema.json but review's (its own file): the JSON Schemas of the JSON
outputs. The written files are the contract; tests validate real outputs against them. Change a
schema here, run `.venv/bin/python tools/make_schemas.py` from the project root, and read the diff.
"""
import json
from pathlib import Path

from ips_tui import vocab
from ips_tui.domain import fidelity_scale, outcome_figures, reminders

BASE = "https://github.com/ips-tui/ips-tui/schemas/"
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
STR = {"type": "string"}
INT = {"type": "integer", "minimum": 0}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}


def null(s):
    return {"anyOf": [s, {"type": "null"}]}


def obj(props, optional=(), description=None):
    out = {"type": "object", "properties": props,
           "required": [k for k in props if k not in optional], "additionalProperties": False}
    if description:
        out = {"description": description, **out}
    return out


def arr(items):
    return {"type": "array", "items": items}


def doc(name, title, description, body):
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE + name,
            "title": title, "description": description, **body}


REMINDER = obj({
    "client_id": STR, "client": STR, "specialist": STR,
    "kind": {"enum": list(reminders.KINDS)}, "due": DATE,
    "status": {"enum": ["overdue", "due"]}, "job_id": null(STR),
    "job": null(STR), "employer": null(STR), "planned": null(DATE),
}, description="One reminder: a follow-along contact or a first employer contact, due or overdue.")

JOB_ITEM = obj({
    "client_id": STR, "client": STR, "specialist": STR, "job_id": STR, "title": STR,
    "employer": null(STR), "start_date": DATE, "end_date": null(DATE),
    "hours_per_week": null(NUM), "end_reason": null(STR),
}, optional=("end_reason",), description="A job around the meeting (end_reason left out when redacted).")

STAGE = {"enum": list(vocab.STAGES)}
AGENDA = obj({
    "meeting_date": DATE, "period_start": DATE, "period_end": DATE,
    "reminders": arr(REMINDER),
    "job_starts": arr(JOB_ITEM), "upcoming_job_starts": arr(JOB_ITEM), "job_ends": arr(JOB_ITEM),
    "new_referrals": arr(obj({"client_id": STR, "client": STR, "specialist": STR, "stage": STAGE,
                              "referral_date": null(DATE), "met": BOOL,
                              "days_since_referral": null({"type": "integer"})})),
    "no_recent_contact": arr(obj({"client_id": STR, "client": STR, "specialist": STR,
                                  "stage": STAGE, "last_contact": null(DATE),
                                  "days_since_contact": null(INT), "last_attempt": null(DATE),
                                  "counted_from": null(DATE),
                                  "days_without_contact": null({"type": "integer"})})),
    "employer_contacts": arr(obj({"specialist": STR, "in_person": INT, "target": INT,
                                  "met_target": BOOL, "on_behalf": INT, "total": INT})),
    "caseloads": arr(obj({"specialist": STR, "open_clients": INT, "target": INT,
                          "over_target": BOOL,
                          "by_stage": obj({s: INT for s in vocab.OPEN_STAGES}),
                          "currently_employed": INT})),
    "no_team_contact": arr(obj({"client_id": STR, "client": STR, "specialist": STR,
                                "practitioner": null(STR), "last_team_contact": null(DATE),
                                "days_since": null({"type": "integer"})})),
    "discussion": arr(obj({"client_id": STR, "client": STR, "specialist": STR, "stage": STAGE,
                           "note": null(STR), "next_step": null(STR)},
                          optional=("note", "next_step"))),
})

JOB_LINE = obj({
    "job_id": STR, "client_id": STR, "specialist": STR, "title": STR, "employer": null(STR),
    "start_date": DATE, "end_date": null(DATE), "hours_per_week": null(NUM),
    "hourly_wage": null(NUM), "end_reason": null(STR),
})
FIGURE_VALUE = null(NUM)
keys = list(outcome_figures.DEFINITIONS)
OUTCOMES = obj({
    "period": STR, "period_start": DATE, "period_end": DATE, "specialist": null(STR),
    "report": {"enum": ["us", "uk"]},
    "figures": {"type": "object", "propertyNames": {"enum": [k for k in keys if k != "trend"]},
                "additionalProperties": FIGURE_VALUE,
                "description": "Figure key to value (a count, a rate from 0 to 1, days, hours or "
                               "money; null when there is nothing to measure). Which keys a "
                               "report has: see the README's definitions."},
    "targets": {"type": "object", "additionalProperties": NUM},
    "band": null({"enum": ["below_minimum", *(name for name, _ in outcome_figures.US_BENCHMARKS)]}),
    "job_starts": arr(JOB_LINE), "job_ends": arr(JOB_LINE),
    "trend": arr(obj({"period": STR, "served": INT, "employed": INT, "rate": null(NUM),
                      "unemployed_at_entry": INT, "into_work": INT},
                     optional=("unemployed_at_entry", "into_work"))),
    "definitions": {"type": "object", "propertyNames": {"enum": keys},
                    "additionalProperties": STR},
}, optional=("band",))

APPOINTMENT = obj({
    "id": {"type": "integer"}, "client_id": STR, "client": STR, "date": DATE,
    "time": null({"type": "string", "pattern": r"^\d{2}:\d{2}$"}),
    "mode": {"enum": list(vocab.MODES)}, "location": null(STR), "specialist": STR,
    "status": {"enum": list(vocab.APPOINTMENT_STATUSES)}, "notes": null(STR),
}, description="A planned appointment with a client, and what became of it.")

TODAY = obj({
    "date": DATE,
    "appointments": arr(APPOINTMENT),
    "reminders": arr(REMINDER),
    "awaiting_outcome": arr(APPOINTMENT),
    "flagged": arr(obj({"client_id": STR, "client": STR, "note": null(STR)})),
})

FIDELITY = obj({
    "period": STR, "period_start": DATE, "period_end": DATE, "specialist": null(STR),
    "near_rule": STR,
    "counts": obj({s: INT for s in fidelity_scale.STATUSES}),
    "items": arr(obj({
        "key": STR, "scale_item": {"type": "integer", "minimum": 1, "maximum": 25}, "name": STR,
        "anchor": STR, "figure": STR, "status": {"enum": list(fidelity_scale.STATUSES)},
        "value": null(NUM), "target": NUM, "at_most": BOOL, "record_kind": STR,
        "records": arr(STR), "details": arr(STR), "definition": STR,
    })),
})

folder = Path("ips_tui/schemas")
for name, title, description, body in [
    ("reminders.schema.json", "ips-tui reminders --format json",
     "Reminders due or overdue, oldest due first.", arr(REMINDER)),
    ("agenda.schema.json", "ips-tui agenda --format json",
     "The weekly team meeting's agenda (with --redact: clients as initials and id, no free text).",
     AGENDA),
    ("outcomes.schema.json", "ips-tui outcomes --format json",
     "Employment outcomes of a quarter or month, us or uk report, with the trend.", OUTCOMES),
    ("fidelity.schema.json", "ips-tui fidelity --format json",
     "Fidelity indicators of a period, each against the scale's top-score anchor.", FIDELITY),
    ("appointments.schema.json", "ips-tui appointments --format json",
     "Appointments dated in a range, by date and time.", arr(APPOINTMENT)),
    ("today.schema.json", "ips-tui today --format json",
     "A specialist's day: appointments today and tomorrow, reminders overdue or due today, "
     "past appointments waiting for their outcome, clients flagged for the team meeting.", TODAY),
]:
    (folder / name).write_text(json.dumps(doc(name, title, description, body), indent=2,
                                          ensure_ascii=False) + "\n", encoding="utf-8")
    print(name)
