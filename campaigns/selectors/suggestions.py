"""What the suggestion box shows back: an author's own suggestions, and "you said, we did"."""

from django.db.models import F, Prefetch, QuerySet

from campaigns.models import Suggestion, SuggestionEvent
from lms.models import User

SHOWN_ON_YOU_SAID_WE_DID = (Suggestion.Status.ACCEPTED, Suggestion.Status.DONE)


def suggestions_of(*, author: User) -> QuerySet[Suggestion]:
    """The author's own signed suggestions, newest first, each with its history of statuses
    (dates and statuses only: who moved it on and their notes stay with the triage)."""
    history = SuggestionEvent.objects.only(
        "id", "suggestion_id", "from_status", "to_status", "on"
    ).order_by("on", "pk")
    return (
        Suggestion.objects.filter(author=author)
        .select_related("department")
        .prefetch_related(Prefetch("events", queryset=history, to_attr="history"))
        .order_by("-submitted_on", "-pk")
    )


def you_said_we_did(*, category: str | None = None) -> QuerySet[Suggestion]:
    """Accepted and done suggestions, most recently decided first. The author, the department
    and the day it was sent are never read, so they cannot reach the page."""
    suggestions = Suggestion.objects.filter(status__in=SHOWN_ON_YOU_SAID_WE_DID)
    if category:
        suggestions = suggestions.filter(category=category)
    return suggestions.only(
        "id", "category", "text", "status", "action", "outcome", "status_changed_on"
    ).order_by(F("status_changed_on").desc(nulls_last=True), "-pk")
