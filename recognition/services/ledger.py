"""Writing the points ledger: by a rule, once per person and source, within the rule's weekly
cap; and corrections by HR, as new entries."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone

from recognition.models import Category, PointsEntry, PointsRule

User = get_user_model()


def week_start(moment: datetime.datetime) -> datetime.datetime:
    """Monday 00:00, local time, of the week `moment` falls in."""
    local = timezone.localtime(moment)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


def award_by_rule(
    *,
    event: str,
    user_id: int,
    source: models.Model | tuple[str, int],
    reason: str,
    bonus: bool = False,
    at: datetime.datetime | None = None,
) -> PointsEntry | None:
    """Pay `user_id` the points of the active rule for `event`, for `source` (a model instance,
    or an ("app_label.model", id) pair for another app's row). Returns the new entry, or None
    when there is no active rule or the rule already paid this person for this source.

    The rule's bonus is added when `bonus` is true. With a weekly cap, the entry is cut to what
    the cap still allows, down to 0 points: the entry is still written, so the event is on
    record and a repeat still pays nothing.
    """
    rule = PointsRule.objects.filter(event=event, is_active=True).first()
    if rule is None:
        return None
    source_type, source_id = _source_key(source)
    at = at or timezone.now()
    points = rule.points + (rule.bonus_points if bonus else 0)
    with transaction.atomic():
        if rule.weekly_cap is not None:
            # One person's awards queue here, so two events in the same week cannot both see
            # room under the cap.
            User.objects.select_for_update().filter(pk=user_id).values_list("pk").first()
            earned = (
                PointsEntry.objects.filter(
                    user_id=user_id,
                    rule=rule,
                    awarded_at__gte=week_start(at),
                    awarded_at__lt=week_start(at) + datetime.timedelta(days=7),
                ).aggregate(total=Sum("points"))["total"]
                or 0
            )
            allowed = max(0, rule.weekly_cap - earned)
            if points > allowed:
                points = allowed
                reason = f"{reason} (weekly cap of {rule.weekly_cap} reached)"
        try:
            with transaction.atomic():
                return PointsEntry.objects.create(
                    user_id=user_id,
                    points=points,
                    category=rule.event,
                    reason=reason[:300],
                    rule=rule,
                    source_type=source_type,
                    source_id=source_id,
                    awarded_at=at,
                )
        except IntegrityError:
            # This rule already paid this person for this source: the event came twice.
            return None


def correct_entry(*, entry: PointsEntry, points: int, reason: str, by) -> PointsEntry:
    """Correct `entry` with a new entry of `points` (usually negative), saying why. The entry
    itself never changes. Raises PermissionDenied without `recognition.correct_points`, and
    ValidationError for no reason, zero points, or a correction that would take the entry's
    total below zero."""
    if not by.has_perm("recognition.correct_points"):
        raise PermissionDenied("Only HR can correct points.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the points are corrected.")
    if points == 0:
        raise ValidationError("A correction of 0 points changes nothing.")
    with transaction.atomic():
        entry = PointsEntry.objects.select_for_update().get(pk=entry.pk)
        corrected = entry.points + (entry.corrections.aggregate(total=Sum("points"))["total"] or 0)
        if entry.points >= 0 and corrected + points < 0:
            raise ValidationError(
                f"That would take the entry below 0: it stands at {corrected} points."
            )
        return PointsEntry.objects.create(
            user_id=entry.user_id,
            points=points,
            category=entry.category,
            reason=reason[:300],
            awarded_by=by,
            corrects=entry,
        )


def adjust_points(*, user, points: int, reason: str, by) -> PointsEntry:
    """Award or withdraw points by hand (HR), outside any rule, saying why."""
    if not by.has_perm("recognition.correct_points"):
        raise PermissionDenied("Only HR can adjust points.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the points are adjusted.")
    if points == 0:
        raise ValidationError("An adjustment of 0 points changes nothing.")
    return PointsEntry.objects.create(
        user=user,
        points=points,
        category=Category.ADJUSTMENT,
        reason=reason[:300],
        awarded_by=by,
    )


def _source_key(source: models.Model | tuple[str, int]) -> tuple[ContentType, int]:
    if isinstance(source, models.Model):
        return ContentType.objects.get_for_model(source), source.pk
    label, pk = source
    app_label, model = label.lower().split(".")
    return ContentType.objects.get_by_natural_key(app_label, model), pk
