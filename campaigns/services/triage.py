"""The triage of the suggestion box: new → under review → accepted (with an owner and an action)
or declined (with a reason) → done (with the outcome). Declined and done are final.

Each step is written as an event with the date only, tells a signed author in the app, and
announces acceptance and completion to other apps once the transaction has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from campaigns.models import Suggestion, SuggestionEvent
from campaigns.signals import suggestion_accepted, suggestion_done
from lms.models import Notification, User
from lms.services.notifications import notification

Status = Suggestion.Status

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.UNDER_REVIEW,),
    Status.UNDER_REVIEW: (Status.ACCEPTED, Status.DECLINED),
    Status.ACCEPTED: (Status.DONE,),
    Status.DECLINED: (),
    Status.DONE: (),
}

# How each step reads in a sentence: "cannot be <verb>", "it can next be <verb>".
STEP_VERBS = {
    Status.NEW: "made new again",
    Status.UNDER_REVIEW: "put under review",
    Status.ACCEPTED: "accepted",
    Status.DECLINED: "declined",
    Status.DONE: "marked done",
}

SIGNALS = {Status.ACCEPTED: suggestion_accepted, Status.DONE: suggestion_done}


@dataclass(frozen=True)
class Move:
    """The suggestion as it now stands, and whether this call moved it (False when it was
    already in the status asked for, as after a second click on the same button)."""

    suggestion: Suggestion
    moved: bool


def next_steps(*, suggestion: Suggestion) -> tuple[str, ...]:
    """The statuses `suggestion` may move to from where it stands."""
    return NEXT_STEPS[suggestion.status]


def move_suggestion(
    *,
    suggestion: Suggestion,
    to_status: str,
    by: User,
    owner: User | None = None,
    action: str = "",
    reason: str = "",
    outcome: str = "",
    note: str = "",
) -> Move:
    """Move `suggestion` one step on in its triage, on behalf of `by`.

    Accepting needs the `owner` (an active person) and the `action`; declining needs the
    `reason`; marking done needs the `outcome`. Any move the workflow does not allow raises a
    ValidationError and changes nothing. Asking for the status the suggestion already has
    changes nothing either and is not an error: the returned `Move.moved` is False.
    """
    if not by.has_perm("campaigns.triage_suggestion"):
        raise PermissionDenied("Only the Communications team can triage suggestions.")
    if to_status not in Status.values:
        raise ValidationError(f"'{to_status}' is not a status of a suggestion.")
    with transaction.atomic():
        # The lock makes two people (or two clicks) moving the same suggestion take turns: the
        # second sees the first one's status.
        row = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if row.status == to_status:
            return Move(suggestion=row, moved=False)
        _check_step(current=row.status, to_status=to_status)
        _apply_step(
            row, to_status=to_status, owner=owner, action=action, reason=reason, outcome=outcome
        )
        from_status, today = row.status, timezone.localdate()
        row.status, row.status_changed_on = to_status, today
        row.save(
            update_fields=[
                "status",
                "status_changed_on",
                "owner",
                "action",
                "decline_reason",
                "outcome",
            ]
        )
        SuggestionEvent.objects.create(
            suggestion=row,
            from_status=from_status,
            to_status=to_status,
            by=by,
            on=today,
            note=note.strip(),
        )
        if row.author_id is not None:
            _tell_author(row)
        if signal := SIGNALS.get(to_status):
            transaction.on_commit(
                partial(
                    signal.send,
                    sender=Suggestion,
                    suggestion_id=row.pk,
                    author_id=row.author_id,
                    status=to_status,
                )
            )
    return Move(suggestion=row, moved=True)


def _check_step(*, current: str, to_status: str) -> None:
    allowed = NEXT_STEPS[current]
    if to_status in allowed:
        return
    label = Status(current).label.lower()
    refusal = f"A suggestion that is {label} cannot be {STEP_VERBS[to_status]}"
    if not allowed:
        raise ValidationError(f"{refusal}: its triage is over.")
    choices = " or ".join(STEP_VERBS[step] for step in allowed)
    raise ValidationError(f"{refusal}; it can only be {choices} next.")


def _apply_step(
    row: Suggestion, *, to_status: str, owner: User | None, action: str, reason: str, outcome: str
) -> None:
    if to_status == Status.ACCEPTED:
        errors = {}
        if owner is None or not owner.is_active:
            errors["owner"] = "Choose who will carry out the action, among active people."
        if not action.strip():
            errors["action"] = "Say what will be done."
        if errors:
            raise ValidationError(errors)
        row.owner, row.action = owner, action.strip()
    elif to_status == Status.DECLINED:
        if not reason.strip():
            raise ValidationError({"reason": "Say why the suggestion is declined."})
        row.decline_reason = reason.strip()
    elif to_status == Status.DONE:
        if not outcome.strip():
            raise ValidationError({"outcome": "Say what was done."})
        row.outcome = outcome.strip()


def _tell_author(row: Suggestion) -> None:
    notification(
        user_id=row.author_id,
        kind=Notification.Kind.SUGGESTION,
        message=author_notice(suggestion=row),
        url=my_suggestions_url(),
    ).save()


def author_notice(*, suggestion: Suggestion) -> str:
    """What the author of `suggestion` is told of the status it has just reached."""
    what = {
        Status.UNDER_REVIEW: "is now under review",
        Status.ACCEPTED: f"was accepted: {suggestion.action}",
        Status.DECLINED: f"was declined: {suggestion.decline_reason}",
        Status.DONE: f"is done: {suggestion.outcome}",
    }[suggestion.status]
    category = suggestion.get_category_display().lower()
    day = suggestion.submitted_on
    return f"Your {category} suggestion of {day.day} {day:%B %Y} {what}"


def my_suggestions_url() -> str:
    """Where an author follows their suggestions; empty while that page is not installed."""
    try:
        return reverse("my_suggestions")
    except NoReverseMatch:
        return ""
