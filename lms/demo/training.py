"""Demo training content: ISO standards with their clauses, competences, a training catalogue of
modules with real content, and case studies with before/after metrics.

`seed_training_content()` is idempotent: what exists (found by name or slug) is left as it is.
Run it after the demo organisation is seeded, so that audiences can name its departments.
"""

from __future__ import annotations

import json
from decimal import Decimal
from textwrap import dedent

from django.db import transaction
from wagtail.models import Page, Site

from lms.blocks import audience_section_value, markdown_value, section_value
from lms.models import (
    CaseStudy,
    CaseStudyIndex,
    CaseStudyMetric,
    Competence,
    Department,
    IsoClause,
    IsoStandard,
    JobRole,
    TrainingCatalogue,
    TrainingModule,
)

ISO_9001 = "ISO 9001:2015"
ISO_14001 = "ISO 14001:2015"
ISO_45001 = "ISO 45001:2018"
ISO_27001 = "ISO/IEC 27001:2022"

STANDARDS = {
    ISO_9001: (
        "Quality management systems — Requirements",
        [
            ("4.1", "Understanding the organization and its context"),
            ("5.1", "Leadership and commitment"),
            ("5.2", "Policy"),
            ("6.1", "Actions to address risks and opportunities"),
            ("6.2", "Quality objectives and planning to achieve them"),
            ("7.2", "Competence"),
            ("7.3", "Awareness"),
            ("7.5", "Documented information"),
            ("7.5.3", "Control of documented information"),
            ("8.5.1", "Control of production and service provision"),
            ("9.1", "Monitoring, measurement, analysis and evaluation"),
            ("9.2", "Internal audit"),
            ("9.3", "Management review"),
            ("10.2", "Nonconformity and corrective action"),
            ("10.3", "Continual improvement"),
        ],
    ),
    ISO_14001: (
        "Environmental management systems — Requirements with guidance for use",
        [
            ("5.2", "Environmental policy"),
            ("6.1.2", "Environmental aspects"),
            ("7.3", "Awareness"),
            ("8.1", "Operational planning and control"),
            ("8.2", "Emergency preparedness and response"),
            ("10.2", "Nonconformity and corrective action"),
        ],
    ),
    ISO_45001: (
        "Occupational health and safety management systems — Requirements with guidance for use",
        [
            ("5.1", "Leadership and commitment"),
            ("5.4", "Consultation and participation of workers"),
            ("6.1.2", "Hazard identification and assessment of risks and opportunities"),
            ("7.3", "Awareness"),
            ("8.2", "Emergency preparedness and response"),
            ("10.2", "Incident, nonconformity and corrective action"),
        ],
    ),
    ISO_27001: (
        "Information security, cybersecurity and privacy protection — Information security "
        "management systems — Requirements",
        [
            ("5.2", "Policy"),
            ("7.3", "Awareness"),
            ("A.5.10", "Acceptable use of information and other associated assets"),
            ("A.5.24", "Information security incident management planning and preparation"),
            ("A.6.3", "Information security awareness, education and training"),
            ("A.6.8", "Information security event reporting"),
        ],
    ),
}

# name → (standard, validity in months, description)
COMPETENCES = {
    "Quality management awareness": (
        ISO_9001,
        24,
        "Knows the quality policy, the objectives that apply to their work, and what a "
        "nonconformity costs.",
    ),
    "Leading the management system in a team": (
        ISO_9001,
        36,
        "Turns objectives into team goals, keeps the team's competence evidenced, and handles "
        "findings in their area.",
    ),
    "Internal auditing": (
        ISO_9001,
        36,
        "Takes part in internal audits and follows their findings through to corrective action.",
    ),
    "Document control": (
        ISO_9001,
        None,
        "Works only from controlled, current documents and knows how to change one.",
    ),
    "Environmental awareness": (
        ISO_14001,
        24,
        "Knows the significant environmental aspects of their work and how to respond to a spill.",
    ),
    "Hazard identification and reporting": (
        ISO_45001,
        12,
        "Recognises hazards and near misses and reports them the same shift.",
    ),
    "Information security awareness": (
        ISO_27001,
        12,
        "Follows the acceptable use rules and reports information security events at once.",
    ),
}

CATALOGUE_SLUG = "training"
CASE_STUDY_INDEX_SLUG = "case-studies"


# --- Building blocks of a module's body, as StreamField's raw JSON.


def _md(text: str) -> dict:
    return markdown_value(dedent(text).strip())


def _callout(kind: str, text: str, title: str = "") -> dict:
    return {
        "type": "callout",
        "value": {"kind": kind, "title": title, "text": dedent(text).strip()},
    }


def _why(text: str) -> dict:
    return _callout("why", text, "Why this matters to you")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> dict:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return _md("\n".join(lines))


def _checklist(title: str, items: list[str]) -> dict:
    return {"type": "checklist", "value": {"title": title, "items": items}}


def _video(url: str, title: str, transcript: str) -> dict:
    return {
        "type": "video",
        "value": {"url": url, "title": title, "transcript": dedent(transcript).strip()},
    }


class _Refs:
    """Looks up what the content names: clauses by standard and number, departments and job
    roles by name (missing ones are left out, so the seed also runs before the roster)."""

    def __init__(self):
        self.clauses = {
            (clause.standard.name, clause.number): clause
            for clause in IsoClause.objects.select_related("standard")
        }
        self.departments = dict(Department.objects.values_list("name", "pk"))
        self.job_roles = dict(JobRole.objects.values_list("name", "pk"))

    def clause(self, standard: str, number: str) -> IsoClause:
        return self.clauses[(standard, number)]

    def clause_block(self, standard: str, number: str, note: str) -> dict:
        return {
            "type": "iso_clause",
            "value": {"clause": self.clause(standard, number).pk, "note": note},
        }

    def for_audience(
        self,
        *content: dict,
        levels: tuple[str, ...] = (),
        departments: tuple[str, ...] = (),
        job_roles: tuple[str, ...] = (),
    ) -> dict:
        return audience_section_value(
            *content,
            levels=levels,
            department_ids=tuple(self.departments[d] for d in departments if d in self.departments),
            job_role_ids=tuple(self.job_roles[r] for r in job_roles if r in self.job_roles),
        )


# --- The modules.


def _modules(refs: _Refs) -> list[dict]:
    return [
        {
            "slug": "iso-9001-awareness",
            "title": "ISO 9001 awareness for all staff",
            "summary": (
                "What our quality management system is, what it asks of you, and what to do "
                "when something is not right."
            ),
            "minutes": 20,
            "refresher_months": 24,
            "clauses": [
                (ISO_9001, "4.1"),
                (ISO_9001, "5.2"),
                (ISO_9001, "7.3"),
                (ISO_9001, "10.2"),
            ],
            "competences": ["Quality management awareness"],
            "body": [
                section_value(
                    "What the quality management system is",
                    _md(
                        """
                        Our **quality management system** (QMS) is simply the way we work,
                        written down and kept up to date: who does what, how we check it, and
                        how we learn when it goes wrong. ISO 9001 is the international standard
                        it is certified against; customers rely on that certificate when they
                        choose us.

                        The system has three parts you will meet every day:

                        - **The quality policy**: one page, signed by the Managing Director,
                          saying what we promise our customers.
                        - **Quality objectives**: measurable targets, such as scrap rate or
                          on-time delivery, set for each department.
                        - **Processes and procedures**: the work instructions, forms and checks
                          at your workstation.
                        """
                    ),
                    _why(
                        """
                        Right-first-time work means fewer reworks, fewer late shifts and fewer
                        complaints landing on your team. The system exists to make your day
                        easier, not to add paperwork.
                        """
                    ),
                    refs.clause_block(
                        ISO_9001,
                        "4.1",
                        "We decide what matters to our customers and to us, and build the system "
                        "around it.",
                    ),
                ),
                section_value(
                    "Your part in quality",
                    _md(
                        """
                        Clause 7.3 asks that everyone who works under our control is aware of
                        four things. In plain words:

                        1. **The quality policy**: where to find it and what it promises.
                        2. **The objectives that touch your work**: the numbers on your
                           team's board.
                        3. **Your contribution**: how your checks keep a fault from reaching
                           the customer, and what improves when they do.
                        4. **What not conforming costs**: scrap, rework, complaints, and in the
                           worst case a recall or a lost customer.
                        """
                    ),
                    refs.clause_block(
                        ISO_9001, "7.3", "An auditor may ask you any of these four questions."
                    ),
                    _checklist(
                        "Can you answer these?",
                        [
                            "Where is the quality policy displayed in my area?",
                            "Which quality objective does my team report on?",
                            "Which check in my job stops a fault reaching the customer?",
                            "Whom do I tell when something is not right?",
                        ],
                    ),
                ),
                section_value(
                    "When something goes wrong",
                    _md(
                        """
                        A **nonconformity** is anything that does not meet a requirement: a part
                        out of tolerance, a skipped check, an out-of-date drawing in use.

                        | Step | What you do |
                        |---|---|
                        | Stop | Do not pass it on to the next operation. |
                        | Contain | Quarantine the parts, tag them, keep them apart. |
                        | Report | Tell your supervisor and record it the same shift. |
                        | Learn | Help find the cause, so it does not happen again. |
                        """
                    ),
                    _callout(
                        "warning",
                        """
                        Never fix it quietly. A problem that is fixed but not reported comes
                        back, because nobody removed its cause.
                        """,
                    ),
                    refs.clause_block(
                        ISO_9001,
                        "10.2",
                        "We react to the nonconformity, then remove its cause (corrective action).",
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **When a team member reports a nonconformity to you:** thank them
                            first, then contain it with them. Record it in the nonconformity log
                            before the end of the shift, and tell them what happened next.
                            People report again when they see that reporting changes things.
                            """
                        ),
                        levels=("frontline",),
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **For top management:** clause 5.1 makes you accountable for the
                            effectiveness of the system. Ask about open corrective actions in
                            every management review, and give teams the time to close them:
                            nothing tells people that quality matters more than that.
                            """
                        ),
                        levels=("top",),
                    ),
                ),
            ],
        },
        {
            "slug": "leading-the-management-system",
            "title": "Leading the management system in your team",
            "summary": (
                "For middle managers: make the management system a tool your team uses, not "
                "paperwork it endures."
            ),
            "minutes": 35,
            "refresher_months": 36,
            "levels": ["middle"],
            "clauses": [(ISO_9001, "5.1"), (ISO_9001, "6.2"), (ISO_9001, "7.2"), (ISO_9001, "9.1")],
            "competences": ["Leading the management system in a team"],
            "body": [
                section_value(
                    "Why your team looks to you",
                    _md(
                        """
                        Top management sets the direction; your team does the work. You are
                        where the two meet. If you treat the management system as paperwork
                        for the auditors, your team will too, and the system becomes a binder
                        on a shelf.

                        Managers often resist it for good reasons: it looks like extra work,
                        its value is not visible, and it makes accountability explicit. This
                        module takes those concerns one by one.
                        """
                    ),
                    _why(
                        """
                        A team that runs its own checks spends less of your time on firefighting,
                        complaints and audit findings, and more on improving the work.
                        """
                    ),
                ),
                section_value(
                    "Turning objectives into team goals",
                    _md(
                        """
                        Clause 6.2 asks for objectives that are measurable, monitored and
                        communicated. A company objective such as *"reduce customer complaints
                        by 30%"* means little on the shop floor until it becomes a team goal:

                        > "Fewer than 2 labelling errors a week on Line 2."
                        """
                    ),
                    _checklist(
                        "A good team goal",
                        [
                            "Links to one company objective, and says which",
                            "Is a number the team can influence this month",
                            "Is on the team board and updated at least weekly",
                            "Has one owner in the team",
                        ],
                    ),
                    refs.clause_block(
                        ISO_9001, "6.2", "Objectives at relevant functions, levels and processes."
                    ),
                ),
                section_value(
                    "Competence and awareness in your team",
                    _md(
                        """
                        Clause 7.2 asks us to keep **evidence** that people are competent for
                        their work. This platform keeps that evidence for you: each completed
                        module is recorded with the exact version the person read.

                        Your part is to look at your team's page once a week, follow up overdue
                        training in a one-to-one, and tell HR when a role changes so that the
                        right training is assigned.
                        """
                    ),
                    refs.clause_block(
                        ISO_9001, "7.2", "Retain documented information as evidence of competence."
                    ),
                ),
                section_value(
                    "Answering concerns",
                    _table(
                        ("What you may hear", "What you can say"),
                        [
                            (
                                '"It\'s just paperwork."',
                                '"Show me a form nobody reads, and we\'ll remove it."',
                            ),
                            (
                                '"The auditors only come once a year."',
                                '"The customer checks our work every day."',
                            ),
                            (
                                '"It\'s a blame tool."',
                                '"We look for causes in the process, not culprits."',
                            ),
                            (
                                '"We\'ve no time."',
                                '"How much time did last month\'s rework take?"',
                            ),
                        ],
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **How to lead this in your team:** open each weekly team meeting
                            with one quality result and one idea from the team. When a suggestion
                            is used, say so publicly and name who made it.
                            """
                        ),
                        levels=("middle",),
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **In Production:** use the start-up meeting at 06:00 to review
                            yesterday's scrap by machine. Five minutes, standing, at the board.
                            """
                        ),
                        levels=("middle",),
                        departments=("Production",),
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **For top management: what your middle managers need from you.**
                            Time in the plan to work on the system, a clear answer when they ask
                            which objective comes first, and your presence at a team meeting
                            once a quarter.
                            """
                        ),
                        levels=("top",),
                    ),
                ),
            ],
        },
        {
            "slug": "frontline-supervisor-toolkit",
            "title": "Frontline supervisor's daily toolkit",
            "summary": (
                "Run a start-of-shift huddle, stop a nonconformity at the source, and record it "
                "so it counts."
            ),
            "minutes": 25,
            "refresher_months": 12,
            "levels": ["frontline"],
            "clauses": [
                (ISO_9001, "7.3"),
                (ISO_9001, "8.5.1"),
                (ISO_9001, "10.2"),
                (ISO_45001, "5.4"),
            ],
            "competences": ["Leading the management system in a team"],
            "body": [
                section_value(
                    "The start-of-shift huddle",
                    _md(
                        """
                        Five minutes at the team board before work starts does more for
                        awareness (clause 7.3) than any poster. Keep it standing, keep it short,
                        and keep it the same every day.
                        """
                    ),
                    _checklist(
                        "The five-minute huddle",
                        [
                            "Safety first: any hazard or near miss since the last shift?",
                            "Yesterday's results against the team goal",
                            "Today's risks: new product, new starter, machine down",
                            "Quality alerts and changed work instructions",
                            "One idea or concern from the team",
                        ],
                    ),
                    _video(
                        # The demo organisation's own video server: shown as a link.
                        "https://intranet.demo.example/videos/start-of-shift-huddle",
                        "A start-of-shift huddle on the assembly line",
                        """
                        The supervisor opens with safety: a pallet was left in the walkway, it
                        has been moved and the walkway is marked. Yesterday's first-pass yield was
                        96 percent against a goal of 95. Today a new starter joins the line; she
                        will work with an experienced technician all shift. One idea from the
                        team: move the torque wrench holder nearer station 3.
                        """,
                    ),
                ),
                section_value(
                    "Stopping a nonconformity at the source",
                    _md(
                        """
                        You are usually the first manager to see a problem. Clause 8.5.1 expects
                        work to run under controlled conditions; when it does not, you decide
                        whether the line stops.

                        1. **Stop** the process if parts may be affected.
                        2. **Contain**: quarantine and tag everything made since the last good
                           check.
                        3. **Tell** Quality straight away, and your manager if the customer
                           could be affected.
                        4. **Restart** only after a good first-off check.
                        """
                    ),
                    _callout(
                        "tip",
                        "Stopping the line for a real problem is never the wrong call. Say so to "
                        "your team, often.",
                        "You have the authority",
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **In the warehouse:** damaged or mislabelled stock goes to the
                            quarantine bay with a red tag, never back on the rack. Check the
                            last three picks from the same location.
                            """
                        ),
                        departments=("Logistics",),
                    ),
                ),
                section_value(
                    "Recording it so it counts",
                    _md(
                        """
                        An issue that is not recorded cannot be analysed, so it comes back.
                        Record each nonconformity in the log the same shift: what, where, how
                        many, what you did to contain it. Two minutes now saves an hour of
                        guesswork in the root-cause review.
                        """
                    ),
                    refs.clause_block(
                        ISO_9001,
                        "10.2",
                        "Retain documented information on the nature of nonconformities and the "
                        "actions taken.",
                    ),
                ),
                section_value(
                    "Listening to your team",
                    _md(
                        """
                        ISO 45001 clause 5.4 asks us to consult and involve workers, especially
                        on hazards and on changes that affect them. Before you change how a job
                        is done, ask the people who do it: they know where it goes wrong.
                        """
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **For shift supervisors:** note each concern raised in the huddle in
                            the shift log, and say at the next huddle what happened to it.
                            """
                        ),
                        job_roles=("Shift Supervisor", "Warehouse Supervisor"),
                    ),
                    refs.clause_block(
                        ISO_45001,
                        "5.4",
                        "Consultation and participation of non-managerial workers.",
                    ),
                ),
            ],
        },
        {
            "slug": "internal-audit-basics",
            "title": "Internal audit basics",
            "summary": (
                "What an internal audit is, how to take part when the auditor visits your area, "
                "and what happens to the findings."
            ),
            "minutes": 20,
            "refresher_months": 36,
            "clauses": [(ISO_9001, "9.2"), (ISO_9001, "10.2"), (ISO_9001, "7.5")],
            "competences": ["Internal auditing"],
            "body": [
                section_value(
                    "What an internal audit is, and is not",
                    _md(
                        """
                        An internal audit checks whether we do what our system says, and whether
                        it works (clause 9.2). It looks at **processes**, not at people's
                        performance. Our auditors are trained colleagues from other departments:
                        nobody audits their own work.
                        """
                    ),
                    _why(
                        """
                        An internal auditor who finds a gap is doing you a favour: the customer
                        or the certification body would find it later, at a higher price.
                        """
                    ),
                ),
                section_value(
                    "When the auditor visits your area",
                    _checklist(
                        "Taking part well",
                        [
                            "Show how you really work, not how the procedure says you should",
                            'Answer what is asked; it is fine to say "I don\'t know"',
                            "Show where the current work instruction is kept",
                            "Mention anything that makes the job harder than it should be",
                        ],
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **If you are interviewed:** the auditor is checking the process, not
                            you. If you point out a weakness in a procedure, that is useful
                            evidence, and nobody will be blamed for it.
                            """
                        ),
                        levels=("staff",),
                    ),
                ),
                section_value(
                    "Findings and what happens next",
                    _table(
                        ("Finding", "Meaning", "What follows"),
                        [
                            (
                                "Major nonconformity",
                                "A requirement is not met at all, or the system has failed",
                                "Corrective action within 30 days",
                            ),
                            (
                                "Minor nonconformity",
                                "A single lapse",
                                "Corrective action within 90 days",
                            ),
                            (
                                "Observation",
                                "A risk that could become a nonconformity",
                                "Reviewed by the process owner",
                            ),
                            (
                                "Opportunity for improvement",
                                "A better way is possible",
                                "Considered in the next management review",
                            ),
                        ],
                    ),
                    refs.clause_block(
                        ISO_9001, "10.2", "Find the root cause, act on it, and check it worked."
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **When your area has a finding:** you own the corrective action.
                            Ask "why?" until you reach a cause in the process, agree a date you
                            can keep, and check three months later that it worked.
                            """
                        ),
                        levels=("middle", "frontline"),
                    ),
                ),
            ],
        },
        {
            "slug": "document-control-in-practice",
            "title": "Document control in practice",
            "summary": (
                "Work from the current version every time, recognise an uncontrolled copy, and "
                "change a document the right way."
            ),
            "minutes": 15,
            "departments": ["Production", "Quality Assurance", "Logistics"],
            "clauses": [(ISO_9001, "7.5"), (ISO_9001, "7.5.3")],
            "competences": ["Document control"],
            "body": [
                section_value(
                    "The current version, every time",
                    _md(
                        """
                        Drawings, work instructions and checklists change. Clause 7.5.3 asks
                        that the right version is available where it is used, and that obsolete
                        versions cannot be used by mistake. Every controlled document carries a
                        **document number**, a **revision letter** and an **approval date** in
                        its footer.
                        """
                    ),
                    refs.clause_block(
                        ISO_9001,
                        "7.5.3",
                        "Available and suitable where and when it is needed, and protected.",
                    ),
                ),
                section_value(
                    "Spotting an uncontrolled copy",
                    _checklist(
                        "Before you use a printed document",
                        [
                            'It carries the "controlled copy" stamp, or was printed today',
                            "The revision matches the one on the document system",
                            "No handwritten changes, unless signed and dated by the owner",
                        ],
                    ),
                    _callout(
                        "warning",
                        "A photocopy from a drawer is an uncontrolled copy. Hand it to your "
                        "supervisor to be destroyed.",
                    ),
                ),
                section_value(
                    "Changing a document",
                    _md(
                        """
                        Found a mistake or a better way? Raise a **document change request**
                        with the document owner (named in the footer). Until the new revision is
                        approved and issued, keep working to the current one, and tell your
                        supervisor if that is not safe.
                        """
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **Approving a change in your area:** check the change with one
                            person who does the job, brief the whole shift on the new revision,
                            and withdraw every printed copy of the old one.
                            """
                        ),
                        levels=("frontline", "middle"),
                    ),
                ),
            ],
        },
        {
            "slug": "risk-based-thinking",
            "title": "Risk-based thinking",
            "summary": (
                "Spot what could go wrong (or better) before it happens, weigh it quickly, and "
                "decide what to do about it."
            ),
            "minutes": 25,
            "refresher_months": 36,
            "levels": ["top", "middle", "frontline"],
            "clauses": [(ISO_9001, "4.1"), (ISO_9001, "6.1")],
            "body": [
                section_value(
                    "Risk and opportunity in plain words",
                    _md(
                        """
                        A **risk** is something uncertain that could affect what we set out to
                        do; an **opportunity** is the same, on the good side. Clause 6.1 does not
                        ask for a complex risk register: it asks that we think ahead, act in
                        proportion, and check that the action worked.
                        """
                    ),
                    refs.clause_block(
                        ISO_9001, "6.1", "Plan actions in proportion to the potential impact."
                    ),
                ),
                section_value(
                    "A quick risk check",
                    _md(
                        """
                        Rate likelihood and impact from 1 (low) to 3 (high) and multiply:

                        | Score | What to do |
                        |---|---|
                        | 1–2 | Accept it, and keep an eye on it |
                        | 3–4 | Act this month; tell your manager |
                        | 6–9 | Act now; it goes on the risk register |
                        """
                    ),
                    _callout(
                        "tip",
                        "Ask the same question of opportunities: what would it take, and what "
                        "would we gain?",
                    ),
                ),
                section_value(
                    "From risk to action",
                    refs.for_audience(
                        _md(
                            """
                            **For top management:** decide how much risk the organisation will
                            accept in each area, and review the top ten risks at every management
                            review (clause 9.3), with their owners present.
                            """
                        ),
                        levels=("top",),
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **How to lead this in your team:** before any change (new product,
                            new machine, new starter) spend ten minutes with the team on "what
                            could go wrong?" and write the answers down.
                            """
                        ),
                        levels=("middle", "frontline"),
                    ),
                    _md(
                        """
                        Every action has an owner and a date, and someone checks afterwards that
                        it worked. A risk that was acted on but not checked is still a risk.
                        """
                    ),
                ),
            ],
        },
        {
            "slug": "iso-14001-environmental-awareness",
            "title": "ISO 14001 environmental awareness",
            "summary": (
                "The environmental impacts of our work, what you can do about them, and how to "
                "respond to a spill."
            ),
            "minutes": 20,
            "refresher_months": 24,
            "clauses": [(ISO_14001, "6.1.2"), (ISO_14001, "7.3"), (ISO_14001, "8.2")],
            "competences": ["Environmental awareness"],
            "body": [
                section_value(
                    "Our significant environmental aspects",
                    _md(
                        """
                        An **environmental aspect** is a part of our work that can affect the
                        environment (clause 6.1.2). Ours that matter most:

                        - electricity and compressed air on the production lines;
                        - used machine coolant and oily waste;
                        - packaging waste: cardboard, stretch wrap, pallets;
                        - diesel and LPG for the forklifts and delivery vans.
                        """
                    ),
                    _why(
                        """
                        A compressed-air leak you can hear costs about as much as running a
                        family car all year. Reporting it takes one minute.
                        """
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **In Production:** used coolant goes in the yellow drums only, oily
                            rags in the lidded metal bin. Neither goes in general waste.
                            """
                        ),
                        departments=("Production",),
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **In Logistics:** stretch wrap and cardboard go to the baler, not the
                            general skip; broken pallets go to the pallet bay for repair.
                            """
                        ),
                        departments=("Logistics",),
                    ),
                ),
                section_value(
                    "Spills and emergencies",
                    _md(
                        """
                        Clause 8.2 asks us to be ready for environmental emergencies. The most
                        likely here is a spill of oil, coolant or diesel.
                        """
                    ),
                    _checklist(
                        "If you see a spill",
                        [
                            "Keep yourself safe: do not touch an unknown liquid",
                            "Stop the source if you safely can",
                            "Use the nearest spill kit to stop it reaching a drain",
                            "Tell your supervisor and the HSE team straight away",
                        ],
                    ),
                    refs.clause_block(ISO_14001, "8.2", "Prepare for and respond to emergencies."),
                ),
            ],
        },
        {
            "slug": "iso-45001-hazard-reporting",
            "title": "ISO 45001 hazard reporting",
            "summary": (
                "Recognise hazards and near misses, report them the same shift, and know what "
                "happens to your report."
            ),
            "minutes": 15,
            "refresher_months": 12,
            "clauses": [
                (ISO_45001, "5.4"),
                (ISO_45001, "6.1.2"),
                (ISO_45001, "7.3"),
                (ISO_45001, "10.2"),
            ],
            "competences": ["Hazard identification and reporting"],
            "body": [
                section_value(
                    "Hazards, near misses and incidents",
                    _md(
                        """
                        - A **hazard** is anything that could cause harm: a trailing cable, a
                          missing guard, a blocked fire exit.
                        - A **near miss** is an event that could have hurt someone but did not.
                        - An **incident** is one that did cause harm or damage.

                        For every serious injury there are dozens of near misses before it.
                        Each report is a chance to remove the cause first.
                        """
                    ),
                    refs.clause_block(
                        ISO_45001, "6.1.2", "Hazards are identified on an ongoing basis."
                    ),
                ),
                section_value(
                    "How to report, and what happens next",
                    _checklist(
                        "Report it the same shift",
                        [
                            "Make the area safe if you can do so without risk",
                            "Tell your supervisor",
                            "Fill in a hazard card, or use the form on the intranet",
                            "You will hear back within five working days",
                        ],
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **Your right to stop work:** if you believe a job is not safe, you
                            may stop and ask. Clause 5.4 protects you from reprisal for
                            reporting a hazard or removing yourself from danger.
                            """
                        ),
                        levels=("staff",),
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **When someone reports to you:** thank them, make it safe, log it,
                            and tell them within five days what was done. Reporting dies the day
                            a report is ignored.
                            """
                        ),
                        levels=("frontline",),
                    ),
                    refs.for_audience(
                        _md(
                            """
                            **Visible leadership:** walk the floor once a month with the HSE
                            manager and ask one question: "What is the riskiest thing you do
                            here?"
                            """
                        ),
                        levels=("top",),
                    ),
                ),
                section_value(
                    "No blame for reporting",
                    _md(
                        """
                        We look for causes in the way the work is set up, not for someone to
                        blame. Reporting your own mistake is always the right thing to do.
                        """
                    ),
                    _why(
                        """
                        The next person to walk past that hazard may be you, or someone you
                        work beside every day.
                        """
                    ),
                ),
            ],
        },
    ]


CASE_STUDIES = [
    {
        "slug": "less-scrap-on-line-2",
        "title": "Less scrap on Line 2 with first-off inspection",
        "standard": ISO_9001,
        "department": "Production",
        "summary": (
            "A first-off check at every set-up halved scrap on Line 2 within three months, and "
            "complaints followed."
        ),
        "challenge": (
            "<p>Line 2 made brackets for three customers, with up to six set-ups a shift. Faults "
            "from a set-up were found at final inspection, hours later, when a whole batch was "
            "already scrap.</p>"
        ),
        "what_changed": (
            "<ul><li>Operators measure the first part after every set-up against a one-page "
            "checklist.</li><li>The line does not restart until the shift supervisor signs the "
            "first-off record.</li><li>The scrap figure is reviewed at the start-of-shift "
            "huddle.</li></ul>"
        ),
        "metrics": [
            ("Scrap rate", "4.8", "2.1", "%", False),
            ("Customer complaints per month", "6", "2", "", False),
            ("First-pass yield", "91", "97", "%", True),
        ],
    },
    {
        "slug": "fewer-picking-errors",
        "title": "Fewer picking errors after relabelling the warehouse",
        "standard": ISO_9001,
        "department": "Logistics",
        "summary": (
            "Clear location labels and a scan-to-confirm step cut picking errors by three quarters."
        ),
        "challenge": (
            "<p>Similar part numbers sat in neighbouring locations with hand-written labels. "
            "Wrong parts reached customers several times a month, and each one cost a "
            "return, a re-delivery and an apology.</p>"
        ),
        "what_changed": (
            "<ul><li>Every location was relabelled with a barcode and a large location code."
            "</li><li>Pickers scan the location and the part before confirming a pick.</li>"
            "<li>Look-alike parts were moved apart.</li></ul>"
        ),
        "metrics": [
            ("Picking errors per 10,000 lines", "38", "9", "", False),
            ("On-time dispatch", "92.5", "98.1", "%", True),
        ],
    },
    {
        "slug": "near-miss-reporting-doubled",
        "title": "Near-miss reporting up, lost-time injuries down",
        "standard": ISO_45001,
        "department": "Health and Safety",
        "summary": (
            "Answering every hazard report within five days brought in more reports, and "
            "fewer people were hurt."
        ),
        "challenge": (
            '<p>People had stopped reporting near misses: "nothing happens anyway". Injuries '
            "came without warning, because the warnings were never written down.</p>"
        ),
        "what_changed": (
            "<ul><li>Every report gets an answer within five working days.</li><li>Actions "
            'taken are shown on the board in each area: "You said, we did".</li><li>Top '
            "management walks the floor once a month.</li></ul>"
        ),
        "metrics": [
            ("Near misses reported per month", "4", "15", "", True),
            ("Lost-time injuries per year", "6", "2", "", False),
            ("Days to close a corrective action", "45", "12", "days", False),
        ],
    },
]


# --- Seeding.


def _seed_standards() -> dict[str, IsoStandard]:
    standards = {}
    for name, (title, clauses) in STANDARDS.items():
        standard, _ = IsoStandard.objects.get_or_create(name=name, defaults={"title": title})
        for order, (number, clause_title) in enumerate(clauses):
            IsoClause.objects.get_or_create(
                standard=standard,
                number=number,
                defaults={"title": clause_title, "sort_order": order},
            )
        standards[name] = standard
    for name, (standard_name, validity, description) in COMPETENCES.items():
        Competence.objects.get_or_create(
            name=name,
            defaults={
                "standard": standards[standard_name],
                "validity_months": validity,
                "description": description,
            },
        )
    return standards


def _site_root() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    return Page.objects.get(depth=1)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _seed_catalogue(root: Page, refs: _Refs) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    catalogue = TrainingCatalogue.objects.filter(slug=CATALOGUE_SLUG).first()
    if catalogue is None:
        catalogue = _publish(
            root,
            TrainingCatalogue(
                title="Training catalogue",
                slug=CATALOGUE_SLUG,
                intro=(
                    "<p>Short modules on how our management system works and what it asks of "
                    "you. Those aimed at your role come first.</p>"
                ),
            ),
        )
    pages[CATALOGUE_SLUG] = catalogue
    existing = {module.slug: module for module in TrainingModule.objects.child_of(catalogue)}
    competences = {c.name: c for c in Competence.objects.all()}
    for spec in _modules(refs):
        module = existing.get(spec["slug"])
        if module is None:
            module = TrainingModule(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                estimated_minutes=spec["minutes"],
                refresher_months=spec.get("refresher_months"),
                audience_levels=spec.get("levels", []),
                body=json.dumps(spec["body"]),
            )
            module.clauses = [refs.clause(*ref) for ref in spec["clauses"]]
            module.competences = [competences[name] for name in spec.get("competences", [])]
            module.audience_departments = list(
                Department.objects.filter(name__in=spec.get("departments", []))
            )
            module = _publish(catalogue, module)
        pages[spec["slug"]] = module
    return pages


def _seed_case_studies(root: Page, standards: dict[str, IsoStandard]) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    index = CaseStudyIndex.objects.filter(slug=CASE_STUDY_INDEX_SLUG).first()
    if index is None:
        index = _publish(
            root,
            CaseStudyIndex(
                title="Case studies",
                slug=CASE_STUDY_INDEX_SLUG,
                intro=(
                    "<p>What changed when teams used the management system, measured before "
                    "and after.</p>"
                ),
            ),
        )
    pages[CASE_STUDY_INDEX_SLUG] = index
    existing = {study.slug: study for study in CaseStudy.objects.child_of(index)}
    departments = dict(Department.objects.values_list("name", "pk"))
    for spec in CASE_STUDIES:
        study = existing.get(spec["slug"])
        if study is None:
            study = CaseStudy(
                title=spec["title"],
                slug=spec["slug"],
                standard=standards[spec["standard"]],
                department_id=departments.get(spec["department"]),
                summary=spec["summary"],
                challenge=spec["challenge"],
                what_changed=spec["what_changed"],
            )
            study.metrics = [
                CaseStudyMetric(
                    name=name,
                    before=Decimal(before),
                    after=Decimal(after),
                    unit=unit,
                    higher_is_better=higher_is_better,
                    sort_order=order,
                )
                for order, (name, before, after, unit, higher_is_better) in enumerate(
                    spec["metrics"]
                )
            ]
            study = _publish(index, study)
        pages[spec["slug"]] = study
    return pages


@transaction.atomic
def seed_training_content() -> dict[str, Page]:
    """Create the demo standards, competences, catalogue, modules and case studies that do not
    exist yet, and return every demo page (found or created) keyed by slug."""
    standards = _seed_standards()
    root = _site_root()
    refs = _Refs()
    return {**_seed_catalogue(root, refs), **_seed_case_studies(root, standards)}
