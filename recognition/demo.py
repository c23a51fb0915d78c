"""The demo organisation's recognition: badges with their images, six months of points history,
kudos between colleagues, badge awards, the demo manager's team milestones, and a closed and an
open appraisal period.

Points are paid through the ledger service with the day each event happened, so the unique
constraint and the weekly caps apply exactly as they do live. Where the demo's training is
recent, the older months come from kudos, accepted suggestions, acknowledgements, team
milestones and HR recognising competence evidence recorded before the platform.

`seed_recognition()` is idempotent: what exists (found by slug, source, message, sequence,
name) is left as it is. Dates are relative to today. Run it after the rest of the demo.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection

from lms.demo.training import ISO_9001, ISO_45001
from lms.models import CompetenceRecord, IsoClause, User
from recognition.models import (
    AppraisalPeriod,
    Badge,
    BadgeAward,
    BadgeCriterion,
    Category,
    Kudos,
    KudosValue,
    PointsEntry,
    RecognitionPreference,
    TeamMilestone,
)
from recognition.periods import MONTH, QUARTER, Period, add_months
from recognition.services.appraisals import close_period
from recognition.services.ledger import award_by_rule, correct_entry
from recognition.services.points import pay_missed_points

HR = "hr@demo.example"
MANAGER = "manager@demo.example"
EMPLOYEE = "employee@demo.example"
# How far back the history goes.
HISTORY_DAYS = 183
# What HR pays for competence evidence recorded outside the platform's training.
EVIDENCE_POINTS = 15
# Someone who would rather not appear on the recognition wall.
OPTED_OUT = "qa03@demo.example"


def _email(code: str) -> str:
    return code if "@" in code else f"{code}@demo.example"


# --- Badges


@dataclass(frozen=True)
class DemoBadge:
    slug: str
    name: str
    initials: str
    colour: str
    criterion: str
    description: str
    narrative: str
    clauses: tuple[tuple[str, str], ...] = ()
    threshold: int = 1
    valid_for_days: int | None = None


BADGES = [
    DemoBadge(
        slug="on-time-champion",
        name="On-time champion",
        initials="OT",
        colour="#1b7f4b",
        criterion=BadgeCriterion.MANDATORY_ON_TIME_QUARTER,
        description="Every mandatory training module of a quarter completed by its due date.",
        narrative=(
            "Complete every mandatory training module that falls due in a calendar quarter on "
            "or before its due date, with at least one due. Valid for a year: keep it by doing "
            "it again."
        ),
        clauses=((ISO_9001, "7.2"),),
        valid_for_days=365,
    ),
    DemoBadge(
        slug="voice-of-improvement",
        name="Voice of improvement",
        initials="VI",
        colour="#6a3d9a",
        criterion=BadgeCriterion.SUGGESTIONS_ACCEPTED,
        description="Two signed suggestions accepted for action: ideas that made work better.",
        narrative=(
            "Sign your suggestions in the suggestion box. When two of them have been accepted "
            "for action (or done), the badge is yours."
        ),
        clauses=((ISO_9001, "10.3"),),
        threshold=2,
    ),
    DemoBadge(
        slug="fully-competent",
        name="Fully competent",
        initials="FC",
        colour="#1f5fa8",
        criterion=BadgeCriterion.ROLE_COMPETENCES_HELD,
        description="Holds every competence their job role requires, at the level required.",
        narrative=(
            "Hold a current record of every competence your job role requires, at least at "
            "the level it requires: through training, an assessment or a certificate."
        ),
        clauses=((ISO_9001, "7.2"), (ISO_45001, "7.2")),
    ),
    DemoBadge(
        slug="safe-team",
        name="Safe team",
        initials="ST",
        colour="#d35400",
        criterion=BadgeCriterion.TEAM_COMPLIANT,
        description="A manager whose whole team is trained and competent: nobody overdue.",
        narrative=(
            "For line managers: none of your direct reports has an overdue mandatory "
            "assignment, and none lacks a competence their role requires."
        ),
        clauses=((ISO_45001, "5.4"),),
    ),
    DemoBadge(
        slug="team-player",
        name="Team player",
        initials="TP",
        colour="#b0306a",
        criterion=BadgeCriterion.KUDOS_RECEIVED,
        description="Thanked by colleagues for concrete contributions to the management system.",
        narrative="Receive kudos from colleagues three times.",
        threshold=3,
    ),
]


def _seed_badges() -> tuple[dict[str, Badge], int]:
    clauses = {
        (clause.standard.name, clause.number): clause
        for clause in IsoClause.objects.select_related("standard")
    }
    badges, created = {}, 0
    for demo in BADGES:
        badge, new = Badge.objects.get_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "description": demo.description,
                "criterion": demo.criterion,
                "threshold": demo.threshold,
                "criteria_narrative": demo.narrative,
                "valid_for_days": demo.valid_for_days,
            },
        )
        if new:
            created += 1
            # A clusterable model keeps its many-to-many changes in memory until it is saved.
            badge.clauses = [clauses[ref] for ref in demo.clauses if ref in clauses]
            badge.save()
        if badge.image_id is None:
            image, made = _badge_image(demo)
            created += made
            Badge.objects.filter(pk=badge.pk).update(image=image)
        badges[demo.slug] = badge
    return badges, created


def _badge_image(demo: DemoBadge):
    """The badge's image: a coloured disc with its initials, 256 × 256, drawn here (nothing is
    downloaded), in the root collection. Returns it and whether it is new."""
    Image = get_image_model()
    title = f"Badge: {demo.name}"
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image, 0
    canvas = PILImage.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((8, 8, 247, 247), fill=demo.colour, outline="#ffffff", width=8)
    draw.text(
        (128, 128),
        demo.initials,
        fill="#ffffff",
        font=ImageFont.load_default(size=96),
        anchor="mm",
    )
    png = io.BytesIO()
    canvas.save(png, format="PNG")
    image = Image(
        title=title,
        file=ImageFile(png, name=f"badge-{demo.slug}.png"),
        collection=Collection.get_first_root_node(),
    )
    image._set_image_file_metadata()
    image.save()
    return image, 1


# --- Points for what the demo's people did


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _paid(entry: PointsEntry | None) -> int:
    return 0 if entry is None else 1


def _recognise_evidence(*, hr: User, since: datetime.datetime) -> int:
    """HR's points for competence shown by an assessment or an outside certificate in the last
    six months, dated when it was achieved: the demo's older training history."""
    records = (
        CompetenceRecord.objects.filter(
            achieved_at__gte=since,
            kind=CompetenceRecord.Kind.AWARDED,
            source__in=[CompetenceRecord.Source.ASSESSMENT, CompetenceRecord.Source.CERTIFICATE],
        )
        .select_related("competence")
        .order_by("achieved_at", "pk")
    )
    done = set(
        PointsEntry.objects.filter(
            category=Category.ADJUSTMENT, source_type__model="competencerecord"
        ).values_list("source_id", flat=True)
    )
    created = 0
    for record in records:
        if record.pk in done:
            continue
        how = (
            "certificate" if record.source == CompetenceRecord.Source.CERTIFICATE else "assessment"
        )
        _backdated(
            user_id=record.user_id,
            points=EVIDENCE_POINTS,
            category=Category.ADJUSTMENT,
            reason=f"Competence evidenced: {record.competence.name} ({how})",
            by=hr,
            at=record.achieved_at,
            source=record,
        )
        created += 1
    return created


def _backdated(
    *,
    user_id: int,
    points: int,
    category: str,
    reason: str,
    by: User,
    at: datetime.datetime,
    source: Model | None = None,
    corrects: PointsEntry | None = None,
) -> PointsEntry:
    # The HR services stamp entries with the present moment; history needs the day it happened.
    return PointsEntry.objects.create(
        user_id=user_id,
        points=points,
        category=category,
        reason=reason,
        awarded_by=by,
        awarded_at=at,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        corrects=corrects,
    )


# --- Kudos

V = KudosValue

# (days ago, sender, receiver, value, message)
# fmt: off
KUDOS = [
    (178, "hse.manager", "pc01", V.SAFETY,
     "Spotted the frayed sling on the overhead crane during the pre-use check and took it out "
     "of service before the lift. Exactly what the check is for."),
    (171, MANAGER, EMPLOYEE, V.QUALITY,
     "Stopped the line when the first-off part was out of tolerance and kept the batch apart "
     "until Quality had looked at it. Textbook containment."),
    (165, "quality.manager", "fp02", V.QUALITY,
     "Your team's torque records were complete and legible for the customer audit: the auditor"
     " closed the sample in ten minutes."),
    (160, EMPLOYEE, "pa03", V.TEAMWORK,
     "Covered my station during the fire drill debrief and walked the new starter through the "
     "isolation points."),
    (152, "lb01", "la02", V.ENVIRONMENT,
     "Sorted a whole delivery's pallets for reuse on a Friday afternoon. That is the pallet "
     "scheme working."),
    (147, "fp01", "pa01", V.SAFETY,
     "Reported the near miss at the press guard instead of shrugging it off; the interlock is "
     "fixed now."),
    (140, "it.manager", "ia02", V.INFORMATION_SECURITY,
     "Recognised the fake invoice e-mail, reported it within minutes, and we blocked the "
     "sender for everyone."),
    (133, "fp03", "pc02", V.IMPROVEMENT,
     "Your idea to keep spare seals next to press 3 cut the changeover downtime by a third."),
    (121, "qa01", "pb04", V.QUALITY,
     "Caught an out-of-date drawing at the bench and asked for the current revision before "
     "assembling. Document control in action."),
    (115, MANAGER, "fp01", V.TEAMWORK,
     "Ran the lock-out toolbox talk at every shift handover while I was on leave."),
    (110, "logistics.manager", "lb03", V.SAFETY,
     "Stopped a reversing lorry when a visitor walked into the yard without a vest. Calm and "
     "quick."),
    (104, "po01", EMPLOYEE, V.TEAMWORK,
     "Showed me how to record the checks on the line tablet instead of the paper sheet: it "
     "takes seconds now."),
    (98, "quality.director", "quality.manager", V.CUSTOMER,
     "The 8D report on the customer complaint was clear, on time, and found the real root "
     "cause."),
    (93, "pa02", "pa05", V.ENVIRONMENT,
     "Found the compressed-air leak behind press 4 by ear and tagged it for maintenance."),
    (88, "fp02", "pb01", V.IMPROVEMENT,
     "Suggested the shadow board for the assembly tools: no more hunting for the torque "
     "wrench."),
    (84, HR, MANAGER, V.TEAMWORK,
     "Every training record of your team was in order for the surveillance audit. Thank you "
     "for keeping on top of it."),
    (80, "hse.manager", EMPLOYEE, V.SAFETY,
     "Labelled every isolation point on the presses with the maintenance team. New starters "
     "can find them now."),
    (79, "ha01", "ha02", V.ENVIRONMENT,
     "Updated the waste register when the new solvent came in, before anyone asked."),
    (74, EMPLOYEE, "po02", V.SAFETY,
     "Dealt with the hydraulic oil spill by the book: drain covered, socks down, report filled"
     " in."),
    (69, "fp01", "pa04", V.QUALITY,
     "Found the mislabelled batch at the final check and traced it back to the right order "
     "within the hour."),
    (66, MANAGER, "fp03", V.IMPROVEMENT,
     "Led the lock-out procedure review with the maintenance technicians; trying the start "
     "button first was your team's idea."),
    (62, "it.manager", "ia01", V.INFORMATION_SECURITY,
     "Locked the reception PC and challenged a visitor without a pass. Clear desk, clear "
     "screen, every time."),
    (57, "fp03", "pc04", V.SAFETY,
     "Fitted your own lock on the group isolation box during the shutdown, even for a five-"
     "minute job."),
    (53, "qa02", "qa03", V.QUALITY,
     "Recalibrated the gauge as soon as it drifted and quarantined every part measured since "
     "the last check."),
    (49, "pb02", EMPLOYEE, V.QUALITY,
     "Photographed the first part after the die change and attached it to the batch record: "
     "the customer's question was answered in seconds."),
    (45, "la01", "lb02", V.SAFETY,
     "Kept the pedestrian route at dock 3 clear all week during the stocktake."),
    (41, "fp02", "pb03", V.TEAMWORK,
     "Trained two agency colleagues on the assembly work instruction and signed their records "
     "off properly."),
    (37, "hse.manager", "fh01", V.SAFETY,
     "Investigated the forklift near miss down to its root cause and followed every action "
     "through to closure."),
    (33, MANAGER, "po01", V.QUALITY,
     "Kept at the spill response check until you passed it, then explained it to the rest of "
     "the shift."),
    (29, "quality.manager", "fp01", V.IMPROVEMENT,
     "Your team's scrap figure is down for the third month running: the daily stand-up at the "
     "board works."),
    (26, "pa06", "pa01", V.ENVIRONMENT,
     "Set up separate bins for cardboard and film at the packing station yourself."),
    (22, "ra01", "ra02", V.INFORMATION_SECURITY,
     "Sent the payroll file through the secure share instead of e-mail, and reminded me why."),
    (19, EMPLOYEE, "fp02", V.TEAMWORK,
     "Swapped shifts so I could finish the hazard reporting module before its due date."),
    (16, "fp03", "pc03", V.SAFETY,
     "Bled the accumulator and tried the start button before reaching into the press. The new "
     "step, done properly."),
    (13, "md", "quality.director", V.CUSTOMER,
     "Our main customer renewed the contract and named our delivery performance as the reason."),
    (10, "pb05", "pb06", V.QUALITY,
     "Checked the labels against the order before wrapping the pallet, and caught two wrong "
     "ones."),
    (8, MANAGER, EMPLOYEE, V.IMPROVEMENT,
     "Your suggestion is in: every assembly bench has an anti-fatigue mat from Monday."),
    (6, "lb02", "lb04", V.SAFETY,
     "Refused to move the overloaded pallet and re-stacked it first. The right call."),
    (4, "qa01", "qa02", V.QUALITY,
     "Wrote up the nonconformity the same shift, with photos, so it was contained before "
     "dispatch."),
    (2, "fp01", "pa06", V.TEAMWORK,
     "Helped a new starter through the ISO 9001 awareness module at the team board."),
]
# fmt: on


def _seed_kudos(*, people: dict[str, User], today: datetime.date) -> int:
    """Write the kudos that do not exist yet (found by sender, receiver and message) with their
    day, and pay each receiver as the rule would have then."""
    existing = set(Kudos.objects.values_list("sender_id", "receiver_id", "message"))
    created = 0
    for days_ago, sender_code, receiver_code, value, message in KUDOS:
        sender, receiver = people.get(_email(sender_code)), people.get(_email(receiver_code))
        if sender is None or receiver is None or (sender.pk, receiver.pk, message) in existing:
            continue
        kudos = Kudos.objects.create(
            sender=sender,
            receiver=receiver,
            value=value,
            message=message,
            created_at=_at(today - datetime.timedelta(days=days_ago), hour=14),
        )
        entry = award_by_rule(
            event="kudos_received",
            user_id=receiver.pk,
            source=kudos,
            reason=f"Kudos from {sender.first_name} for {kudos.get_value_display()}",
            at=kudos.created_at,
        )
        created += 1 + _paid(entry)
    return created


def _seed_opt_out(people: dict[str, User]) -> int:
    person = people.get(OPTED_OUT)
    if person is None:
        return 0
    _preference, created = RecognitionPreference.objects.get_or_create(
        user=person, defaults={"show_on_wall": False}
    )
    return int(created)


# --- Team milestones

# (months before this one, assignments due that month)
MILESTONES = [(4, 14), (2, 11)]


def _seed_milestones(manager: User, *, today: datetime.date) -> int:
    """The demo manager's whole team on time in two past months, paid the morning after each
    month ended, as the monthly task does."""
    if TeamMilestone.objects.filter(manager=manager).exists():
        return 0  # seeded already: a seed in a later month must not add more history
    people = User.objects.filter(manager=manager, is_active=True).count()
    created = 0
    for months_back, due in MILESTONES:
        month = add_months(today, -months_back)
        milestone = TeamMilestone.objects.create(
            manager=manager,
            month=month,
            assignments_due=due,
            people=people,
            recorded_at=_at(add_months(today, 1 - months_back), hour=6),
        )
        entry = award_by_rule(
            event="team_on_time",
            user_id=manager.pk,
            source=milestone,
            reason=f"Whole team on time in {Period(MONTH, month).name}",
            at=milestone.recorded_at,
        )
        created += 1 + _paid(entry)
    return created


# --- Badge awards


@dataclass(frozen=True)
class DemoAward:
    badge: str
    email: str
    days_ago: int
    narrative: str
    evidence: str
    sequence: int = 1
    is_public: bool = False


AWARDS = [
    # Expired after its year and earned again for the last quarter: the history stays.
    DemoAward(
        "on-time-champion", "fp02@demo.example", 430,
        "All mandatory training due last quarter completed on time.", "my_learning",
    ),
    DemoAward(
        "on-time-champion", "fp02@demo.example", 57,
        "All mandatory training due last quarter completed on time.", "my_learning", sequence=2,
    ),
    DemoAward(
        "voice-of-improvement", EMPLOYEE, 41,
        "Two signed suggestions accepted: isolation point labels and anti-fatigue mats.",
        "my_suggestions", is_public=True,
    ),
    DemoAward(
        "team-player", EMPLOYEE, 80, "Kudos received from three colleagues.", "my_kudos",
    ),
    DemoAward(
        "fully-competent", "fp01@demo.example", 70,
        "Every competence the Shift Supervisor role requires held at the required level.",
        "my_competences",
    ),
    DemoAward(
        "safe-team", MANAGER, 60,
        "No overdue mandatory training and no missing competence in the whole team.",
        "my_team_learning",
    ),
    DemoAward(
        "safe-team", "hse.manager@demo.example", 12,
        "No overdue mandatory training and no missing competence in the whole team.",
        "my_team_learning",
    ),
]  # fmt: skip


def _seed_awards(badges: dict[str, Badge], *, people: dict[str, User], today: datetime.date) -> int:
    existing = set(BadgeAward.objects.values_list("badge_id", "user_id", "sequence"))
    created = 0
    for demo in AWARDS:
        badge, person = badges[demo.badge], people.get(demo.email)
        if person is None or (badge.pk, person.pk, demo.sequence) in existing:
            continue
        awarded_at = _at(today - datetime.timedelta(days=demo.days_ago), hour=7)
        BadgeAward.objects.create(
            badge=badge,
            user=person,
            sequence=demo.sequence,
            awarded_at=awarded_at,
            expires_at=(
                awarded_at + datetime.timedelta(days=badge.valid_for_days)
                if badge.valid_for_days
                else None
            ),
            evidence_narrative=demo.narrative,
            evidence_path=reverse(demo.evidence),
            is_public=demo.is_public,
        )
        created += 1
    return created


# --- Corrections by HR

SHARED_TERMINAL_REASON = (
    "Acknowledged from a colleague's session on the shared shift terminal; withdrawn, and "
    "the colleague acknowledged in their own name."
)
MILESTONE_REASON = (
    "One assignment counted as on time had its due date moved after it fell due: half the "
    "month's team points withdrawn."
)


def _seed_correction_at_the_time(*, hr: User, manager: User) -> int:
    """HR withdrew an acknowledgement's points a few days after it was paid."""
    ack = (
        PointsEntry.objects.filter(
            category=Category.CAMPAIGN_ACKNOWLEDGED, rule__isnull=False, user__manager=manager
        )
        .exclude(user__email=EMPLOYEE)
        .order_by("awarded_at", "pk")
        .first()
    )
    if ack is None or ack.corrections.filter(reason=SHARED_TERMINAL_REASON).exists():
        return 0
    _backdated(
        user_id=ack.user_id,
        points=-ack.points,
        category=ack.category,
        reason=SHARED_TERMINAL_REASON,
        by=hr,
        at=min(ack.awarded_at + datetime.timedelta(days=3), timezone.now()),
        corrects=ack,
    )
    return 1


def _seed_correction_after_the_close(*, hr: User, manager: User) -> int:
    """HR corrects, today, a team milestone paid in the closed period: the correction counts
    in the open period and the frozen figures keep what was paid."""
    milestone = (
        PointsEntry.objects.filter(
            category=Category.TEAM_ON_TIME, rule__isnull=False, user=manager, points__gt=0
        )
        .order_by("awarded_at", "pk")
        .first()
    )
    if milestone is None or milestone.corrections.filter(reason=MILESTONE_REASON).exists():
        return 0
    correct_entry(entry=milestone, points=-(milestone.points // 2), reason=MILESTONE_REASON, by=hr)
    return 1


# --- Appraisal periods


def _seed_periods(*, hr: User, today: datetime.date) -> int:
    """The last full quarter, closed by HR (its summaries frozen), and the current one, open."""
    created = 0
    current = Period.containing(QUARTER, today)
    periods = []
    for quarter in (current.previous(), current):
        period, new = AppraisalPeriod.objects.get_or_create(
            name=quarter.name,
            defaults={"starts_on": quarter.first_day, "ends_on": quarter.last_day},
        )
        created += int(new)
        periods.append(period)
    if not periods[0].is_closed:
        created += close_period(period=periods[0], by=hr, today=today)
    return created


# --- All of it


@transaction.atomic
def seed_recognition(*, today: datetime.date | None = None) -> int:
    """Seed the demo's recognition; returns how many rows it created (0 the second time)."""
    today = today or timezone.localdate()
    people = {user.email: user for user in User.objects.filter(email__endswith="@demo.example")}
    hr, manager = people.get(HR), people.get(MANAGER)
    if hr is None or manager is None:
        return 0  # the demo organisation is not there
    since = _at(today - datetime.timedelta(days=HISTORY_DAYS), hour=0)
    badges, created = _seed_badges()
    # What the rules paid, dated when each fact happened, as the live signals would have.
    created += pay_missed_points(since=since, backdate=True)
    created += _recognise_evidence(hr=hr, since=since)
    created += _seed_kudos(people=people, today=today)
    created += _seed_opt_out(people)
    created += _seed_milestones(manager, today=today)
    created += _seed_awards(badges, people=people, today=today)
    created += _seed_correction_at_the_time(hr=hr, manager=manager)
    created += _seed_periods(hr=hr, today=today)
    created += _seed_correction_after_the_close(hr=hr, manager=manager)
    return created
