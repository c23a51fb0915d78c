"""What each person lets the rest of the organisation see of their recognition."""

from __future__ import annotations

from lms.models import User
from recognition.models import RecognitionPreference


def save_preferences(
    *, user: User, show_on_wall: bool, show_on_leaderboards: bool
) -> RecognitionPreference:
    """Record whether `user` appears on the recognition wall and is named on the leaderboards.
    Either way their points still count (in department averages, for instance)."""
    preference, _created = RecognitionPreference.objects.update_or_create(
        user=user,
        defaults={"show_on_wall": show_on_wall, "show_on_leaderboards": show_on_leaderboards},
    )
    return preference


def preferences_of(*, user: User) -> RecognitionPreference:
    """`user`'s choices, or the defaults (shown everywhere) when they never chose: unsaved."""
    found = RecognitionPreference.objects.filter(user=user).first()
    return found or RecognitionPreference(user=user)
