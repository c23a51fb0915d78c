"""The recognition wall: the kudos and badges of the last 30 days, for everyone to see.

People who opted out (`RecognitionPreference.show_on_wall=False`) do not appear: their kudos
received and their badges are left out, and kudos they sent name "A colleague" as the sender.
Kudos hidden by HR and revoked badges are left out. Two queries whatever the history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from recognition.models import BadgeAward, Kudos, KudosValue

DAYS = 30
MOST = 50
A_COLLEAGUE = "A colleague"
KUDOS = "kudos"
BADGE = "badge"


@dataclass(frozen=True)
class WallItem:
    kind: str
    at: datetime.datetime
    person: str  # who is recognised
    sender: str = ""  # who sent the kudos
    value: str = ""
    message: str = ""
    badge: str = ""
    badge_description: str = ""
    kudos_id: int | None = None


def _name(person) -> str:
    return person.get_full_name() or person.email


def _shown(prefix: str) -> Q:
    # No preference row means the default: shown.
    return Q(**{f"{prefix}__recognition_preference__isnull": True}) | Q(
        **{f"{prefix}__recognition_preference__show_on_wall": True}
    )


def wall(*, now: datetime.datetime | None = None) -> list[WallItem]:
    """The 50 most recent kudos and badge awards of the last 30 days, newest first."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=DAYS)
    kudos = (
        Kudos.objects.filter(created_at__gte=since, created_at__lte=now, hidden_at__isnull=True)
        .filter(_shown("receiver"))
        .annotate(
            sender_shown=Coalesce(
                "sender__recognition_preference__show_on_wall",
                Value(True),
                output_field=BooleanField(),
            )
        )
        .select_related("sender", "receiver")
        .order_by("-created_at", "-pk")[:MOST]
    )
    awards = (
        BadgeAward.objects.filter(
            awarded_at__gte=since, awarded_at__lte=now, revoked_at__isnull=True
        )
        .filter(_shown("user"))
        .select_related("badge", "user")
        .order_by("-awarded_at", "-pk")[:MOST]
    )
    items = [
        WallItem(
            kind=KUDOS,
            at=k.created_at,
            person=_name(k.receiver),
            sender=_name(k.sender) if k.sender_shown else A_COLLEAGUE,
            value=KudosValue(k.value).label,
            message=k.message,
            kudos_id=k.pk,
        )
        for k in kudos
    ] + [
        WallItem(
            kind=BADGE,
            at=a.awarded_at,
            person=_name(a.user),
            badge=a.badge.name,
            badge_description=a.badge.description,
        )
        for a in awards
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:MOST]
