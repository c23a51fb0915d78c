"""Kudos between colleagues: sending one (which pays the receiver by the kudos rule and tells
them and their line manager), and HR hiding one from the wall."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.models import Notification, User
from lms.services.notifications import notify
from recognition.models import Category, Kudos, KudosValue
from recognition.selectors.kudos import roster
from recognition.services.ledger import award_by_rule, week_start

logger = logging.getLogger(__name__)

MESSAGE_MIN = 10
MESSAGE_MAX = Kudos._meta.get_field("message").max_length
HIDE_REASON_MAX = 300


def display_name(person: User) -> str:
    return person.get_full_name() or person.email


def send_kudos(
    *,
    sender: User,
    receiver_id: int | str | None,
    value: str,
    message: str,
    at: datetime.datetime | None = None,
) -> Kudos:
    """Send kudos from `sender` to the active person on the roster `receiver_id`, for `value`
    (a KudosValue) with `message` (10 to 500 characters of plain text, saying what they did).

    A sender may send `LMS_KUDOS_SENT_PER_WEEK` kudos a week (Monday to Sunday) and one a day to
    the same colleague. The receiver is paid by the `kudos_received` rule (within its weekly
    cap) and notified, and so is their line manager. Raises ValidationError, with a message per
    field ("receiver", "value", "message") or about the limits, and writes nothing."""
    at = at or timezone.now()
    message = (message or "").strip()
    receiver = _receiver(receiver_id)
    errors: dict[str, str] = {}
    if receiver is None:
        errors["receiver"] = "Choose a colleague from the list: only active people on the roster."
    elif receiver.pk == sender.pk:
        errors["receiver"] = "Kudos are for a colleague: you cannot send them to yourself."
    if value not in KudosValue.values:
        errors["value"] = "Choose the value their contribution stands for."
    if len(message) < MESSAGE_MIN:
        errors["message"] = (
            f"Say what they did, in at least {MESSAGE_MIN} characters: a concrete contribution."
        )
    elif len(message) > MESSAGE_MAX:
        errors["message"] = f"Keep the message to {MESSAGE_MAX} characters; it has {len(message)}."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        # A sender's kudos queue here, so two sent at once cannot both pass the limits.
        User.objects.select_for_update().filter(pk=sender.pk).values_list("pk").first()
        _check_limits(sender=sender, receiver=receiver, at=at)
        kudos = Kudos.objects.create(
            sender=sender, receiver=receiver, value=value, message=message, created_at=at
        )
        value_label = KudosValue(value).label
        award_by_rule(
            event=Category.KUDOS_RECEIVED,
            user_id=receiver.pk,
            source=kudos,
            reason=f"Kudos from {sender.first_name or display_name(sender)} for {value_label}",
            at=at,
        )
        notify(
            user=receiver,
            kind=Notification.Kind.KUDOS,
            message=f"{display_name(sender)} sent you kudos for {value_label}: {message}",
            url=reverse("my_kudos"),
        )
        manager = receiver.manager
        # A manager who sent the kudos already knows.
        if manager is not None and manager.is_active and manager.pk != sender.pk:
            notify(
                user=manager,
                kind=Notification.Kind.KUDOS,
                message=(
                    f"{display_name(receiver)} received kudos from {display_name(sender)} "
                    f"for {value_label}"
                ),
                url=reverse("team_kudos"),
            )
    return kudos


def sent_this_week(*, sender: User, at: datetime.datetime | None = None) -> int:
    start = week_start(at or timezone.now())
    return Kudos.objects.filter(sender=sender, created_at__gte=start).count()


def _receiver(receiver_id) -> User | None:
    try:
        pk = int(receiver_id)
    except (TypeError, ValueError):
        return None
    return roster().select_related("manager").filter(pk=pk).first()


def _check_limits(*, sender: User, receiver: User, at: datetime.datetime) -> None:
    limit = settings.LMS_KUDOS_SENT_PER_WEEK
    start = week_start(at)
    sent = Kudos.objects.filter(
        sender=sender, created_at__gte=start, created_at__lt=start + datetime.timedelta(days=7)
    ).count()
    if sent >= limit:
        resets = timezone.localtime(start + datetime.timedelta(days=7))
        raise ValidationError(
            f"You have sent {sent} kudos this week, the most anyone may send in a week "
            f"({limit}); you can send more from Monday {resets.day} {resets:%B}."
        )
    local = timezone.localtime(at)
    day_start = timezone.make_aware(datetime.datetime.combine(local.date(), datetime.time.min))
    if Kudos.objects.filter(
        sender=sender,
        receiver=receiver,
        created_at__gte=day_start,
        created_at__lt=day_start + datetime.timedelta(days=1),
    ).exists():
        raise ValidationError(
            f"You already sent {display_name(receiver)} kudos today: one a day to the same "
            "colleague. You can send them more tomorrow."
        )


def hide_kudos(*, kudos: Kudos, by: User, reason: str) -> Kudos:
    """Hide `kudos` from the recognition wall, saying why (HR, `recognition.moderate_kudos`).
    It still counts: the points stay and the receiver and their managers still see it. The
    reason is kept with the kudos and the sender is told it. Hiding hidden kudos changes
    nothing. Raises PermissionDenied, or ValidationError without a reason."""
    if not by.has_perm("recognition.moderate_kudos"):
        raise PermissionDenied("Only HR can hide kudos from the wall.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the kudos are hidden from the wall.")
    if len(reason) > HIDE_REASON_MAX:
        raise ValidationError(f"Keep the reason to {HIDE_REASON_MAX} characters.")
    with transaction.atomic():
        locked = (
            Kudos.objects.select_for_update(of=("self",))
            .select_related("sender", "receiver")
            .get(pk=kudos.pk)
        )
        if locked.hidden_at is not None:
            return locked
        locked.hidden_at = timezone.now()
        locked.hidden_by = by
        locked.hidden_reason = reason
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        notify(
            user=locked.sender,
            kind=Notification.Kind.KUDOS,
            message=(
                f"Your kudos to {display_name(locked.receiver)} were taken off the recognition "
                f"wall: {reason}"
            ),
            url=reverse("my_kudos"),
        )
    logger.info("kudos %s hidden from the wall by user %s: %s", locked.pk, by.pk, reason)
    return locked
