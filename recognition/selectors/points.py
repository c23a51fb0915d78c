"""What the points pages read: a person's totals, their ledger a page at a time, and the rules
that say how points are earned. Each costs a fixed number of queries whatever the history."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, Sum
from django.utils import timezone

from recognition.models import Category, PointsEntry, PointsRule
from recognition.periods import MONTH, QUARTER, Period

PER_PAGE = 50
# ledger.award_by_rule ends the reason of an entry cut by a weekly cap with these words.
CAPPED = re.compile(r"\(weekly cap of (\d+) reached\)$")
CATEGORY_LABELS = dict(Category.choices)


@dataclass(frozen=True)
class PointsSummary:
    total: int
    this_month: int
    this_quarter: int
    quarter_label: str
    # (category label, points) this quarter, most points first.
    by_category: list[tuple[str, int]]


def points_summary(*, user_id: int, today: datetime.date | None = None) -> PointsSummary:
    """All-time, this month's and this calendar quarter's points, and this quarter's by
    category. Two queries."""
    today = today or timezone.localdate()
    month_start = Period.containing(MONTH, today).starts
    quarter = Period.containing(QUARTER, today)
    quarter_start = quarter.starts
    entries = PointsEntry.objects.filter(user_id=user_id)
    totals = entries.aggregate(
        total=Sum("points"),
        month=Sum("points", filter=Q(awarded_at__gte=month_start)),
        quarter=Sum("points", filter=Q(awarded_at__gte=quarter_start)),
    )
    by_category = (
        entries.filter(awarded_at__gte=quarter_start)
        .order_by()
        .values("category")
        .annotate(points=Sum("points"))
    )
    rows = sorted(
        ((CATEGORY_LABELS.get(r["category"], r["category"]), r["points"]) for r in by_category),
        key=lambda row: (-row[1], row[0]),
    )
    return PointsSummary(
        total=totals["total"] or 0,
        this_month=totals["month"] or 0,
        this_quarter=totals["quarter"] or 0,
        quarter_label=quarter.name,
        by_category=rows,
    )


@dataclass(frozen=True)
class LedgerLine:
    entry: PointsEntry
    # The weekly cap that cut this entry, if one did.
    cap: int | None
    corrections: list[PointsEntry]

    @property
    def standing(self) -> int:
        """The entry's points with its corrections."""
        return self.entry.points + sum(c.points for c in self.corrections)


def ledger_page(*, user_id: int, page_number: str | int = 1) -> tuple[Page, list[LedgerLine]]:
    """One page of the person's ledger, newest first: each entry with the entry it corrects
    and the corrections made to it. Three queries (count, page, corrections)."""
    entries = (
        PointsEntry.objects.filter(user_id=user_id)
        .select_related("corrects", "awarded_by")
        .prefetch_related("corrections")
        .order_by("-awarded_at", "-pk")
    )
    page = Paginator(entries, PER_PAGE).get_page(page_number)
    lines = []
    for entry in page.object_list:
        capped = CAPPED.search(entry.reason) if entry.rule_id else None
        corrections = sorted(entry.corrections.all(), key=lambda c: (c.awarded_at, c.pk))
        lines.append(
            LedgerLine(
                entry=entry, cap=int(capped.group(1)) if capped else None, corrections=corrections
            )
        )
    return page, lines


def earning_rules() -> list[PointsRule]:
    """The active rules, as "how to earn points" shows them. One query."""
    return list(PointsRule.objects.filter(is_active=True).order_by("-points", "event"))


def entry_of(*, user_id: int, pk: int) -> PointsEntry | None:
    """The person's entry `pk`, or None when it is not theirs (or does not exist)."""
    return PointsEntry.objects.filter(user_id=user_id, pk=pk).first()
