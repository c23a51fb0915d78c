"""The demo awareness campaigns: the quality policy (to acknowledge), spill response (with an
awareness check) and the lockout–tagout procedure (a policy document, republished with a
material change), delivered to their audiences, opened, acknowledged and checked by part of the
demo organisation, with feedback signed and anonymous, answered and waiting.

`seed_campaigns()` is idempotent: a campaign is found by its slug and, once it exists, nothing
more is added to it. Dates are relative to the first seed. Run it after the demo organisation,
the training content and the quizzes are in place.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from textwrap import dedent

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from campaigns.models import (
    Acknowledgement,
    CampaignFeedback,
    CampaignIndexPage,
    CampaignPage,
    Delivery,
    Release,
)
from campaigns.services.releases import record_release
from lms.blocks import markdown_value
from lms.models import Department, IsoClause, IsoStandard, Notification, TrainingModule, User
from quizzes.blocks import multiple_choice_value, single_choice_value, true_false_value
from quizzes.models import Attempt, Quiz
from quizzes.services.attempts import start_attempt, submit_attempt

try:
    from campaigns.services.delivery import fan_out
except ImportError:  # pragma: no cover - the delivery rows are then written here
    fan_out = None

INDEX_SLUG = "awareness"
COMMS = "comms@demo.example"
EMPLOYEE = "employee@demo.example"
MANAGER = "manager@demo.example"
ISO_9001 = "ISO 9001:2015"
ISO_14001 = "ISO 14001:2015"
ISO_45001 = "ISO 45001:2018"
EVERYONE_ELSE = ""


def _md(text: str) -> dict:
    return markdown_value(dedent(text).strip())


def _callout(kind: str, title: str, text: str) -> dict:
    value = {"kind": kind, "title": title, "text": dedent(text).strip()}
    return {"type": "callout", "value": value}


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> dict:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return markdown_value("\n".join(lines))


def _checklist(title: str, items: list[str]) -> dict:
    return {"type": "checklist", "value": {"title": title, "items": items}}


def _one_line(text: str) -> str:
    return " ".join(dedent(text).split())


# --- What each campaign says


def _quality_policy_body() -> list[dict]:
    return [
        _md(
            """
            Our **quality policy** is the promise we make to our customers. It is one page,
            signed by the Managing Director and displayed in every area. ISO 9001 asks top
            management to set it and to make sure it is understood and applied (clause 5.2),
            and asks that everyone who works for us knows it and knows their part in it
            (clause 7.3).

            The policy makes four commitments. Here is what each one asks of you.

            ### 1. We deliver what the customer ordered, right first time

            Work from the current drawing and work instruction, make the checks the
            instruction names, and record each check when you make it, not at the end of the
            shift.

            ### 2. We meet every requirement that applies to us

            The customer's specification, the law and our own procedures. If a requirement
            cannot be met, say so before the work starts, not after the parts are made.

            ### 3. We stop, contain and report what is not right

            A part out of tolerance, a skipped check or an out-of-date document is a
            nonconformity. Stop, keep it apart, and tell your supervisor the same shift.
            Nobody is blamed for reporting a problem.

            ### 4. We improve, using facts

            Our quality objectives (scrap, on-time delivery, customer complaints) are on the
            team boards and reviewed every month. Ideas for doing better are welcome from
            everyone, through your supervisor or the suggestion box.
            """
        ),
        _callout(
            "why",
            "Why this matters to you",
            """
            Every complaint we prevent saves rework, overtime and, in the end, customers. The
            policy is not a poster for the auditor: it is how we keep the work we have.
            """,
        ),
        _checklist(
            "Before you acknowledge, can you answer these?",
            [
                "Where is the quality policy displayed in my area?",
                "Which quality objective does my team report on?",
                "Which check in my job stops a fault reaching the customer?",
                "Whom do I tell, and how, when something is not right?",
            ],
        ),
    ]


def _spill_body() -> list[dict]:
    return [
        _md(
            """
            Hydraulic oil, coolant and cleaning chemicals are among the significant
            environmental aspects of our site. A spill that reaches a yard drain goes straight
            to the river: what you do in the **first five minutes** decides whether it is a
            clean-up or a pollution incident. ISO 14001 asks us to prepare for such emergencies
            and to make sure everyone knows their part (clause 8.2).
            """
        ),
        _table(
            ("Step", "What you do"),
            [
                (
                    "Stop",
                    "Stop the source if you can do so safely: close the valve, stand the drum "
                    "up, switch off the pump.",
                ),
                ("Protect", "Keep people away. Put on the gloves from the spill kit."),
                (
                    "Contain",
                    "Cover any nearby drain with a drain mat, then ring the spill with "
                    "absorbent socks.",
                ),
                (
                    "Report",
                    "Tell your supervisor and the HSE team the same shift, and fill in a spill "
                    "report.",
                ),
            ],
        ),
        _md(
            """
            Spill kits are yellow bins marked **SPILL KIT**: one by each press line, one at each
            dock door and one beside the chemical store. Used absorbents go into the red
            hazardous-waste bin, never the general waste.
            """
        ),
        _callout(
            "warning",
            "Unknown liquid?",
            """
            Keep away from it and call the HSE team. Never touch or smell an unknown substance:
            the team identifies it from the safety data sheets and decides how to clean it up.
            """,
        ),
    ]


def _spill_questions() -> list[dict]:
    return [
        single_choice_value(
            "Oil is spreading from a split hydraulic hose on the press. What comes first?",
            [
                ("Stop the source if it is safe to do so, and keep people away", True),
                ("Fetch a mop and a bucket of water", False),
                ("Finish the batch, then report it", False),
                ("Rinse it into the nearest floor drain", False),
            ],
            explanation=_one_line(
                """
                Stop, protect, contain, report. Water spreads oil, and a drain takes it to the
                river.
                """
            ),
            clauses="ISO 14001 8.2",
        ),
        true_false_value(
            "A yard drain leads to the treatment plant, so a small spill can be washed into it.",
            False,
            explanation=_one_line(
                """
                False. Our yard drains lead to surface water. Cover the drain with a drain mat
                before anything else.
                """
            ),
            clauses="ISO 14001 6.1.2, ISO 14001 8.2",
        ),
        multiple_choice_value(
            "What goes into the spill report? Pick all that apply.",
            [
                ("What was spilled, and roughly how much", True),
                ("Where it went, including any drain", True),
                ("What was done to contain it", True),
                ("Whose fault it was", False),
            ],
            explanation=_one_line(
                """
                The report is for finding the cause and checking the clean-up, not for blame
                (ISO 14001 10.2).
                """
            ),
            clauses="ISO 14001 8.2, ISO 14001 10.2",
        ),
    ]


SPILL_CHECK = {
    "title": "Spill response: are you aware?",
    "instructions": _one_line(
        """
        Three questions on the first five minutes of a spill. It measures awareness: it does
        not go on your competence record. Two right answers out of three pass.
        """
    ),
    "pass_mark_percent": 60,
    "max_attempts": 3,
    "show_correct_answers": True,
}

_LOTO_PURPOSE = """
    ## Purpose and scope

    This procedure controls hazardous energy while a machine is cleaned, adjusted, repaired or
    cleared of a jam. It applies to every press, conveyor and robot cell in Production and to
    everyone who works on them, contractors included. It puts into practice the controls of
    our hazard identification (ISO 45001 clause 6.1.2) for work on machinery.

    Never reach into a machine that is only stopped: a stop button, a guard switch or a
    control-panel setting is not an isolation.
    """

_LOTO_STEPS_FIRST = """
    ## The steps

    1. **Prepare.** Find every energy source on the machine's isolation sheet: electrical,
       hydraulic, pneumatic and gravity.
    2. **Tell.** Tell the operators in the area that the machine is being shut down.
    3. **Shut down** the machine with its normal stop.
    4. **Isolate** each energy source at its isolation point.
    5. **Lock and tag** each isolation point with a lock and a tag that says who you are
       and why the machine is locked.
    6. **Return to service:** when the work is done, refit the guards, check that everyone
       is clear, remove your locks and tags, and tell the operators.
    """

_LOTO_STEPS_REVISED = """
    ## The steps

    1. **Prepare.** Find every energy source on the machine's isolation sheet: electrical,
       hydraulic, pneumatic and gravity. Every isolation point now carries a numbered yellow
       label that matches the sheet.
    2. **Tell.** Tell the operators in the area that the machine is being shut down.
    3. **Shut down** the machine with its normal stop.
    4. **Isolate** each energy source at its isolation point, and release stored energy:
       bleed the hydraulic accumulator and the air receiver, and lower or block any raised
       tool.
    5. **Lock and tag** each isolation point with **your own** personal lock and a tag that
       says who you are and why the machine is locked. Each person working on the machine
       fits their own lock; on a group isolation, to the group lockout box.
    6. **Try to start it.** Before any work begins, press the start button and check that
       the pressure gauges read zero. Then return the controls to off.
    7. **Return to service:** when the work is done, refit the guards, check that everyone
       is clear, remove your lock and tag, and tell the operators.

    ## At a shift change

    A lock is only ever removed by the person who fitted it. The incoming person fits their
    lock before the outgoing person removes theirs, so the machine is never left unlocked
    between shifts.
    """

_LOTO_WHY = (
    "why",
    "Why this matters to you",
    """
    Most injuries on machinery happen during maintenance and jam clearing, not production.
    Ten seconds to try the start button is the difference between a machine you think is
    safe and one you know is.
    """,
)


def _loto_body_first() -> list[dict]:
    return [_md(_LOTO_PURPOSE), _md(_LOTO_STEPS_FIRST), _callout(*_LOTO_WHY)]


def _loto_body_revised() -> list[dict]:
    return [_md(_LOTO_PURPOSE), _md(_LOTO_STEPS_REVISED), _callout(*_LOTO_WHY)]


# --- Who did what


@dataclass(frozen=True)
class DemoVersion:
    """One material publication of a campaign, and what its audience did with it."""

    body: Callable[[], list[dict]]
    days_ago: int
    # Department → share of its people who opened it; EVERYONE_ELSE for the other departments.
    opened: dict[str, float]
    # Share of those who opened it who also acknowledged it (when it asks for acknowledgement).
    acknowledged: float = 0.0
    change_summary: str = ""
    # People who opened it (and acknowledged it, where it asks for that), or who did not open
    # it, whatever the shares say.
    acknowledged_by: tuple[str, ...] = ()
    not_opened_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoFeedback:
    text: str
    days_ago: int
    author: str | None = None
    answer: str = ""
    answered_after: int = 2
    answer_is_public: bool = False


@dataclass(frozen=True)
class DemoCampaign:
    slug: str
    title: str
    summary: str
    versions: tuple[DemoVersion, ...]
    departments: tuple[str, ...] = ()
    clauses: tuple[tuple[str, str], ...] = ()
    modules: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict)
    check: dict | None = None
    check_questions: Callable[[], list[dict]] | None = None
    feedback: tuple[DemoFeedback, ...] = ()


CAMPAIGNS = [
    DemoCampaign(
        slug="our-quality-policy",
        title="Our quality policy: what it asks of you",
        summary=_one_line(
            """
            Four commitments, signed by the Managing Director: what each one means at your
            workstation, and what we ask you to confirm.
            """
        ),
        clauses=((ISO_9001, "5.2"), (ISO_9001, "7.3")),
        modules=("iso-9001-awareness",),
        fields={
            "needs_acknowledgement": True,
            "acknowledgement_text": (
                "I have read our quality policy and understand what it asks of me in my work."
            ),
        },
        versions=(
            DemoVersion(
                body=_quality_policy_body,
                days_ago=24,
                opened={
                    "Quality Assurance": 1.0,
                    "Executive Office": 1.0,
                    "Production": 0.75,
                    "Logistics": 0.5,
                    EVERYONE_ELSE: 0.8,
                },
                acknowledged=0.8,
                acknowledged_by=(EMPLOYEE, MANAGER, "md@demo.example"),
            ),
        ),
        feedback=(
            DemoFeedback(
                text=_one_line(
                    """
                    The policy says nobody is blamed for reporting a problem. On our line people
                    still get told off when the scrap figure goes up. How does that fit?
                    """
                ),
                days_ago=15,
            ),
        ),
    ),
    DemoCampaign(
        slug="spills-the-first-five-minutes",
        title="Spills: the first five minutes",
        summary=_one_line(
            """
            Stop, protect, contain, report: what to do when oil or a chemical is spilled, and
            where the spill kits are.
            """
        ),
        departments=("Operations", "Health and Safety"),
        clauses=((ISO_14001, "6.1.2"), (ISO_14001, "8.2")),
        modules=("iso-14001-environmental-awareness",),
        check=SPILL_CHECK,
        check_questions=_spill_questions,
        versions=(
            DemoVersion(
                body=_spill_body,
                days_ago=12,
                opened={"Health and Safety": 1.0, "Production": 0.7, EVERYONE_ELSE: 0.45},
                acknowledged_by=(EMPLOYEE,),
            ),
        ),
        feedback=(
            DemoFeedback(
                text=_one_line(
                    """
                    Where is the nearest spill kit to press line 3? The one by the door was
                    empty last week.
                    """
                ),
                author="pa01@demo.example",
                days_ago=9,
                answer=_one_line(
                    """
                    Thank you: the kit by door 3 has been refilled, and every kit is now on the
                    weekly HSE walk. The nearest kit to line 3 is beside its hydraulic pack.
                    """
                ),
                answered_after=1,
            ),
        ),
    ),
    DemoCampaign(
        slug="lockout-tagout-procedure",
        title="Lockout–tagout procedure",
        summary=_one_line(
            """
            How we isolate a machine before anyone works on it, step by step. Read it and
            confirm you will follow it every time.
            """
        ),
        departments=("Production", "Health and Safety"),
        clauses=((ISO_45001, "6.1.2"), (ISO_45001, "7.3")),
        modules=("iso-45001-hazard-reporting",),
        fields={
            "is_policy": True,
            "policy_reference": "PRO-HS-004",
            "needs_acknowledgement": True,
            "acknowledgement_text": (
                "I have read the lockout–tagout procedure PRO-HS-004 and will follow it every "
                "time I work on a machine."
            ),
        },
        versions=(
            DemoVersion(
                body=_loto_body_first,
                days_ago=70,
                opened={EVERYONE_ELSE: 0.9},
                acknowledged=0.9,
                acknowledged_by=(EMPLOYEE, MANAGER),
            ),
            DemoVersion(
                body=_loto_body_revised,
                days_ago=8,
                change_summary=(
                    "New step: try to start the machine before work begins. Stored energy is "
                    "released, everyone fits their own lock, and locks are handed over at a "
                    "shift change."
                ),
                opened={"Health and Safety": 1.0, EVERYONE_ELSE: 0.55},
                acknowledged=0.7,
                acknowledged_by=(MANAGER,),
                not_opened_by=(EMPLOYEE,),
            ),
        ),
        feedback=(
            DemoFeedback(
                text="Can we have more padlocks? There are not enough for the night shift.",
                days_ago=60,
                answer=_one_line(
                    """
                    Yes. Every maintenance technician and operator in Production now has a
                    **personal padlock** with a name tag, handed out at the toolbox talk. Ask
                    your supervisor if you have not received yours.
                    """
                ),
                answered_after=3,
                answer_is_public=True,
            ),
            DemoFeedback(
                text=_one_line(
                    """
                    Lines 1 and 2 share one hydraulic pack. When both are locked out, does each
                    of us fit a lock to the group box, or only the supervisor?
                    """
                ),
                author=EMPLOYEE,
                days_ago=4,
            ),
        ),
    ),
]


# --- Seeding


@transaction.atomic
def seed_campaigns(*, now: datetime.datetime | None = None) -> int:
    """Create the demo campaigns that do not exist yet, with their releases, deliveries,
    opens, acknowledgements, awareness attempts and feedback; returns how many were created."""
    now = now or timezone.now()
    index = _campaign_index()
    existing = set(CampaignPage.objects.child_of(index).values_list("slug", flat=True))
    wanted = [demo for demo in CAMPAIGNS if demo.slug not in existing]
    for demo in wanted:
        _seed_campaign(index, demo, now=now)
    return len(wanted)


def _campaign_index() -> CampaignIndexPage:
    existing = CampaignIndexPage.objects.first()
    if existing is not None:
        return existing
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page if site is not None else Page.objects.get(depth=1)
    index = CampaignIndexPage(
        title="Awareness campaigns",
        slug=INDEX_SLUG,
        intro=(
            "<p>What the organisation asks you to know: our policies, the procedures that keep "
            "you safe, and what changed in them.</p>"
        ),
    )
    root.add_child(instance=index)
    index.save_revision().publish()
    return index


def _seed_campaign(index: CampaignIndexPage, demo: DemoCampaign, *, now: datetime.datetime):
    first = demo.versions[0]
    page = CampaignPage(
        title=demo.title,
        slug=demo.slug,
        summary=demo.summary,
        body=first.body(),
        awareness_check=_awareness_check(demo),
        **demo.fields,
    )
    page.audience_departments = list(_departments(demo.departments))
    page.clauses = list(_clauses(demo.clauses))
    page.standards = list(IsoStandard.objects.filter(name__in={s for s, _n in demo.clauses}))
    page.related_modules = list(TrainingModule.objects.filter(slug__in=demo.modules))
    index.add_child(instance=page)
    people = {user.email: user for user in User.objects.filter(is_active=True)}
    for number, version in enumerate(demo.versions):
        released_at = _at(now, days_ago=version.days_ago, hour=8)
        revision = _publish(page, version, first=number == 0)
        _backdate(page, revision, released_at)
        campaign = CampaignPage.objects.get(pk=page.pk)
        deliveries = _deliver(campaign, revision=revision, at=released_at)
        engaged = _engage(campaign, demo, version, deliveries, now=now)
        if demo.check is not None:
            _take_the_check(campaign, engaged, now=now)
    _feedback(campaign, demo.feedback, people=people, now=now)


def _at(now: datetime.datetime, *, days_ago: int, hour: int) -> datetime.datetime:
    day = timezone.localtime(now).date() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _departments(names: tuple[str, ...]):
    return Department.objects.filter(name__in=names)


def _clauses(refs: tuple[tuple[str, str], ...]) -> list[IsoClause]:
    clauses = {
        (clause.standard.name, clause.number): clause
        for clause in IsoClause.objects.select_related("standard")
    }
    return [clauses[ref] for ref in refs if ref in clauses]


def _awareness_check(demo: DemoCampaign) -> Quiz | None:
    if demo.check is None:
        return None
    quiz = Quiz.objects.filter(title=demo.check["title"]).first()
    if quiz is None:
        quiz = Quiz(questions=demo.check_questions(), **demo.check)
        quiz.save()
        quiz.save_revision(log_action="wagtail.create")
    return quiz


def _publish(page: CampaignPage, version: DemoVersion, *, first: bool) -> Revision:
    """Publish `version` as a new revision; every demo version after the first is material.
    Publishing records the release (campaigns.signal_handlers), and so does this, once."""
    if not first:
        page = page.get_latest_revision_as_object()
        page.body = version.body()
        page.material_change = True
        page.change_summary = version.change_summary
    revision = page.save_revision()
    revision.publish()
    record_release(campaign=CampaignPage.objects.get(pk=page.pk), revision=revision)
    return revision


def _backdate(page: CampaignPage, revision: Revision, at: datetime.datetime) -> None:
    Release.objects.filter(revision=revision).update(published_at=at)
    Revision.objects.filter(pk=revision.pk).update(created_at=at)
    dates = {"last_published_at": at, "latest_revision_created_at": at}
    Page.objects.filter(pk=page.pk, first_published_at__isnull=True).update(first_published_at=at)
    Page.objects.filter(pk=page.pk).update(**dates)


def _deliver(
    campaign: CampaignPage, *, revision: Revision, at: datetime.datetime
) -> list[Delivery]:
    """The release's deliveries, written by the delivery service as if on the release day (or
    directly where it is missing), marked e-mailed then so the demo sends no e-mail."""
    if fan_out is not None:
        fan_out(campaign=campaign, now=at)
    else:
        Delivery.objects.bulk_create(
            [
                Delivery(campaign=campaign, user=person, revision=revision, created_at=at)
                for person in campaign.audience.people()
            ],
            ignore_conflicts=True,
        )
    deliveries = Delivery.objects.filter(campaign=campaign, revision=revision)
    if campaign.send_email:
        deliveries.filter(emailed_at__isnull=True).update(
            emailed_at=at + datetime.timedelta(minutes=2)
        )
    return list(deliveries.select_related("user__department"))


def _spread(key: str) -> float:
    """A fixed number in [0, 1) for `key`: the demo picks the same people on every machine."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0x100000000


def _engage(
    campaign: CampaignPage,
    demo: DemoCampaign,
    version: DemoVersion,
    deliveries: list[Delivery],
    *,
    now: datetime.datetime,
) -> list[tuple[Delivery, datetime.datetime]]:
    """Open (and acknowledge) the version for the share of each department the version says;
    returns the deliveries opened, with when."""
    released_at = deliveries[0].created_at if deliveries else now
    span = max(1.0, (now - released_at).total_seconds() - 3600)
    opened = []
    acknowledgements = []
    allowed = datetime.timedelta(days=settings.LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS)
    for delivery in deliveries:
        user = delivery.user
        department = user.department.name if user.department else EVERYONE_ELSE
        share = version.opened.get(department, version.opened.get(EVERYONE_ELSE, 0.0))
        pick = _spread(f"{demo.slug}:{version.days_ago}:{user.email}")
        forced = user.email in version.acknowledged_by
        if user.email in version.not_opened_by or not (forced or pick < share):
            continue
        # Most people open a campaign in its first days: the square leans towards the start.
        opened_at = released_at + datetime.timedelta(seconds=3600 + span * pick**2 / 2)
        opened.append((delivery, opened_at))
        wants = forced or _spread(f"ack:{demo.slug}:{user.email}") < version.acknowledged
        if campaign.needs_acknowledgement and wants:
            acknowledged_at = min(
                opened_at + datetime.timedelta(minutes=4 + int(pick * 600)),
                now - datetime.timedelta(minutes=30),
            )
            acknowledgements.append(
                Acknowledgement(
                    campaign=campaign,
                    user=user,
                    revision_id=delivery.revision_id,
                    acknowledged_at=acknowledged_at,
                    wording=campaign.acknowledgement_text,
                    on_time=acknowledged_at <= delivery.created_at + allowed,
                )
            )
    for delivery, opened_at in opened:
        delivery.opened_at = opened_at
    Delivery.objects.bulk_update([delivery for delivery, _at in opened], ["opened_at"])
    Acknowledgement.objects.bulk_create(acknowledgements, ignore_conflicts=True)
    _notifications_read(opened)
    return opened


def _notifications_read(opened: list[tuple[Delivery, datetime.datetime]]) -> None:
    """The in-app notice of each delivery opened is read when the campaign was opened."""
    kinds = [Notification.Kind.CAMPAIGN, Notification.Kind.CAMPAIGN_CHANGED]
    for delivery, opened_at in opened:
        Notification.objects.filter(
            user_id=delivery.user_id, kind__in=kinds, created_at=delivery.created_at
        ).update(read_at=opened_at)


def _take_the_check(
    campaign: CampaignPage,
    opened: list[tuple[Delivery, datetime.datetime]],
    *,
    now: datetime.datetime,
) -> None:
    """Two in three of those who opened the campaign take its awareness check: most answer
    everything right, some miss one (and still pass), a few fail, and some of those try again."""
    quiz = campaign.awareness_check
    for delivery, opened_at in opened:
        user = delivery.user
        pick = _spread(f"check:{campaign.slug}:{user.email}")
        if user.email != EMPLOYEE and pick < 1 / 3:
            continue
        band = int(pick * 12) % 6
        wrong = {0: 2, 1: 1, 2: 2}.get(band, 0) if user.email != EMPLOYEE else 0
        at = opened_at + datetime.timedelta(minutes=6)
        _attempt(quiz, user, wrong=wrong, at=at, return_url=campaign.url or "")
        if band == 0:  # failed, read the campaign again, and passed the next day
            _attempt(quiz, user, wrong=0, at=min(at + datetime.timedelta(days=1), now))


def _attempt(quiz: Quiz, user: User, *, wrong: int, at: datetime.datetime, return_url: str = ""):
    attempt = start_attempt(quiz=quiz, user=user, return_url=return_url)
    answers = {}
    for position, question in enumerate(attempt.paper["questions"]):
        right = [choice["key"] for choice in question["choices"] if choice["correct"]]
        mistaken = [choice["key"] for choice in question["choices"] if not choice["correct"]]
        answers[question["key"]] = mistaken[:1] if position < wrong else right
    submit_attempt(attempt=attempt, answers=answers)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=at, submitted_at=at + datetime.timedelta(minutes=3)
    )


def _feedback(
    campaign: CampaignPage,
    feedback: tuple[DemoFeedback, ...],
    *,
    people: dict[str, User],
    now: datetime.datetime,
) -> None:
    today = timezone.localtime(now).date()
    for demo in feedback:
        submitted_on = today - datetime.timedelta(days=demo.days_ago)
        answered = bool(demo.answer)
        CampaignFeedback.objects.create(
            campaign=campaign,
            author=people.get(demo.author) if demo.author else None,
            text=demo.text,
            submitted_on=submitted_on,
            answer=demo.answer,
            answered_by=people.get(COMMS) if answered else None,
            answered_on=(
                min(submitted_on + datetime.timedelta(days=demo.answered_after), today)
                if answered
                else None
            ),
            answer_is_public=demo.answer_is_public,
        )
