"""Posting to the suggestion box, and the limits that keep it from being flooded.

An anonymous suggestion keeps the category, the text, the department chosen and the date: nothing
about who sent it or at what time of day. The per-person limit still has to know who is posting,
so it counts in the cache only, under a keyed hash of the person and the hour that is forgotten
when the hour ends; it never reaches a table of the platform and is never linked to a suggestion.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac

from campaigns.models import Suggestion
from lms.models import Department, User

MAX_TEXT_LENGTH = 5_000
_PERSON_KEY_SALT = "campaigns.suggestions.per-person-hour"


class TooManySuggestions(Exception):
    """The person, or everyone together, has sent as many suggestions as the box takes for now."""


def submit_suggestion(
    *, category: str, text: str, department: Department | None, author: User | None
) -> Suggestion:
    """Store a new suggestion. With no author it is anonymous: only the date is kept, and nothing
    else about who sent it. Raises ValidationError (and stores nothing) on a bad category or an
    empty or too long text."""
    text = (text or "").strip()
    if category not in Suggestion.Category.values:
        raise ValidationError({"category": "Choose one of the categories."})
    if not text:
        raise ValidationError({"text": "Write your suggestion."})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            {"text": f"Keep the suggestion to {MAX_TEXT_LENGTH:,} characters or fewer."}
        )
    return Suggestion.objects.create(
        category=category,
        text=text,
        department=department,
        author=author,
        # The date only: the model has no room for a time, and none is asked for.
        submitted_on=timezone.localdate(),
    )


def reserve_suggestion_slot(*, person: User, now: datetime | None = None) -> None:
    """Count one suggestion (signed or anonymous) against the person's hourly limit and the
    box's per-minute limit, or raise TooManySuggestions when either is used up.

    Call it before submit_suggestion, and store nothing when it raises."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    minute = now.replace(second=0, microsecond=0)
    per_person = settings.LMS_SUGGESTIONS_PER_PERSON_PER_HOUR
    per_minute = settings.LMS_SUGGESTIONS_PER_MINUTE
    sent_this_hour = _count_one(
        person_hour_key(person_id=person.pk, hour=hour),
        until=hour + timedelta(hours=1),
        now=now,
    )
    if sent_this_hour > per_person:
        raise TooManySuggestions(
            f"You have sent {per_person} suggestions this hour, which is as many as the box "
            "takes from one person in an hour. Please send this one in the next hour."
        )
    if _count_one(_minute_key(minute), until=minute + timedelta(minutes=1), now=now) > per_minute:
        raise TooManySuggestions(
            "The suggestion box is receiving a great many suggestions right now. "
            "Please send yours again in a minute."
        )


def person_hour_key(*, person_id: int, hour: datetime) -> str:
    """The cache key of one person's count for one hour: an HMAC keyed with SECRET_KEY, so the
    key names neither the person nor the hour to anyone without the secret."""
    digest = salted_hmac(
        _PERSON_KEY_SALT, f"{person_id}:{hour:%Y-%m-%dT%H}", algorithm="sha256"
    ).hexdigest()
    return f"suggestions:person:{digest}"


def _minute_key(minute: datetime) -> str:
    return f"suggestions:minute:{minute:%Y%m%d%H%M}"


def _count_one(key: str, *, until: datetime, now: datetime) -> int:
    """Add one to the counter under `key` and return the new count. The counter expires exactly
    at `until` (the end of its hour or minute), so its expiry tells no more than its period."""
    timeout = (until - now).total_seconds()
    if cache.add(key, 1, timeout):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # It expired between add and incr: this is the first of a new period.
        cache.add(key, 1, timeout)
        return 1
    # The database cache's incr writes the counter back with the default expiry (a time taken
    # from the moment of posting), so set the period's end again.
    cache.touch(key, timeout)
    return count
