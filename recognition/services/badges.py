"""Awarding badges when their criteria are met, sharing them, and revoking them.

A badge is held once at a time: a person is awarded it again only after their last award
expired (or was revoked), with the next sequence number, so the history stays.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lms.models import Notification, User
from lms.services.notifications import notification
from recognition.models import Badge, BadgeAward, BadgeCriterion
from recognition.selectors.badges import (
    Measure,
    active_badges,
    held_badge_ids,
    last_sequences,
    measures,
)

REVOKE_PERMISSION = "recognition.change_badge"
REASON_LENGTH = BadgeAward._meta.get_field("revocation_reason").max_length


def evaluate_badges(*, user_id: int, today: datetime.date | None = None) -> list[BadgeAward]:
    """Award `user_id` every active badge whose criterion they meet and that they do not hold
    now; returns the new awards (none for an inactive or unknown person). Each award is
    notified. Safe to run twice and concurrently: the person's row is locked while their badges
    are weighed, and the unique (badge, user, sequence) refuses a second award of the same."""
    today = today or timezone.localdate()
    awards: list[BadgeAward] = []
    with transaction.atomic():
        locked = (
            User.objects.select_for_update()
            .filter(pk=user_id, is_active=True)
            .values_list("pk", flat=True)
            .first()
        )
        if locked is None:
            return []
        held = {badge_id for _, badge_id in held_badge_ids(user_ids=[user_id])}
        wanted = [badge for badge in active_badges() if badge.pk not in held]
        if not wanted:
            return []
        found = measures(
            user_ids=[user_id], criteria={badge.criterion for badge in wanted}, today=today
        )
        sequences = last_sequences(user_id=user_id)
        for badge in wanted:
            measure = found[badge.criterion].get(user_id)
            if measure is None or not measure.meets(badge):
                continue
            award = _award(
                badge=badge,
                user_id=user_id,
                sequence=sequences.get(badge.pk, 0) + 1,
                measure=measure,
            )
            if award is not None:
                awards.append(award)
        if awards:
            Notification.objects.bulk_create(
                [
                    notification(
                        user_id=user_id,
                        kind=Notification.Kind.BADGE,
                        message=f"You earned the badge “{award.badge.name}”.",
                        url=reverse("my_badges"),
                    )
                    for award in awards
                ]
            )
    return awards


def evaluate_badges_with_manager(
    *, user_id: int, today: datetime.date | None = None
) -> list[BadgeAward]:
    """`evaluate_badges` for `user_id`, then for their line manager, whose team badge their
    training may have just completed."""
    awards = evaluate_badges(user_id=user_id, today=today)
    manager_id = User.objects.filter(pk=user_id).values_list("manager_id", flat=True).first()
    if manager_id is not None:
        awards += evaluate_badges(user_id=manager_id, today=today)
    return awards


def candidates(*, user_ids: list[int], today: datetime.date | None = None) -> list[int]:
    """Those of `user_ids` who meet the criterion of an active badge they do not hold now:
    a fixed number of queries for any number of people. `evaluate_badges` then awards them
    one by one, under their lock."""
    badges = active_badges()
    if not badges or not user_ids:
        return []
    held = held_badge_ids(user_ids=user_ids)
    found = measures(user_ids=user_ids, criteria={badge.criterion for badge in badges}, today=today)
    return [
        user_id
        for user_id in user_ids
        if any(
            (user_id, badge.pk) not in held
            and found[badge.criterion].get(user_id, Measure()).meets(badge)
            for badge in badges
        )
    ]


def evaluate_everyone(
    *, today: datetime.date | None = None, chunk_size: int = 500
) -> list[BadgeAward]:
    """Evaluate every active person, `chunk_size` at a time: catches the criteria that change
    with time alone (a quarter ends, a competence expires, a report's training falls due)."""
    today = today or timezone.localdate()
    awards: list[BadgeAward] = []
    last_pk = 0
    while True:
        chunk = list(
            User.objects.filter(is_active=True, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk_size]
        )
        if not chunk:
            return awards
        last_pk = chunk[-1]
        for user_id in candidates(user_ids=chunk, today=today):
            awards += evaluate_badges(user_id=user_id, today=today)


def set_sharing(*, award: BadgeAward, user: User, public: bool) -> BadgeAward:
    """Share (or stop sharing) `award`'s public page. Only its owner may; a revoked award
    cannot be shared."""
    if award.user_id != user.pk:
        raise PermissionDenied("Only the person awarded a badge can share it.")
    if award.revoked_at is not None:
        raise ValidationError("This badge was revoked: it cannot be shared.")
    BadgeAward.objects.filter(pk=award.pk).update(is_public=public)
    award.is_public = public
    return award


def revoke_award(*, award: BadgeAward, reason: str, by: User) -> BadgeAward:
    """Revoke `award`, saying why (HR). Its assertion then answers that it was revoked and its
    public page is gone; the person may earn the badge again."""
    if not by.has_perm(REVOKE_PERMISSION):
        raise PermissionDenied("Only HR can revoke a badge.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the badge is revoked.")
    if len(reason) > REASON_LENGTH:
        raise ValidationError(f"Keep the reason under {REASON_LENGTH} characters.")
    with transaction.atomic():
        award = BadgeAward.objects.select_for_update().get(pk=award.pk)
        if award.revoked_at is not None:
            raise ValidationError("This badge was already revoked.")
        award.revoked_at = timezone.now()
        award.revocation_reason = reason
        award.is_public = False
        award.save(update_fields=["revoked_at", "revocation_reason", "is_public"])
    return award


def _award(*, badge: Badge, user_id: int, sequence: int, measure: Measure) -> BadgeAward | None:
    now = timezone.now()
    narrative, path = _evidence(badge, measure)
    expires_at = None
    if badge.valid_for_days:
        expires_at = now + datetime.timedelta(days=badge.valid_for_days)
    try:
        with transaction.atomic():
            return BadgeAward.objects.create(
                badge=badge,
                user_id=user_id,
                sequence=sequence,
                awarded_at=now,
                expires_at=expires_at,
                evidence_narrative=narrative,
                evidence_path=path,
            )
    except IntegrityError:
        # Another evaluation awarded this sequence first.
        return None


def _evidence(badge: Badge, measure: Measure) -> tuple[str, str]:
    """What the award rests on, in words, and the page of the record that shows it."""
    count, out_of, period = measure.count, measure.out_of, measure.period
    criterion = badge.criterion
    if criterion == BadgeCriterion.MANDATORY_ON_TIME_QUARTER:
        return (
            f"Completed all {out_of} mandatory training assignments due in {period} on time.",
            reverse("my_learning"),
        )
    if criterion == BadgeCriterion.SUGGESTIONS_ACCEPTED:
        return f"{count} signed suggestions accepted or carried out.", reverse("my_suggestions")
    if criterion == BadgeCriterion.ROLE_COMPETENCES_HELD:
        return (
            f"Holds all {out_of} competences required of their role, at the required level.",
            reverse("my_competences"),
        )
    if criterion == BadgeCriterion.TEAM_COMPLIANT:
        return (
            f"All {out_of} direct reports are up to date with their mandatory training and "
            "hold every competence their role requires.",
            reverse("my_team_learning"),
        )
    if criterion == BadgeCriterion.KUDOS_RECEIVED:
        return f"Received {count} kudos from colleagues.", reverse("recognition_home")
    return f"Earned {count} points in {period}.", reverse("recognition_home")
