"""The 25 items of the IPS Supported Employment Fidelity Scale (IPS-25), as a fidelity review
scores them: number, key, name, section and what each score from 1 to 5 asks, and for the items
ips-tui's records can score, how the computed figure maps to a score.

Source: the IPS Supported Employment Fidelity Scale published by the IPS Employment Center
(Becker, Swanson, Reese, Bond and McLeman, *Supported Employment Fidelity Review Manual*, 4th
edition, 2019) and its UK version published by the Centre for Mental Health ("The IPS fidelity
scale"). The numbers, names and thresholds are the scale's; every anchor is written here in our
own words, shortened. The published scale is what a reviewer scores against.

Items the records can score (a contract, quoted by the README): each maps one figure of
:mod:`ips_tui.domain.fidelity` to a score with :data:`BANDS`; a figure at a band's edge gets
the higher score (20 clients is 5, 21 is 4). Item 23 takes the lower of its two figures (contacts
on schedule and support past a year); when a figure has nothing to measure the item is left
for the team. The team scores every other item, and may override a computed score with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SECTIONS",
    "ScaleItem",
    "ITEMS",
    "BY_KEY",
    "BY_NUMBER",
    "Band",
    "BANDS",
    "COMPUTED_FROM",
    "SHARE_BANDS",
    "score_of",
]

SECTIONS: tuple[str, ...] = ("Staffing", "Organization", "Services")


@dataclass(frozen=True)
class ScaleItem:
    """One item: ``anchors[0]`` is what a score of 1 means, ``anchors[4]`` a score of 5."""

    number: int
    key: str
    name: str
    section: str
    anchors: tuple[str, str, str, str, str]

    def anchor(self, score: int) -> str:
        return self.anchors[score - 1]


def _i(number: int, key: str, name: str, section: str, *anchors: str) -> ScaleItem:
    assert len(anchors) == 5, key
    return ScaleItem(number, key, name, section, anchors)


_S, _O, _V = SECTIONS

#: The 25 items in the scale's order.
ITEMS: tuple[ScaleItem, ...] = (
    _i(1, "caseload", "Caseload size", _S,
       "41 or more clients per employment specialist",
       "31 to 40 clients per specialist",
       "26 to 30 clients per specialist",
       "21 to 25 clients per specialist",
       "20 or fewer clients per specialist"),
    _i(2, "employment_staff", "Employment services staff", _S,
       "Specialists spend under 60% of their time on employment services",
       "Employment services take 60-74% of their time",
       "Employment services take 75-89% of their time",
       "Employment services take 90-95% of their time",
       "Employment services take 96% or more of their time"),
    _i(3, "generalists", "Vocational generalists", _S,
       "Specialists only refer people on to other vocational providers",
       "Specialists hold a caseload but send people elsewhere for the vocational work",
       "Specialists cover one to four of the six phases of the service themselves",
       "Specialists cover five of the six phases themselves",
       "Each specialist covers all six phases: intake, engagement, assessment, job placement, "
       "job coaching and follow-along"),
    _i(4, "team_assignment", "Integration with mental-health treatment: team assignment", _O,
       "Specialists belong to no mental-health team, or few of their clients come from one",
       "Specialists serve three or more teams, or clients who are on no team",
       "Specialists serve one or two teams that refer 50-74% of their caseload",
       "Specialists serve one or two teams that refer 75-89% of their caseload",
       "Specialists serve one or two teams that refer 90% or more of their caseload"),
    _i(5, "team_contact", "Integration with mental-health treatment: frequent team contact", _O,
       "One or none of the five elements (weekly team meeting, shared decisions, shared "
       "records, office near the team, helping engage clients)",
       "Two of the five elements",
       "Three of the five elements",
       "Four of the five elements",
       "All five: weekly team meetings, shared decisions, shared records, an office close to "
       "the team, and joint work to engage clients"),
    _i(6, "vr_collaboration", "Collaboration with vocational rehabilitation counsellors", _O,
       "Contacts about shared clients less often than every quarter, or none",
       "Contacts about shared clients at least every quarter",
       "Contacts about shared clients at least monthly",
       "Monthly contacts and planned face-to-face meetings at least every quarter",
       "Planned face-to-face meetings every month and contacts about clients every week"),
    _i(7, "vocational_unit", "Vocational unit", _O,
       "Specialists do not work as a unit",
       "Specialists share a supervisor but do not meet as a group or cover for each other",
       "Specialists share a supervisor and talk over cases, but do not cover each other's "
       "caseloads",
       "A unit with group supervision at least twice a month, covering each other's work",
       "At least two full-time specialists and a leader meet weekly for group supervision "
       "about clients, share job leads and cover each other's caseloads"),
    _i(8, "supervisor", "Role of the employment supervisor", _O,
       "One or none of the five supervisor roles (no more than 10 specialists, weekly "
       "supervision, links with team leaders, field mentoring, reviewing outcomes)",
       "Two of the five roles",
       "Three of the five roles",
       "Four of the five roles",
       "All five: leads at most 10 specialists, supervises weekly, meets team leaders, goes "
       "into the field monthly, reviews outcomes and sets goals"),
    _i(9, "zero_exclusion", "Zero exclusion", _O,
       "A formal rule keeps people out for not being 'ready' (substance use, history, symptoms)",
       "Most people who want to work cannot reach the service because of criteria",
       "Some people who want to work are kept out by criteria",
       "No exclusion criteria, but access is limited in practice (referral only by some staff)",
       "Everyone who wants to work can get the service; referrals welcomed from anywhere"),
    _i(10, "agency_focus", "Agency focus on competitive employment", _O,
       "One or none of the five strategies (work asked about at intake, at reviews, posters "
       "and leaflets, sharing work stories, measuring the employment rate)",
       "Two of the five strategies",
       "Three of the five strategies",
       "Four of the five strategies",
       "All five: intake and every review ask about work, work is visible in the building, "
       "work stories are shared, and the employment rate is measured and shared"),
    _i(11, "executive_support", "Executive team support", _O,
       "One or none of the five signs of leadership support",
       "Two of the five signs",
       "Three of the five signs",
       "Four of the five signs",
       "All five: leaders know the model, quality checks include it, an executive sits on "
       "the steering group, the chief executive links it to the mission, and the program "
       "leader reports barriers to the executive twice a year"),
    _i(12, "benefits_planning", "Work incentives (benefits) planning", _V,
       "Benefits planning is hard for most clients to get",
       "Specialists refer people for benefits advice but do not check it happened",
       "Benefits advice is discussed with some clients before a job start",
       "Most clients are offered personal benefits planning before starting a job",
       "Every client is offered full, personal benefits planning by a trained adviser before "
       "starting a job, and again when hours or pay change"),
    _i(13, "disclosure", "Disclosure", _V,
       "None of the four disclosure practices",
       "One of the four practices (never requiring disclosure, weighing pros and cons ahead, "
       "agreeing what to say, returning to it later)",
       "Two of the four practices",
       "Three of the four practices",
       "All four: disclosure is never required, its pros and cons are weighed before any "
       "job search, what to say is agreed, and it is revisited"),
    _i(14, "work_assessment", "Ongoing, work-based vocational assessment", _V,
       "Assessment happens before placement, through tests and work samples",
       "Assessment goes step by step through pre-vocational work",
       "Assessment is done with the person, but not updated from real jobs",
       "Assessment is ongoing and uses real jobs, but the profile is not updated every time",
       "A vocational profile built with the person over a few meetings and updated from each "
       "job, drawing on the team, records and (with permission) family"),
    _i(15, "rapid_search", "Rapid job search", _V,
       "First employer contact 271 days or more after starting, on average",
       "First employer contact 151-270 days after starting",
       "First employer contact 61-150 days after starting",
       "First employer contact 31-60 days after starting",
       "First face-to-face employer contact within 30 days of starting, on average"),
    _i(16, "individual_search", "Individualized job search", _V,
       "Under 25% of employer contacts follow clients' own preferences",
       "25-49% of employer contacts follow preferences",
       "50-74% of employer contacts follow preferences",
       "75-89% of employer contacts follow preferences",
       "90% or more of employer contacts follow each person's preferences, strengths and "
       "needs, from a job-search plan kept up to date"),
    _i(17, "employer_contacts", "Job development: frequent employer contact", _V,
       "Fewer than 2 face-to-face employer contacts a week per specialist",
       "About 2 a week, or contacts are not tracked",
       "3 to 4 a week, tracked and reviewed by the supervisor",
       "5 a week",
       "6 or more face-to-face employer contacts a week per specialist (or 2 per job seeker "
       "when they have fewer than 3)"),
    _i(18, "employer_quality", "Job development: quality of employer contact", _V,
       "Specialists meet employers only when taking a client to a job",
       "Specialists ask employers about openings and pass the leads on",
       "Specialists follow up advertised openings, introduce the program and ask for "
       "interviews",
       "Specialists meet employers whether or not there is an opening and speak up for "
       "clients' strengths",
       "Specialists build relationships over several planned visits: learning the "
       "employer's needs, offering what the program does, proposing good matches"),
    _i(19, "job_types", "Diversity of job types", _V,
       "Under 50% of jobs are of different types",
       "50-59% of jobs are of different types",
       "60-69% of jobs are of different types",
       "70-84% of jobs are of different types",
       "85% or more of jobs are of different types"),
    _i(20, "employers", "Diversity of employers", _V,
       "Under 50% of jobs are with different employers",
       "50-59% of jobs are with different employers",
       "60-69% of jobs are with different employers",
       "70-84% of jobs are with different employers",
       "85% or more of jobs are with different employers"),
    _i(21, "competitive", "Competitive jobs", _V,
       "Under 64% of jobs are competitive, permanent jobs",
       "64-74% of jobs are competitive",
       "75-84% of jobs are competitive",
       "85-94% of jobs are competitive",
       "95% or more of jobs are competitive: open to anyone, at least minimum wage, "
       "permanent, same pay as co-workers"),
    _i(22, "individual_supports", "Individualized follow-along supports", _V,
       "Most people get no support once they start a job",
       "About half get a narrow range of support, mostly from the specialist",
       "Most get a narrow range of support, mostly from the specialist",
       "People get different kinds of support, fitted to the job and to them",
       "Varied support fitted to each person, from many people (team, family, co-workers), "
       "and support for the employer too"),
    _i(23, "time_unlimited", "Time-unlimited follow-along supports", _V,
       "No face-to-face contact after the first month in a job",
       "Face-to-face contact for at least 4 months with fewer than half of workers",
       "Face-to-face contact for at least 4 months with at least half of workers",
       "Weekly contact for the first month, then monthly for a year or more",
       "Contact a week before a start, within 3 days after, weekly for a month, monthly for "
       "a year or more, and within 3 days of a job loss"),
    _i(24, "community", "Community-based services", _V,
       "10% or less of specialists' time is spent in the community",
       "11-39% of their time in the community",
       "40-49% of their time in the community",
       "50-64% of their time in the community",
       "65% or more of specialists' time in the community"),
    _i(25, "outreach", "Assertive engagement and outreach", _V,
       "Two or fewer of the six outreach strategies",
       "Three of the six strategies",
       "Four of the six strategies",
       "Five of the six strategies",
       "All six: no discharge for missed appointments, outreach documented, shared by the "
       "team, visits in the community, joint visits, and family contacted where it fits"),
)

BY_KEY: dict[str, ScaleItem] = {it.key: it for it in ITEMS}
BY_NUMBER: dict[int, ScaleItem] = {it.number: it for it in ITEMS}


@dataclass(frozen=True)
class Band:
    """How a figure maps to a score: ``edges[0]`` is the least figure (``at_most``: the most)
    that scores 5, ``edges[1]`` 4, ``edges[2]`` 3, ``edges[3]`` 2; anything else scores 1."""

    edges: tuple[float, float, float, float]
    at_most: bool = False
    words: str = ""


#: Shares of records for an item whose anchors count practices rather than a share: ips-tui's
#: reading, the bands the scale itself uses for item 16.
SHARE_BANDS = Band((0.90, 0.75, 0.50, 0.25),
                   words="90% or more: 5; 75-89%: 4; 50-74%: 3; 25-49%: 2; under 25%: 1")

#: The figures of :mod:`ips_tui.domain.fidelity` behind each computed item, by item key.
COMPUTED_FROM: dict[str, tuple[str, ...]] = {
    "caseload": ("caseload",),
    "team_assignment": ("team_assignment",),
    "team_contact": ("team_contact",),
    "benefits_planning": ("benefits_planning",),
    "disclosure": ("disclosure",),
    "rapid_search": ("first_employer_contact",),
    "employer_contacts": ("employer_contacts",),
    "job_types": ("job_types",),
    "employers": ("employers",),
    "competitive": ("competitive",),
    "time_unlimited": ("follow_along", "time_unlimited"),
    "community": ("community",),
    "outreach": ("outreach",),
}

#: The band of each figure (keys of :data:`ips_tui.domain.fidelity.ITEMS`).
BANDS: dict[str, Band] = {
    "caseload": Band((20, 25, 30, 40), at_most=True,
                     words="the largest caseload: 20 or fewer: 5; 21-25: 4; 26-30: 3; "
                           "31-40: 2; 41 or more: 1"),
    "team_assignment": SHARE_BANDS,
    "team_contact": SHARE_BANDS,
    "benefits_planning": SHARE_BANDS,
    "disclosure": SHARE_BANDS,
    "first_employer_contact": Band((30, 60, 150, 270), at_most=True,
                                   words="mean days: 30 or fewer: 5; up to 60: 4; up to 150: "
                                         "3; up to 270: 2; more: 1"),
    "employer_contacts": Band((6, 5, 3, 2),
                              words="the lowest specialist's contacts a week, scaled to a "
                                    "target of 6: 6 or more: 5; 5: 4; 3-4: 3; 2: 2; "
                                    "fewer: 1"),
    "job_types": Band((0.85, 0.70, 0.60, 0.50),
                      words="85% or more: 5; 70-84%: 4; 60-69%: 3; 50-59%: 2; under 50%: 1"),
    "employers": Band((0.85, 0.70, 0.60, 0.50),
                      words="85% or more: 5; 70-84%: 4; 60-69%: 3; 50-59%: 2; under 50%: 1"),
    "competitive": Band((0.95, 0.85, 0.75, 0.64),
                        words="95% or more: 5; 85-94%: 4; 75-84%: 3; 64-74%: 2; under 64%: 1"),
    "follow_along": SHARE_BANDS,
    "time_unlimited": SHARE_BANDS,
    "community": Band((0.65, 0.50, 0.40, 0.11),
                      words="65% or more: 5; 50-64%: 4; 40-49%: 3; 11-39%: 2; 10% or less: 1"),
    "outreach": SHARE_BANDS,
}

_EPS = 1e-9


def score_of(figure_key: str, value: float) -> int:
    """The score (1-5) a figure's ``value`` earns by its band (edges included)."""
    band = BANDS[figure_key]
    for score, edge in zip((5, 4, 3, 2), band.edges, strict=True):
        if (value <= edge + _EPS) if band.at_most else (value >= edge - _EPS):
            return score
    return 1
