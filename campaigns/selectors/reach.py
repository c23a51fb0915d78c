"""The reach of campaigns: for the revision a campaign asks about, how many people it was
delivered to, opened it, acknowledged it and passed its awareness check; by department, by
management level and day by day since it was released; and who has not acknowledged it yet.

HR sees everyone by name, a manager the people below them by name, Communications everyone
but counts only: names are not even read from the database for them. Every figure costs a fixed
number of queries whatever the size of the audience: one row per person delivered to, counted
here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from campaigns.models import Acknowledgement, CampaignPage, Delivery, Release
from lms.exports import Cell
from lms.models import ManagementLevel, User
from lms.selectors.people import report_ids, sees_everyone
from quizzes.models import Attempt

NO_DEPARTMENT = "No department"
# The page lists this many people who have not acknowledged; the download lists them all.
NAMES_ON_PAGE = 100
LEVEL_ORDER = [level for level, _label in ManagementLevel.choices]
LEVEL_LABELS = dict(ManagementLevel.choices)

BREAKDOWN = "breakdown"
DAYS = "days"
NOT_ACKNOWLEDGED = "not_acknowledged"
TABLES = (BREAKDOWN, DAYS, NOT_ACKNOWLEDGED)


# --- Who may see what


@dataclass(frozen=True)
class ReachScope:
    """Whose figures a viewer sees (`people_ids`; None for everyone) and whether they see the
    names of those who have not acknowledged."""

    people_ids: frozenset[int] | None
    shows_names: bool
    description: str

    def deliveries(self, deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
        if self.people_ids is None:
            return deliveries
        return deliveries.filter(user_id__in=self.people_ids)


def reach_scope(*, viewer: User) -> ReachScope | None:
    """HR: everyone, with names. Communications: everyone, counts only. A manager: the people
    below them, with names. Anyone else: None. Someone in HR and Communications is HR."""
    if not viewer.is_authenticated:
        return None
    if sees_everyone(viewer):
        return ReachScope(people_ids=None, shows_names=True, description="everyone")
    if viewer.has_perm("campaigns.view_delivery"):
        return ReachScope(people_ids=None, shows_names=False, description="everyone")
    below = report_ids(manager=viewer)
    if below:
        return ReachScope(
            people_ids=frozenset(below), shows_names=True, description="the people below you"
        )
    return None


# --- Figures


def _percent(part: int | Decimal, whole: int) -> float | None:
    return round(float(100 * part / whole), 1) if whole else None


@dataclass(frozen=True)
class PersonFact:
    """What one person delivered to did with the revision asked about."""

    user_id: int
    name: str
    email: str
    department: str
    level: str
    delivered_at: datetime.datetime
    opened_at: datetime.datetime | None
    acknowledged_at: datetime.datetime | None
    # Their latest submitted attempt at the awareness check, if any.
    score: Decimal | None
    passed: bool | None

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)


@dataclass
class Figures:
    """The counts of one group of people delivered to, and their rates in percent."""

    label: str
    delivered: int = 0
    opened: int = 0
    acknowledged: int = 0
    checked: int = 0
    passed: int = 0
    score_sum: Decimal = Decimal(0)

    def count(self, fact: PersonFact) -> None:
        self.delivered += 1
        self.opened += fact.opened_at is not None
        self.acknowledged += fact.acknowledged_at is not None
        if fact.score is not None:
            self.checked += 1
            self.passed += bool(fact.passed)
            self.score_sum += fact.score

    @property
    def open_rate(self) -> float | None:
        return _percent(self.opened, self.delivered)

    @property
    def acknowledgement_rate(self) -> float | None:
        return _percent(self.acknowledged, self.delivered)

    @property
    def average_score(self) -> float | None:
        return round(float(self.score_sum / self.checked), 1) if self.checked else None

    @property
    def pass_rate(self) -> float | None:
        return _percent(self.passed, self.checked)


@dataclass(frozen=True)
class AskedVersion:
    """A revision some release asked its audience about: the campaign's versions for reach."""

    revision_id: int
    number: int
    released_at: datetime.datetime
    change_summary: str
    is_current: bool

    @property
    def label(self) -> str:
        current = " (current)" if self.is_current else ""
        released = timezone.localtime(self.released_at)
        return f"Version {self.number}, released {released.day} {released:%B %Y}{current}"


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    opened: int
    acknowledged: int
    opened_to_date: int
    acknowledged_to_date: int


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: datetime.date
    value: int


@dataclass(frozen=True)
class DayChart:
    """Bars of one count per day, for an SVG drawn on the server: `width` × `HEIGHT` units."""

    HEIGHT = 100

    width: int
    peak: int
    bars: list[Bar]


@dataclass
class CampaignReach:
    campaign: CampaignPage
    scope: ReachScope
    versions: list[AskedVersion]
    version: AskedVersion
    needs_acknowledgement: bool
    has_check: bool
    total: Figures
    by_department: list[Figures]
    by_level: list[Figures]
    days: list[DayCount]
    not_acknowledged: list[PersonFact] = field(default_factory=list)
    not_acknowledged_count: int = 0

    @property
    def names_on_page(self) -> list[PersonFact]:
        return self.not_acknowledged[:NAMES_ON_PAGE]

    @property
    def names_not_on_page(self) -> int:
        return max(0, len(self.not_acknowledged) - NAMES_ON_PAGE)

    @property
    def opened_chart(self) -> DayChart:
        return day_chart([(day.day, day.opened) for day in self.days])

    @property
    def acknowledged_chart(self) -> DayChart:
        return day_chart([(day.day, day.acknowledged) for day in self.days])


# --- One campaign


def campaign_for_reach(*, pk: int) -> CampaignPage | None:
    """The campaign `pk` with its awareness check, or None."""
    return CampaignPage.objects.select_related("awareness_check").filter(pk=pk).first()


def asked_versions(*, campaign: CampaignPage) -> list[AskedVersion]:
    """The revisions `campaign`'s releases asked about, oldest first; one query. A version is
    released by the first release that asked about it (a minor release after it asks again
    about the same one)."""
    first_asked: dict[int, tuple[datetime.datetime, str]] = {}
    for revision_id, published_at, change_summary in (
        Release.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("asks_about_id", "published_at", "change_summary")
    ):
        first_asked.setdefault(revision_id, (published_at, change_summary))
    current = list(first_asked)[-1] if first_asked else None
    return [
        AskedVersion(
            revision_id=revision_id,
            number=number,
            released_at=released_at,
            change_summary=change_summary,
            is_current=revision_id == current,
        )
        for number, (revision_id, (released_at, change_summary)) in enumerate(
            first_asked.items(), start=1
        )
    ]


def _acknowledgement_of_delivery() -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.filter(
        campaign_id=OuterRef("campaign_id"),
        user_id=OuterRef("user_id"),
        revision_id=OuterRef("revision_id"),
    )


def person_facts(
    *, campaign: CampaignPage, revision_id: int, scope: ReachScope
) -> list[PersonFact]:
    """One fact per person in `scope` delivered `revision_id` of `campaign`, by name; one query.
    Without `scope.shows_names`, names and e-mail addresses are left empty."""
    deliveries = scope.deliveries(
        Delivery.objects.filter(campaign=campaign, revision_id=revision_id)
    ).annotate(
        acknowledged_at=Subquery(_acknowledgement_of_delivery().values("acknowledged_at")[:1])
    )
    if campaign.awareness_check_id is not None:
        latest = Attempt.objects.filter(
            quiz_id=campaign.awareness_check_id,
            user_id=OuterRef("user_id"),
            status=Attempt.Status.SUBMITTED,
        ).order_by("-submitted_at", "-number")
        deliveries = deliveries.annotate(
            score=Subquery(latest.values("score_percent")[:1]),
            passed=Subquery(latest.values("passed")[:1]),
        )
    fields = [
        "user_id",
        "user__department__name",
        "user__management_level",
        "created_at",
        "opened_at",
        "acknowledged_at",
    ]
    if campaign.awareness_check_id is not None:
        fields += ["score", "passed"]
    if scope.shows_names:
        fields += ["user__first_name", "user__last_name", "user__email"]
    rows = deliveries.order_by("user__last_name", "user__first_name", "user__email").values(*fields)
    return [_fact(row) for row in rows]


def _fact(row: dict) -> PersonFact:
    name = f"{row.get('user__first_name', '')} {row.get('user__last_name', '')}".strip()
    email = row.get("user__email", "")
    return PersonFact(
        user_id=row["user_id"],
        name=name or email,
        email=email,
        department=row["user__department__name"] or NO_DEPARTMENT,
        level=row["user__management_level"],
        delivered_at=row["created_at"],
        opened_at=row["opened_at"],
        acknowledged_at=row["acknowledged_at"],
        score=row.get("score"),
        passed=row.get("passed"),
    )


def campaign_reach(
    *,
    campaign: CampaignPage,
    scope: ReachScope,
    versions: list[AskedVersion],
    revision_id: int | None = None,
    today: datetime.date | None = None,
) -> CampaignReach | None:
    """The reach of the version `revision_id` (the current one by default) among the people in
    `scope`; None when the campaign was never released. `versions` from `asked_versions`."""
    if not versions:
        return None
    by_revision = {version.revision_id: version for version in versions}
    version = by_revision[revision_id] if revision_id is not None else versions[-1]
    facts = person_facts(campaign=campaign, revision_id=version.revision_id, scope=scope)
    needs_acknowledgement = campaign.needs_acknowledgement
    not_acknowledged = (
        [fact for fact in facts if fact.acknowledged_at is None] if needs_acknowledgement else []
    )
    start = timezone.localtime(version.released_at).date()
    return CampaignReach(
        campaign=campaign,
        scope=scope,
        versions=versions,
        version=version,
        needs_acknowledgement=needs_acknowledgement,
        has_check=campaign.awareness_check_id is not None,
        total=_figures("Everyone delivered to", facts),
        by_department=_grouped(facts, key=lambda fact: fact.department, order=_department_order),
        by_level=_grouped(facts, key=lambda fact: fact.level_label, order=_level_order),
        days=day_counts(facts, start=start, end=max(start, today or timezone.localdate())),
        not_acknowledged=not_acknowledged if scope.shows_names else [],
        not_acknowledged_count=len(not_acknowledged),
    )


def _figures(label: str, facts: Iterable[PersonFact]) -> Figures:
    figures = Figures(label=label)
    for fact in facts:
        figures.count(fact)
    return figures


def _grouped(
    facts: list[PersonFact],
    *,
    key: Callable[[PersonFact], str],
    order: Callable[[Figures], object],
) -> list[Figures]:
    groups: dict[str, Figures] = {}
    for fact in facts:
        label = key(fact)
        groups.setdefault(label, Figures(label=label)).count(fact)
    return sorted(groups.values(), key=order)


def _department_order(figures: Figures) -> tuple[bool, str]:
    return (figures.label == NO_DEPARTMENT, figures.label.casefold())


_LEVEL_RANK = {LEVEL_LABELS[level]: rank for rank, level in enumerate(LEVEL_ORDER)}


def _level_order(figures: Figures) -> int:
    return _LEVEL_RANK.get(figures.label, len(_LEVEL_RANK))


def day_counts(
    facts: list[PersonFact], *, start: datetime.date, end: datetime.date
) -> list[DayCount]:
    """Opens and acknowledgements on each day from `start` to `end`, with the running totals.
    Anything dated before `start` counts on `start`."""
    opened: dict[datetime.date, int] = {}
    acknowledged: dict[datetime.date, int] = {}
    for fact in facts:
        for moment, counts in ((fact.opened_at, opened), (fact.acknowledged_at, acknowledged)):
            if moment is not None:
                day = max(start, timezone.localtime(moment).date())
                counts[day] = counts.get(day, 0) + 1
    days = []
    opened_to_date = acknowledged_to_date = 0
    for offset in range((end - start).days + 1):
        day = start + datetime.timedelta(days=offset)
        opened_to_date += opened.get(day, 0)
        acknowledged_to_date += acknowledged.get(day, 0)
        days.append(
            DayCount(
                day=day,
                opened=opened.get(day, 0),
                acknowledged=acknowledged.get(day, 0),
                opened_to_date=opened_to_date,
                acknowledged_to_date=acknowledged_to_date,
            )
        )
    return days


BAR_SLOT = 10
BAR_GAP = 2


def day_chart(values: list[tuple[datetime.date, int]]) -> DayChart:
    """One bar per day, as tall as its value against the highest day's."""
    peak = max((value for _day, value in values), default=0)
    bars = []
    for index, (day, value) in enumerate(values):
        height = round(DayChart.HEIGHT * value / peak, 2) if peak else 0
        bars.append(
            Bar(
                x=index * BAR_SLOT + BAR_GAP / 2,
                y=DayChart.HEIGHT - height,
                width=BAR_SLOT - BAR_GAP,
                height=height,
                day=day,
                value=value,
            )
        )
    return DayChart(width=max(1, len(values)) * BAR_SLOT, peak=peak, bars=bars)


# --- Tables for downloads

BREAKDOWN_HEADER = [
    "Breakdown",
    "Group",
    "Delivered",
    "Opened",
    "Opened (%)",
    "Acknowledged",
    "Acknowledged (%)",
    "Took the awareness check",
    "Average score (%)",
    "Passed the awareness check (%)",
]
DAYS_HEADER = ["Day", "Opened", "Acknowledged", "Opened to date", "Acknowledged to date"]
NOT_ACKNOWLEDGED_HEADER = [
    "Name",
    "E-mail",
    "Department",
    "Management level",
    "Delivered",
    "Opened",
]


def breakdown_rows(reach: CampaignReach) -> list[list[Cell]]:
    """The totals, each department and each management level, as download rows. The columns of
    acknowledgement or the awareness check are empty where the campaign asks for neither."""
    groups = [
        ("Total", reach.total),
        *(("Department", figures) for figures in reach.by_department),
        *(("Management level", figures) for figures in reach.by_level),
    ]
    return [_breakdown_row(reach, breakdown, figures) for breakdown, figures in groups]


def _breakdown_row(reach: CampaignReach, breakdown: str, figures: Figures) -> list[Cell]:
    acknowledged = (
        [figures.acknowledged, figures.acknowledgement_rate]
        if reach.needs_acknowledgement
        else [None, None]
    )
    check = (
        [figures.checked, figures.average_score, figures.pass_rate]
        if reach.has_check
        else [None, None, None]
    )
    return [
        breakdown,
        figures.label,
        figures.delivered,
        figures.opened,
        figures.open_rate,
        *acknowledged,
        *check,
    ]


def days_rows(reach: CampaignReach) -> list[list[Cell]]:
    return [
        [day.day, day.opened, day.acknowledged, day.opened_to_date, day.acknowledged_to_date]
        for day in reach.days
    ]


def not_acknowledged_rows(reach: CampaignReach) -> list[list[Cell]]:
    """Everyone who has not acknowledged, by name: empty unless the scope shows names."""
    return [
        [
            fact.name,
            fact.email,
            fact.department,
            fact.level_label,
            timezone.localtime(fact.delivered_at).date(),
            timezone.localtime(fact.opened_at).date() if fact.opened_at else None,
        ]
        for fact in reach.not_acknowledged
    ]


# --- Every campaign


@dataclass(frozen=True)
class CampaignReachRow:
    campaign: CampaignPage
    released_at: datetime.datetime
    figures: Figures


def _current_asked_revision(campaign_id) -> Subquery:
    return Subquery(
        Release.objects.filter(campaign_id=campaign_id).order_by("-pk").values("asks_about_id")[:1]
    )


def reach_index(*, scope: ReachScope) -> list[CampaignReachRow]:
    """Every released campaign, newest version first, with the reach of the version it asks
    about now among the people in `scope`; two queries whatever the number of campaigns."""
    campaigns = (
        CampaignPage.objects.filter(Exists(Release.objects.filter(campaign_id=OuterRef("pk"))))
        .annotate(asked_revision_id=_current_asked_revision(OuterRef("pk")))
        .annotate(
            asked_since=Subquery(
                Release.objects.filter(revision_id=OuterRef("asked_revision_id")).values(
                    "published_at"
                )[:1]
            )
        )
        .order_by("-asked_since", "title")
    )
    counts = {
        row["campaign_id"]: row
        for row in scope.deliveries(
            Delivery.objects.filter(revision_id=_current_asked_revision(OuterRef("campaign_id")))
        )
        .order_by()
        .values("campaign_id")
        .annotate(
            delivered=Count("pk"),
            opened=Count("pk", filter=Q(opened_at__isnull=False)),
            acknowledged=Count("pk", filter=Q(Exists(_acknowledgement_of_delivery()))),
        )
    }
    rows = []
    for campaign in campaigns:
        found = counts.get(campaign.pk, {})
        figures = Figures(
            label=campaign.title,
            delivered=found.get("delivered", 0),
            opened=found.get("opened", 0),
            acknowledged=found.get("acknowledged", 0),
        )
        rows.append(
            CampaignReachRow(campaign=campaign, released_at=campaign.asked_since, figures=figures)
        )
    return rows
