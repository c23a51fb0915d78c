"""In-app notifications: written with the e-mail they mirror, read on the notifications page."""

from __future__ import annotations

from django.utils import timezone

from lms.models import Notification, User

MESSAGE_LENGTH = Notification._meta.get_field("message").max_length


def notification(*, user_id: int, kind: str, message: str, url: str = "") -> Notification:
    """An unsaved notification, its message cut to fit; callers save them in bulk."""
    if len(message) > MESSAGE_LENGTH:
        message = message[: MESSAGE_LENGTH - 1] + "…"
    return Notification(user_id=user_id, kind=kind, message=message, url=url)


def notify(*, user: User, kind: str, message: str, url: str = "") -> Notification:
    """Write one notification for `user`."""
    note = notification(user_id=user.pk, kind=kind, message=message, url=url)
    note.save()
    return note


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` as read; returns how many there were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
