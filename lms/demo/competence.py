"""The demo competence framework and the evidence the demo people hold of it.

The framework: the competences of the training content plus two practical ones, linked to ISO
clauses, with validity and (for two of them) an effectiveness check by the line manager; and what
each job role and management level requires. The evidence shows every state a record can be in:
current records from the demo's completions, records carried over from the paper training matrix
that are expiring or expired, a revoked one, a manager's assessment, external certificates (with a
small PDF), people missing what their role requires, effectiveness checks waiting for the demo
manager and one answered, and quiz attempts passed and failed.

Every step is idempotent: a competence, requirement, record or attempt that exists (found by name,
by person and competence, or by person and quiz) is left as it is. All dates are relative to
today. Run it after the training content, the demo's progress and the demo quizzes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from fpdf import FPDF

from lms.demo.quizzes import demo_quizzes
from lms.demo.training import ISO_9001, ISO_14001, ISO_27001, ISO_45001
from lms.models import (
    Competence,
    CompetenceRecord,
    CompetenceRequirement,
    Completion,
    EffectivenessCheck,
    IsoClause,
    IsoStandard,
    JobRole,
    ProficiencyLevel,
    User,
)
from lms.models.content import add_months
from lms.services import competence as competence_services
from quizzes.models import Attempt
from quizzes.services.attempts import start_attempt, submit_attempt
from quizzes.services.papers import MULTIPLE_CHOICE

HR = "hr@demo.example"
MANAGER = "manager@demo.example"
EMPLOYEE = "employee@demo.example"

Level = ProficiencyLevel
STAFF, FRONTLINE, MIDDLE, TOP = "staff", "frontline", "middle", "top"

# Clauses the competences name that the training content does not.
EXTRA_CLAUSES = {
    ISO_45001: [("7.2", "Competence"), ("8.1", "Operational planning and control")],
}

# name → (standard, validity in months, effectiveness check after days, description): the
# competences the training content does not create.
NEW_COMPETENCES = {
    "Incident investigation": (
        ISO_45001,
        36,
        60,
        "Leads the investigation of an incident or near miss to its root causes, and follows the "
        "corrective actions through to closure.",
    ),
    "Forklift truck operation": (
        ISO_45001,
        36,
        None,
        "Operates a counterbalance forklift safely: pre-use checks, load handling, and the "
        "pedestrian routes of the warehouse.",
    ),
}

# name → (clauses, effectiveness check after days): set on a competence that has no clauses yet,
# so an administrator's later changes survive a second seed.
FRAMEWORK = {
    "Quality management awareness": (
        [(ISO_9001, "5.2"), (ISO_9001, "7.3"), (ISO_9001, "10.2")],
        None,
    ),
    "Leading the management system in a team": (
        [(ISO_9001, "5.1"), (ISO_9001, "6.2"), (ISO_9001, "7.2"), (ISO_9001, "9.1")],
        None,
    ),
    "Internal auditing": ([(ISO_9001, "9.2"), (ISO_9001, "10.2")], None),
    "Document control": ([(ISO_9001, "7.5"), (ISO_9001, "7.5.3")], None),
    "Environmental awareness": (
        [(ISO_14001, "6.1.2"), (ISO_14001, "7.3"), (ISO_14001, "8.2")],
        None,
    ),
    "Hazard identification and reporting": (
        [(ISO_45001, "5.4"), (ISO_45001, "6.1.2"), (ISO_45001, "7.3"), (ISO_45001, "10.2")],
        60,
    ),
    "Information security awareness": (
        [
            (ISO_27001, "5.2"),
            (ISO_27001, "7.3"),
            (ISO_27001, "A.5.10"),
            (ISO_27001, "A.6.3"),
            (ISO_27001, "A.6.8"),
        ],
        None,
    ),
    "Incident investigation": ([(ISO_45001, "5.4"), (ISO_45001, "10.2")], 60),
    "Forklift truck operation": ([(ISO_45001, "7.2"), (ISO_45001, "8.1")], None),
}

SHOP_FLOOR = [
    "Machine Operator",
    "Assembly Technician",
    "Maintenance Technician",
    "Warehouse Operative",
    "Forklift Driver",
    "Shift Supervisor",
    "Warehouse Supervisor",
]

# competence → [(job role, management level, minimum level)]: "" for any role or any level.
REQUIREMENTS = {
    # Clause 7.3: everyone working under the organisation's control.
    "Quality management awareness": [
        ("", level, Level.COMPETENT) for level in (TOP, MIDDLE, FRONTLINE, STAFF)
    ],
    "Leading the management system in a team": [
        ("", level, Level.COMPETENT) for level in (TOP, MIDDLE, FRONTLINE)
    ],
    "Internal auditing": [
        ("Quality Inspector", "", Level.UNDER_SUPERVISION),
        ("Inspection Lead", "", Level.COMPETENT),
        ("Quality Manager", "", Level.CAN_TRAIN_OTHERS),
    ],
    "Document control": [
        (role, "", Level.COMPETENT)
        for role in (
            "Machine Operator",
            "Assembly Technician",
            "Maintenance Technician",
            "Shift Supervisor",
            "Quality Inspector",
            "Inspection Lead",
        )
    ],
    "Environmental awareness": [
        *[(role, "", Level.COMPETENT) for role in SHOP_FLOOR],
        ("Environmental Officer", "", Level.CAN_TRAIN_OTHERS),
        ("Health, Safety and Environment Manager", "", Level.CAN_TRAIN_OTHERS),
    ],
    "Hazard identification and reporting": [
        *[(role, "", Level.COMPETENT) for role in SHOP_FLOOR],
        ("Safety Coordinator", "", Level.CAN_TRAIN_OTHERS),
    ],
    "Information security awareness": [
        ("", TOP, Level.COMPETENT),
        ("", MIDDLE, Level.COMPETENT),
        ("Service Desk Analyst", "", Level.CAN_TRAIN_OTHERS),
        ("Platform Administrator", "", Level.CAN_TRAIN_OTHERS),
        ("HR Advisor", "", Level.COMPETENT),
        ("Executive Assistant", "", Level.COMPETENT),
        ("Communications Officer", "", Level.COMPETENT),
    ],
    # Frontline managers are the first to arrive after an incident.
    "Incident investigation": [
        ("", FRONTLINE, Level.COMPETENT),
        ("Safety Coordinator", "", Level.CAN_TRAIN_OTHERS),
        ("Health, Safety and Environment Manager", "", Level.CAN_TRAIN_OTHERS),
    ],
    "Forklift truck operation": [
        ("Forklift Driver", "", Level.COMPETENT),
        ("Warehouse Supervisor", "", Level.COMPETENT),
    ],
}

HAZARD = "Hazard identification and reporting"
CARRIED_OVER = (
    "Carried over from the paper training matrix when the platform went live; the signed "
    "training sheet is filed with HR."
)
WORKING_SAFELY = "Working Safely course, accredited external training provider"
INVESTIGATION_COURSE = "Incident investigation and root cause analysis course, external provider"


@dataclass(frozen=True)
class Evidence:
    """One record to seed. `how`: carried over (by HR), assessed (by `by`), or certificate.
    The date: `days_ago`, or `expires_in` days from today (negative: expired that long ago)."""

    email: str
    competence: str
    how: str
    level: int = Level.COMPETENT
    days_ago: int | None = None
    expires_in: int | None = None
    by: str = HR
    notes: str = CARRIED_OVER
    issuer: str = ""
    revoke: str = ""


EVIDENCE = [
    # The demo employee: one held, one expiring (with its check answered), one expired; the
    # quality awareness their level requires is missing.
    Evidence(
        EMPLOYEE,
        "Document control",
        "assessed",
        days_ago=150,
        by=MANAGER,
        notes="Observed at the Line 2 set-up: checked the drawing's revision against the "
        "document system before starting, and returned an uncontrolled copy found at the "
        "workstation to the supervisor.",
    ),
    Evidence(
        EMPLOYEE,
        HAZARD,
        "certificate",
        expires_in=20,
        issuer=WORKING_SAFELY,
    ),
    Evidence(EMPLOYEE, "Environmental awareness", "carried_over", expires_in=-45),
    # The demo manager: quality awareness comes from their completion; this one runs out soon.
    Evidence(MANAGER, "Information security awareness", "carried_over", expires_in=27),
    # Effectiveness checks that fell due for the demo manager (their direct reports).
    Evidence(
        "fp01@demo.example",
        "Incident investigation",
        "certificate",
        days_ago=75,
        issuer=INVESTIGATION_COURSE,
    ),
    Evidence(
        "fp03@demo.example",
        "Incident investigation",
        "certificate",
        days_ago=64,
        issuer=INVESTIGATION_COURSE,
    ),
    Evidence(
        "po02@demo.example",
        HAZARD,
        "certificate",
        days_ago=70,
        issuer=WORKING_SAFELY,
    ),
    Evidence("fp01@demo.example", HAZARD, "carried_over", days_ago=240),
    Evidence("fp01@demo.example", "Document control", "carried_over", days_ago=400),
    Evidence("po01@demo.example", HAZARD, "carried_over", expires_in=-20),
    # A record entered against the wrong person at go-live, revoked by HR.
    Evidence(
        "pa03@demo.example",
        HAZARD,
        "carried_over",
        days_ago=200,
        revoke="Entered against the wrong person when the paper training matrix was carried "
        "over: the signed sheet belongs to another operator. The module is assigned instead.",
    ),
    Evidence("pb01@demo.example", "Quality management awareness", "carried_over", expires_in=12),
    Evidence("pb02@demo.example", "Quality management awareness", "carried_over", expires_in=-40),
    Evidence("la01@demo.example", HAZARD, "carried_over", expires_in=-60),
    Evidence("la02@demo.example", HAZARD, "carried_over", expires_in=25),
    Evidence("fl01@demo.example", "Forklift truck operation", "carried_over", days_ago=300),
    Evidence("lb01@demo.example", "Forklift truck operation", "carried_over", days_ago=420),
    Evidence("lb02@demo.example", "Forklift truck operation", "carried_over", expires_in=15),
    Evidence("lb03@demo.example", "Forklift truck operation", "carried_over", expires_in=-90),
    Evidence(
        "ha01@demo.example",
        "Environmental awareness",
        "assessed",
        level=Level.CAN_TRAIN_OTHERS,
        days_ago=300,
        by="hse.manager@demo.example",
        notes="Ran the spill response drill in the yard: briefed the team, deployed the spill "
        "kit within two minutes and led the debrief. Trains new starters from now on.",
    ),
    Evidence(
        "fh01@demo.example",
        "Incident investigation",
        "carried_over",
        level=Level.CAN_TRAIN_OTHERS,
        days_ago=430,
    ),
    Evidence(
        "fh01@demo.example",
        HAZARD,
        "carried_over",
        level=Level.CAN_TRAIN_OTHERS,
        days_ago=100,
    ),
    Evidence(
        "qa01@demo.example",
        "Internal auditing",
        "assessed",
        level=Level.UNDER_SUPERVISION,
        days_ago=140,
        by="quality.manager@demo.example",
        notes="Audited the goods-in process alongside the lead auditor: sound sampling and "
        "evidence, two findings written clearly. Not yet ready to lead an audit.",
    ),
    Evidence("qa01@demo.example", "Document control", "carried_over", days_ago=380),
    # Required at "competent", held under supervision: below the level the role needs.
    Evidence(
        "fq01@demo.example",
        "Internal auditing",
        "carried_over",
        level=Level.UNDER_SUPERVISION,
        days_ago=500,
    ),
    Evidence(
        "quality.manager@demo.example",
        "Internal auditing",
        "carried_over",
        level=Level.CAN_TRAIN_OTHERS,
        days_ago=600,
    ),
    Evidence(
        "ia01@demo.example",
        "Information security awareness",
        "carried_over",
        level=Level.CAN_TRAIN_OTHERS,
        days_ago=90,
    ),
    Evidence("ia02@demo.example", "Information security awareness", "carried_over", expires_in=18),
    Evidence("ia03@demo.example", "Information security awareness", "carried_over", expires_in=-30),
    Evidence("ra01@demo.example", "Information security awareness", "carried_over", days_ago=160),
]  # fmt: skip

# The demo employee's answered check: their manager saw them apply it.
ANSWERED_CHECK = (
    EMPLOYEE,
    HAZARD,
    "Reported two near misses at Line 2 this quarter, both the same shift, and suggested the "
    "new guard on the coil feeder.",
)

# (e-mail, quiz's module slug, [(wrong answers, partly right answers, days ago)] in order)
ATTEMPTS = [
    ("employee@demo.example", "iso-9001-awareness", [(3, 0, 2)]),
    ("fp03@demo.example", "iso-9001-awareness", [(0, 0, 6)]),
    ("pb03@demo.example", "iso-45001-hazard-reporting", [(4, 0, 9), (1, 0, 8)]),
    ("pa03@demo.example", "iso-14001-environmental-awareness", [(0, 2, 4)]),
    # Every attempt used without passing: the demo manager can grant one more.
    (
        "po01@demo.example",
        "iso-14001-environmental-awareness",
        [(4, 1, 12), (3, 1, 7), (3, 0, 3)],
    ),
]


@transaction.atomic
def seed_competence_framework() -> dict[str, Competence]:
    """Create the demo's extra clauses and competences, link every demo competence to its
    clauses (when it has none yet), and create the requirements that do not exist yet."""
    standards = {standard.name: standard for standard in IsoStandard.objects.all()}
    for standard_name, clauses in EXTRA_CLAUSES.items():
        for number, title in clauses:
            IsoClause.objects.get_or_create(
                standard=standards[standard_name],
                number=number,
                defaults={"title": title, "sort_order": 100},
            )
    for name, (standard_name, validity, check_days, description) in NEW_COMPETENCES.items():
        Competence.objects.get_or_create(
            name=name,
            defaults={
                "standard": standards[standard_name],
                "validity_months": validity,
                "effectiveness_check_days": check_days,
                "description": description,
            },
        )
    clauses = {
        (clause.standard.name, clause.number): clause
        for clause in IsoClause.objects.select_related("standard")
    }
    competences = {competence.name: competence for competence in Competence.objects.all()}
    for name, (clause_refs, check_days) in FRAMEWORK.items():
        competence = competences[name]
        if competence.clauses.exists():
            continue
        competence.clauses = [clauses[ref] for ref in clause_refs]
        if check_days and not competence.effectiveness_check_days:
            competence.effectiveness_check_days = check_days
        competence.save()
    roles = dict(JobRole.objects.values_list("name", "pk"))
    for name, requirements in REQUIREMENTS.items():
        for role, level, min_level in requirements:
            if role and role not in roles:
                continue  # the roster has not been imported: nobody holds the role
            CompetenceRequirement.objects.get_or_create(
                competence=competences[name],
                job_role_id=roles.get(role) if role else None,
                management_level=level,
                defaults={"min_level": min_level},
            )
    return competences


@transaction.atomic
def seed_competence_records(*, today: datetime.date | None = None) -> int:
    """Record the demo's evidence: competences from the completions so far, the records of
    EVIDENCE that do not exist yet, the quiz attempts of ATTEMPTS, and the effectiveness checks
    (those due are requested; the employee's is answered). Returns how many records it wrote."""
    today = today or timezone.localdate()
    before = CompetenceRecord.objects.count()
    completions = Completion.objects.filter(module__competences__isnull=False).distinct()
    for completion in completions.select_related("module", "user__manager").order_by("pk"):
        competence_services.record_from_completion(completion=completion)

    emails = {e.email for e in EVIDENCE} | {e.by for e in EVIDENCE} | {HR, MANAGER}
    people = User.objects.in_bulk(list(emails), field_name="email")
    competences = {competence.name: competence for competence in Competence.objects.all()}
    held = set(CompetenceRecord.objects.values_list("user_id", "competence_id"))
    for evidence in EVIDENCE:
        person = people.get(evidence.email)
        competence = competences[evidence.competence]
        if person is None or (person.pk, competence.pk) in held:
            continue
        record = _record(evidence, person, competence, people, today)
        if evidence.revoke:
            competence_services.revoke_record(record=record, by=people[HR], reason=evidence.revoke)
    _seed_attempts()
    competence_services.request_due_effectiveness_checks(today=today)
    _answer_check(people, competences)
    return CompetenceRecord.objects.count() - before


def _record(
    evidence: Evidence,
    person: User,
    competence: Competence,
    people: dict[str, User],
    today: datetime.date,
) -> CompetenceRecord:
    achieved_at = _achieved_at(evidence, competence, today)
    if evidence.how == "certificate":
        return competence_services.record_certificate(
            person=person,
            competence=competence,
            level=evidence.level,
            file=ContentFile(
                _certificate_pdf(person, competence, evidence.issuer, achieved_at),
                name="certificate.pdf",
            ),
            issuer=evidence.issuer,
            achieved_at=achieved_at,
            recorded_by=people[HR],
        )
    return competence_services.record_assessment(
        person=person,
        competence=competence,
        level=evidence.level,
        assessor=people[evidence.by],
        notes=evidence.notes,
        achieved_at=achieved_at,
    )


def _achieved_at(
    evidence: Evidence, competence: Competence, today: datetime.date
) -> datetime.datetime:
    if evidence.expires_in is not None:
        # Back from the expiry day by the competence's validity.
        day = add_months(
            today + datetime.timedelta(days=evidence.expires_in), -competence.validity_months
        )
    else:
        day = today - datetime.timedelta(days=evidence.days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _certificate_pdf(
    person: User, competence: Competence, issuer: str, achieved_at: datetime.datetime
) -> bytes:
    """A one-page certificate, as a training provider would send it (for the demo only)."""
    pdf = FPDF(format="A4")
    pdf.set_title("Certificate of completion")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(0, 30, "Certificate of completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    lines = [
        "This certifies that",
        person.get_full_name() or person.email,
        "has completed the course covering",
        competence.name,
        f"on {achieved_at:%d %B %Y}.",
        "",
        f"Issued by: {issuer}",
        "Demo certificate generated by the seed: not a real qualification.",
    ]
    for line in lines:
        pdf.cell(0, 10, line, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _seed_attempts() -> None:
    quizzes = demo_quizzes()
    people = User.objects.in_bulk([email for email, _slug, _tries in ATTEMPTS], field_name="email")
    for email, slug, tries in ATTEMPTS:
        person, quiz = people.get(email), quizzes.get(slug)
        if (
            person is None
            or quiz is None
            or Attempt.objects.filter(quiz=quiz, user=person).exists()
        ):
            continue
        for wrong, partly, days_ago in tries:
            attempt = start_attempt(quiz=quiz, user=person)
            attempt = submit_attempt(
                attempt=attempt, answers=_answers(attempt.paper, wrong=wrong, partly=partly)
            )
            # Taken some days ago, in about six minutes.
            started = timezone.now() - datetime.timedelta(days=days_ago)
            Attempt.objects.filter(pk=attempt.pk).update(
                started_at=started,
                submitted_at=started + datetime.timedelta(minutes=6),
                deadline=(
                    started + datetime.timedelta(minutes=quiz.time_limit_minutes)
                    if quiz.time_limit_minutes
                    else None
                ),
            )


def _answers(paper: dict, *, wrong: int, partly: int) -> dict[str, list[str]]:
    """Right answers to every question but the first `wrong` (a wrong choice picked) and the
    next `partly` multiple-choice ones (one right choice left out)."""
    answers = {}
    for question in paper["questions"]:
        right = [choice["key"] for choice in question["choices"] if choice["correct"]]
        if wrong > 0:
            answers[question["key"]] = [
                next(choice["key"] for choice in question["choices"] if not choice["correct"])
            ]
            wrong -= 1
        elif partly > 0 and question["kind"] == MULTIPLE_CHOICE and len(right) > 1:
            answers[question["key"]] = right[1:]
            partly -= 1
        else:
            answers[question["key"]] = right
    return answers


def _answer_check(people: dict[str, User], competences: dict[str, Competence]) -> None:
    email, competence_name, note = ANSWERED_CHECK
    check = (
        EffectivenessCheck.objects.filter(
            record__user__email=email,
            record__competence=competences[competence_name],
            outcome=EffectivenessCheck.Outcome.PENDING,
            due_on__lte=timezone.localdate(),
        )
        .select_related("record__user")
        .first()
    )
    if check is not None:
        competence_services.answer_effectiveness_check(
            check=check,
            by=people[MANAGER],
            outcome=EffectivenessCheck.Outcome.CONFIRMED,
            note=note,
        )
