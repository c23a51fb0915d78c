"""The feedback inbox of the Communications team: questions and comments on campaigns, those
still waiting for an answer first. A fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When

from campaigns.models import CampaignFeedback

PER_PAGE = 25
UNANSWERED = "unanswered"
ANSWERED = "answered"
SHOW_CHOICES = [
    ("", "All, unanswered first"),
    (UNANSWERED, "Waiting for an answer"),
    (ANSWERED, "Answered"),
]


def feedback_inbox(*, show: str = "", page_number: str | int = 1) -> Page:
    """One page of feedback, unanswered first, newest first within each, with its campaign,
    its author (None when anonymous) and who answered."""
    feedback = CampaignFeedback.objects.select_related("campaign", "author", "answered_by")
    if show == UNANSWERED:
        feedback = feedback.filter(answer="")
    elif show == ANSWERED:
        feedback = feedback.exclude(answer="")
    waiting_first = Case(
        When(answer="", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    ordered = feedback.annotate(waiting=waiting_first).order_by("waiting", "-submitted_on", "-pk")
    return Paginator(ordered, PER_PAGE).get_page(page_number)


def feedback_counts() -> dict[str, int]:
    """How much feedback there is in all and how much waits for an answer."""
    return CampaignFeedback.objects.aggregate(
        total=Count("pk"), unanswered=Count("pk", filter=Q(answer=""))
    )


def feedback_for_answer(*, pk: int) -> CampaignFeedback | None:
    return CampaignFeedback.objects.select_related("campaign", "author").filter(pk=pk).first()
