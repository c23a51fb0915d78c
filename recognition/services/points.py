"""Points for the facts the other apps announce, the monthly team milestone, and the nightly
sweep that pays what a lost signal missed.

Every payment goes through `ledger.award_by_rule`, whose unique constraint makes each of these
safe to run twice: a second call for the same person, rule and source writes nothing. The
facts are read by id from the other apps' models; none of their services is called.
"""

from __future__ import annotations

import datetime
import inspect
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.dateformat import format as date_format
from wagtail.models import Page

from campaigns.models import Acknowledgement, Suggestion, SuggestionEvent
from lms.models import Completion, EffectivenessCheck
from quizzes.models import Attempt, Quiz
from recognition.models import Category, PointsEntry, PointsRule, TeamMilestone
from recognition.periods import MONTH, Period, start_of
from recognition.selectors.team_on_time import team_on_time_rates
from recognition.services.ledger import award_by_rule

User = get_user_model()
logger = logging.getLogger(__name__)


def _title(page_id: int) -> str:
    return Page.objects.filter(pk=page_id).values_list("title", flat=True).first() or "a page"


# --- One fact, one payment


def pay_module_completed(
    *,
    completion_id: int,
    user_id: int,
    module_id: int,
    on_time: bool | None,
    at: datetime.datetime | None = None,
) -> PointsEntry | None:
    """Points for completing a module, with the rule's bonus when completed on time. `at`, the
    moment the entry is dated, is now unless given (as for each payment below)."""
    title = _title(module_id)
    reason = f"Completed “{title}” on time" if on_time else f"Completed “{title}”"
    return award_by_rule(
        event=Category.MODULE_COMPLETED,
        user_id=user_id,
        source=("lms.completion", completion_id),
        reason=reason,
        bonus=bool(on_time),
        at=at,
    )


def pay_quiz_passed(
    *, user_id: int, quiz_id: int, passed: bool, number: int, at: datetime.datetime | None = None
) -> PointsEntry | None:
    """Points for passing a quiz, once per person and quiz (the source is the quiz, so passing
    it again pays nothing), with the bonus for a first attempt. A failed attempt pays nothing."""
    if not passed:
        return None
    title = Quiz.objects.filter(pk=quiz_id).values_list("title", flat=True).first() or "a quiz"
    first = number == 1
    return award_by_rule(
        event=Category.QUIZ_PASSED,
        user_id=user_id,
        source=("quizzes.quiz", quiz_id),
        reason=f"Passed “{title}” at the first attempt" if first else f"Passed “{title}”",
        bonus=first,
        at=at,
    )


def pay_campaign_acknowledged(
    *,
    acknowledgement_id: int,
    campaign_id: int,
    user_id: int,
    on_time: bool,
    at: datetime.datetime | None = None,
) -> PointsEntry | None:
    """Points for acknowledging a campaign within the time asked; a late one pays nothing."""
    if not on_time:
        return None
    return award_by_rule(
        event=Category.CAMPAIGN_ACKNOWLEDGED,
        user_id=user_id,
        source=("campaigns.acknowledgement", acknowledgement_id),
        reason=f"Acknowledged “{_title(campaign_id)}” on time",
        at=at,
    )


def pay_suggestion_accepted(
    *, suggestion_id: int, author_id: int | None, at: datetime.datetime | None = None
) -> PointsEntry | None:
    """Points to the author of a signed suggestion accepted for action; an anonymous one pays
    nobody. Marking it done later is the same source and rule, so it pays nothing more."""
    if author_id is None:
        return None
    submitted_on = (
        Suggestion.objects.filter(pk=suggestion_id).values_list("submitted_on", flat=True).first()
    )
    when = f" of {date_format(submitted_on, 'j F Y')}" if submitted_on else ""
    return award_by_rule(
        event=Category.SUGGESTION_ACCEPTED,
        user_id=author_id,
        source=("campaigns.suggestion", suggestion_id),
        reason=f"Your suggestion{when} was accepted",
        at=at,
    )


def pay_effectiveness_check(
    *,
    check_id: int,
    person_id: int,
    answered_by_id: int,
    as_line_manager: bool,
    at: datetime.datetime | None = None,
) -> PointsEntry | None:
    """Points to the line manager who answered an effectiveness check of a report; HR
    answering one earns nothing."""
    if not as_line_manager:
        return None
    facts = (
        EffectivenessCheck.objects.filter(pk=check_id)
        .values_list(
            "record__competence__name", "record__user__first_name", "record__user__last_name"
        )
        .first()
    )
    if facts:
        competence, first, last = facts
        who = f"{first} {last}".strip() or "a team member"
        reason = f"Answered the effectiveness check on “{competence}” for {who}"
    else:
        reason = "Answered an effectiveness check for a team member"
    return award_by_rule(
        event=Category.EFFECTIVENESS_CHECK,
        user_id=answered_by_id,
        source=("lms.effectivenesscheck", check_id),
        reason=reason,
        at=at,
    )


# --- Team 100% on time, monthly


def pay_team_milestones(*, month: datetime.date, today: datetime.date | None = None) -> int:
    """For a month that has ended, record a TeamMilestone for each active line manager whose
    team completed every mandatory assignment due in it on time, and pay them the
    `team_on_time` rule with the milestone as source. Returns how many were paid now; a second
    run finds the milestones and the entries and pays nobody again.

    Raises ValueError for a month that is not over: its figures are not final."""
    period = Period.containing(MONTH, month)
    today = today or timezone.localdate()
    if period.last_day >= today:
        raise ValueError(f"{period.name} is not over yet.")
    teams = team_on_time_rates(start=period.first_day, end=period.last_day, today=today)
    winners = [team for team in teams.values() if team.all_on_time]
    active = set(
        User.objects.filter(pk__in=[t.manager_id for t in winners], is_active=True).values_list(
            "pk", flat=True
        )
    )
    paid = 0
    for team in winners:
        if team.manager_id not in active:
            continue
        milestone, _ = TeamMilestone.objects.get_or_create(
            manager_id=team.manager_id,
            month=period.first_day,
            defaults={"assignments_due": team.due, "people": team.people},
        )
        entry = award_by_rule(
            event=Category.TEAM_ON_TIME,
            user_id=team.manager_id,
            source=milestone,
            reason=f"Whole team on time in {period.name}",
        )
        paid += entry is not None
    return paid


# --- The nightly sweep


def _unpaid(queryset, *, rule: PointsRule, label: str, source_field: str, user_field: str):
    """`queryset` without the rows the rule already paid for (same person and source)."""
    app_label, model = label.split(".")
    paid = PointsEntry.objects.filter(
        rule=rule,
        source_type=ContentType.objects.get_by_natural_key(app_label, model),
        source_id=OuterRef(source_field),
        user_id=OuterRef(user_field),
    )
    return queryset.exclude(Exists(paid))


def _active_rule(event: str) -> PointsRule | None:
    return PointsRule.objects.filter(event=event, is_active=True).first()


def pay_missed_points(
    *, days: int | None = None, since: datetime.datetime | None = None, backdate: bool = False
) -> int:
    """Pay what the facts since `since` (by default the last `days`, LMS_POINTS_SWEEP_DAYS)
    should have paid but did not: completions, passed quizzes, acknowledgements on time,
    accepted signed suggestions, checks answered by line managers. A signal handler failed, or
    the process died before it ran. Returns the number of entries written. Safe to run at any
    time: what was paid is left alone.

    The entries are dated now, so a late payment counts in the period it is made in, like a
    correction; with `backdate` (the demo's history) they are dated when the fact happened."""
    if since is None:
        days = settings.LMS_POINTS_SWEEP_DAYS if days is None else days
        since = timezone.now() - datetime.timedelta(days=days)

    def dated(moment: datetime.datetime) -> dict:
        return {"at": moment} if backdate else {}

    written = 0
    if rule := _active_rule(Category.MODULE_COMPLETED):
        completions = _unpaid(
            Completion.objects.filter(completed_at__gte=since),
            rule=rule,
            label="lms.completion",
            source_field="pk",
            user_field="user_id",
        )
        for pk, user_id, module_id, on_time, at in completions.values_list(
            "pk", "user_id", "module_id", "on_time", "completed_at"
        ):
            written += _counts(
                pay_module_completed,
                completion_id=pk,
                user_id=user_id,
                module_id=module_id,
                on_time=on_time,
                **dated(at),
            )

    if rule := _active_rule(Category.QUIZ_PASSED):
        passes = _unpaid(
            Attempt.objects.filter(
                status=Attempt.Status.SUBMITTED, passed=True, submitted_at__gte=since
            ),
            rule=rule,
            label="quizzes.quiz",
            source_field="quiz_id",
            user_field="user_id",
        )
        firsts = (
            passes.order_by()
            .values("user_id", "quiz_id")
            .annotate(first=Min("number"), at=Min("submitted_at"))
        )
        for row in firsts:
            written += _counts(
                pay_quiz_passed,
                user_id=row["user_id"],
                quiz_id=row["quiz_id"],
                passed=True,
                number=row["first"],
                **dated(row["at"]),
            )

    if rule := _active_rule(Category.CAMPAIGN_ACKNOWLEDGED):
        acknowledgements = _unpaid(
            Acknowledgement.objects.filter(acknowledged_at__gte=since, on_time=True),
            rule=rule,
            label="campaigns.acknowledgement",
            source_field="pk",
            user_field="user_id",
        )
        for pk, campaign_id, user_id, at in acknowledgements.values_list(
            "pk", "campaign_id", "user_id", "acknowledged_at"
        ):
            written += _counts(
                pay_campaign_acknowledged,
                acknowledgement_id=pk,
                campaign_id=campaign_id,
                user_id=user_id,
                on_time=True,
                **dated(at),
            )

    if rule := _active_rule(Category.SUGGESTION_ACCEPTED):
        accepted_on = (
            SuggestionEvent.objects.filter(
                suggestion=OuterRef("pk"), to_status=Suggestion.Status.ACCEPTED
            )
            .order_by("on")
            .values("on")[:1]
        )
        suggestions = _unpaid(
            Suggestion.objects.filter(
                author__isnull=False,
                status__in=[Suggestion.Status.ACCEPTED, Suggestion.Status.DONE],
            )
            .annotate(accepted_on=Subquery(accepted_on))
            .filter(accepted_on__gte=timezone.localdate(since)),
            rule=rule,
            label="campaigns.suggestion",
            source_field="pk",
            user_field="author_id",
        )
        for pk, author_id, on in suggestions.values_list("pk", "author_id", "accepted_on"):
            written += _counts(
                pay_suggestion_accepted,
                suggestion_id=pk,
                author_id=author_id,
                **dated(start_of(on)),
            )

    if rule := _active_rule(Category.EFFECTIVENESS_CHECK):
        # The line manager when answered is not stored; the person's manager now stands in.
        checks = EffectivenessCheck.objects.filter(
            answered_at__gte=since, answered_by__isnull=False
        ).exclude(outcome=EffectivenessCheck.Outcome.PENDING)
        checks = _unpaid(
            checks,
            rule=rule,
            label="lms.effectivenesscheck",
            source_field="pk",
            user_field="answered_by_id",
        )
        for pk, person_id, by_id, manager_id, at in checks.values_list(
            "pk", "record__user_id", "answered_by_id", "record__user__manager_id", "answered_at"
        ):
            if by_id == manager_id:
                written += _counts(
                    pay_effectiveness_check,
                    check_id=pk,
                    person_id=person_id,
                    answered_by_id=by_id,
                    as_line_manager=True,
                    **dated(at),
                )
    return written


def _counts(pay, **facts) -> int:
    try:
        return pay(**facts) is not None
    except Exception:
        # One bad row must not stop the sweep paying the others; it is tried again tomorrow.
        logger.exception("points sweep: %s failed for %r", pay.__name__, facts)
        return 0


# --- Receiving the other apps' signals


def on_signal(pay):
    """A signal receiver that hands `pay` the payload's arguments it names.

    The fact is committed before its signal is sent, so a ledger write that fails must not
    turn the request that sent the fact into an error: it is logged, inside a savepoint (the
    sender's transaction, if any, stays usable), and the nightly sweep pays it later.
    """
    names = set(inspect.signature(pay).parameters)

    def receive(sender, **payload) -> None:
        facts = {name: value for name, value in payload.items() if name in names}
        try:
            with transaction.atomic():
                pay(**facts)
        except Exception:
            logger.exception("points: %s failed for %r", pay.__name__, facts)

    receive.__name__ = f"on_{pay.__name__}"
    return receive
