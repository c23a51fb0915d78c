"""Reads about badges: who meets which criterion (for many people at once, a fixed number of
queries whatever their number), the awards a person holds, and the public side of an award.

The criteria read the other apps' models and never write them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from wagtail.images import get_image_model

from campaigns.models import Suggestion
from lms.models import Assignment, User
from lms.selectors.competence import Standing, current_records, moment_of, standing_of
from lms.selectors.matrix import RequiredLevels
from recognition.models import Badge, BadgeAward, BadgeCriterion, Kudos, PointsEntry
from recognition.periods import QUARTER, Period
from recognition.selectors.team_on_time import DUE_AND_ON_TIME, mandatory_assignments_due

# Criteria that count something and compare the count with the badge's threshold; the others
# are met or not, whatever the threshold.
COUNTED = frozenset(
    {
        BadgeCriterion.SUGGESTIONS_ACCEPTED,
        BadgeCriterion.KUDOS_RECEIVED,
        BadgeCriterion.POINTS_IN_QUARTER,
    }
)
HOLDS = frozenset({Standing.HELD, Standing.EXPIRING})
THUMBNAIL = "fill-160x160"


@dataclass(frozen=True)
class Measure:
    """Where one person stands with one criterion: `count` of `out_of` (when there is such a
    total), and whether a criterion that is not counted is `met`."""

    count: int = 0
    out_of: int | None = None
    met: bool = False
    period: str = ""

    def meets(self, badge: Badge) -> bool:
        if badge.criterion in COUNTED:
            return self.count >= badge.threshold
        return self.met


NOTHING = Measure()


# --- Quarters


def measures(
    *, user_ids: list[int], criteria: set[str], today: datetime.date | None = None
) -> dict[str, dict[int, Measure]]:
    """For each criterion of `criteria`, each person of `user_ids` who has anything to show
    for it (the others stand at NOTHING). At most two queries per criterion, plus one for the
    competence requirements when a competence criterion is asked."""
    today = today or timezone.localdate()
    requirements = None
    if criteria & {BadgeCriterion.ROLE_COMPETENCES_HELD, BadgeCriterion.TEAM_COMPLIANT}:
        requirements = RequiredLevels()
    found: dict[str, dict[int, Measure]] = {}
    for criterion in criteria:
        if criterion == BadgeCriterion.MANDATORY_ON_TIME_QUARTER:
            found[criterion] = _mandatory_on_time(user_ids, today)
        elif criterion == BadgeCriterion.SUGGESTIONS_ACCEPTED:
            found[criterion] = _suggestions_accepted(user_ids)
        elif criterion == BadgeCriterion.ROLE_COMPETENCES_HELD:
            found[criterion] = _role_competences(user_ids, today, requirements)
        elif criterion == BadgeCriterion.TEAM_COMPLIANT:
            found[criterion] = _team_compliant(user_ids, today, requirements)
        elif criterion == BadgeCriterion.KUDOS_RECEIVED:
            found[criterion] = _kudos_received(user_ids)
        elif criterion == BadgeCriterion.POINTS_IN_QUARTER:
            found[criterion] = _points_in_quarter(user_ids, today)
    return found


def _mandatory_on_time(user_ids: list[int], today: datetime.date) -> dict[int, Measure]:
    quarter = Period.containing(QUARTER, today).previous()
    rows = (
        mandatory_assignments_due(start=quarter.first_day, end=quarter.last_day)
        .filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(**DUE_AND_ON_TIME)
    )
    period = quarter.name
    return {
        row["user_id"]: Measure(
            count=row["on_time"],
            out_of=row["due"],
            met=row["due"] > 0 and row["on_time"] == row["due"],
            period=period,
        )
        for row in rows
    }


def _suggestions_accepted(user_ids: list[int]) -> dict[int, Measure]:
    rows = (
        Suggestion.objects.filter(
            author_id__in=user_ids,
            status__in=[Suggestion.Status.ACCEPTED, Suggestion.Status.DONE],
        )
        .order_by()
        .values("author_id")
        .annotate(accepted=Count("pk"))
    )
    return {row["author_id"]: Measure(count=row["accepted"]) for row in rows}


def _kudos_received(user_ids: list[int]) -> dict[int, Measure]:
    rows = (
        Kudos.objects.filter(receiver_id__in=user_ids)
        .order_by()
        .values("receiver_id")
        .annotate(received=Count("pk"))
    )
    return {row["receiver_id"]: Measure(count=row["received"]) for row in rows}


def _points_in_quarter(user_ids: list[int], today: datetime.date) -> dict[int, Measure]:
    quarter = Period.containing(QUARTER, today)
    rows = (
        PointsEntry.objects.filter(
            user_id__in=user_ids, awarded_at__gte=quarter.starts, awarded_at__lt=quarter.ends
        )
        .order_by()
        .values("user_id")
        .annotate(total=Sum("points"))
    )
    period = quarter.name
    return {row["user_id"]: Measure(count=max(row["total"] or 0, 0), period=period) for row in rows}


def _competence_gaps(
    people: list[dict], today: datetime.date, requirements: RequiredLevels
) -> dict[int, tuple]:
    """(required, held) competence counts of each person: one query for their records."""
    moment = moment_of(today)
    records = current_records(user_ids=[person["id"] for person in people], today=today)
    counts = {}
    for person in people:
        required = requirements.of(person["job_role_id"], person["management_level"])
        held = sum(
            standing_of(
                records.get((person["id"], competence_id)),
                moment=moment,
                required_level=level,
            )
            in HOLDS
            for competence_id, level in required.items()
        )
        counts[person["id"]] = (len(required), held)
    return counts


def _role_competences(user_ids: list[int], today: datetime.date, requirements) -> dict:
    people = list(
        User.objects.filter(pk__in=user_ids).values("id", "job_role_id", "management_level")
    )
    return {
        user_id: Measure(count=held, out_of=required, met=required > 0 and held == required)
        for user_id, (required, held) in _competence_gaps(people, today, requirements).items()
    }


def _team_compliant(user_ids: list[int], today: datetime.date, requirements) -> dict:
    reports = list(
        User.objects.filter(manager_id__in=user_ids, is_active=True).values(
            "id", "manager_id", "job_role_id", "management_level"
        )
    )
    if not reports:
        return {}
    overdue = set(
        Assignment.objects.filter(
            user_id__in=[report["id"] for report in reports],
            mandatory=True,
            status=Assignment.Status.OPEN,
            due_on__lt=today,
        ).values_list("user_id", flat=True)
    )
    gaps = _competence_gaps(reports, today, requirements)
    team: dict[int, list[bool]] = defaultdict(list)
    for report in reports:
        required, held = gaps[report["id"]]
        team[report["manager_id"]].append(report["id"] not in overdue and held == required)
    return {
        manager_id: Measure(count=sum(compliant), out_of=len(compliant), met=all(compliant))
        for manager_id, compliant in team.items()
    }


# --- Awards


def current_awards() -> Q:
    """Awards that count now: not revoked, and not expired."""
    return Q(revoked_at__isnull=True) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def active_badges() -> list[Badge]:
    return list(Badge.objects.filter(is_active=True).order_by("name", "pk"))


def held_badge_ids(*, user_ids: list[int]) -> set[tuple[int, int]]:
    """The (user_id, badge_id) pairs of the awards that count now: one query."""
    return set(
        BadgeAward.objects.filter(current_awards(), user_id__in=user_ids).values_list(
            "user_id", "badge_id"
        )
    )


def last_sequences(*, user_id: int) -> dict[int, int]:
    """The highest sequence of each badge awarded to `user_id`, revoked or not."""
    return dict(
        BadgeAward.objects.filter(user_id=user_id)
        .order_by()
        .values("badge_id")
        .annotate(last=Max("sequence"))
        .values_list("badge_id", "last")
    )


def _with_images(badges: QuerySet[Badge]) -> QuerySet[Badge]:
    images = get_image_model().objects.prefetch_renditions(THUMBNAIL)
    return badges.prefetch_related(Prefetch("image", queryset=images))


@dataclass
class HeldBadge:
    """A badge a person was awarded, its latest award first, then the earlier ones."""

    badge: Badge
    awards: list[BadgeAward] = field(default_factory=list)

    @property
    def latest(self) -> BadgeAward:
        return self.awards[0]

    @property
    def history(self) -> list[BadgeAward]:
        return self.awards[1:]


@dataclass
class AvailableBadge:
    badge: Badge
    measure: Measure

    @property
    def target(self) -> int | None:
        if self.badge.criterion in COUNTED:
            return self.badge.threshold
        return self.measure.out_of


@dataclass
class MyBadges:
    held: list[HeldBadge]
    available: list[AvailableBadge]


def my_badges(*, user: User, today: datetime.date | None = None) -> MyBadges:
    """Every badge `user` was awarded (current or not, revoked ones too, with their history)
    and the active badges they do not hold now, with their progress. A fixed number of
    queries: awards, badges, their images and renditions, and the measures."""
    awards = list(
        BadgeAward.objects.filter(user=user)
        .select_related("badge")
        .prefetch_related(
            Prefetch(
                "badge__image",
                queryset=get_image_model().objects.prefetch_renditions(THUMBNAIL),
            )
        )
        .order_by("badge__name", "badge_id", "-sequence")
    )
    now = timezone.now()
    held: dict[int, HeldBadge] = {}
    holding: set[int] = set()
    for award in awards:
        held.setdefault(award.badge_id, HeldBadge(badge=award.badge)).awards.append(award)
        if award.revoked_at is None and (award.expires_at is None or award.expires_at > now):
            holding.add(award.badge_id)
    badges = [
        badge
        for badge in _with_images(Badge.objects.filter(is_active=True).order_by("name", "pk"))
        if badge.pk not in holding
    ]
    found = measures(
        user_ids=[user.pk], criteria={badge.criterion for badge in badges}, today=today
    )
    return MyBadges(
        held=list(held.values()),
        available=[
            AvailableBadge(badge=badge, measure=found[badge.criterion].get(user.pk, NOTHING))
            for badge in badges
        ],
    )


def is_current(award: BadgeAward) -> bool:
    return award.revoked_at is None and (
        award.expires_at is None or award.expires_at > timezone.now()
    )


def public_award(uid) -> BadgeAward | None:
    """The award with public id `uid` if its owner shares it and it is not revoked."""
    return (
        BadgeAward.objects.filter(uid=uid, is_public=True, revoked_at__isnull=True)
        .select_related("badge__image", "user")
        .first()
    )


def badge_clauses(badge: Badge) -> list:
    return list(badge.clauses.select_related("standard").order_by("standard__name", "sort_order"))
