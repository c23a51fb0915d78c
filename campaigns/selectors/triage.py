"""What the triage pages read: the list of suggestions with its counts per status, and one
suggestion with its history. Each costs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from campaigns.models import Suggestion, SuggestionEvent

Status = Suggestion.Status

PER_PAGE = 50
OPEN = "open"
OPEN_STATUSES = (Status.NEW, Status.UNDER_REVIEW)
# The order of the list when no status is chosen: what waits for the team comes first.
STATUS_ORDER = (Status.NEW, Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED, Status.DONE)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class TriageList:
    page: Page
    counts: list[StatusCount]


def triage_list(*, status: str = "", category: str = "", page_number: str | int = 1) -> TriageList:
    """One page of suggestions, open ones first (new, then under review), newest first within a
    status; `status` is one status, "open" (new or under review) or "" for all. The counts per
    status follow the category chosen but not the status, so they say what each choice holds."""
    in_category = Suggestion.objects.all()
    if category:
        in_category = in_category.filter(category=category)
    chosen = in_category
    if status == OPEN:
        chosen = chosen.filter(status__in=OPEN_STATUSES)
    elif status:
        chosen = chosen.filter(status=status)
    rows = chosen.select_related("author", "department", "owner").annotate(
        status_rank=_status_rank()
    )
    page = Paginator(rows.order_by("status_rank", "-submitted_on", "-pk"), PER_PAGE).get_page(
        page_number
    )
    return TriageList(page=page, counts=_status_counts(in_category))


def _status_rank() -> Case:
    return Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
        output_field=IntegerField(),
    )


def _status_counts(suggestions: QuerySet[Suggestion]) -> list[StatusCount]:
    found = dict(
        suggestions.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        StatusCount(status=status, label=Status(status).label, count=found.get(status, 0))
        for status in STATUS_ORDER
    ]


def suggestion_for_triage(*, pk: int) -> Suggestion | None:
    """The suggestion `pk` with its author, department and owner, or None."""
    return Suggestion.objects.select_related("author", "department", "owner").filter(pk=pk).first()


def suggestion_history(*, suggestion: Suggestion) -> list[SuggestionEvent]:
    """The steps of `suggestion`'s triage, oldest first, with who took each."""
    return list(suggestion.events.select_related("by").order_by("on", "pk"))
