"""Closing an appraisal period: every person's figures frozen into summaries that never change.

A correction made after the close is dated when it was made, so it counts in the period it
falls in; the closed period's pages read only what was frozen.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from recognition.models import AppraisalPeriod, AppraisalSummary
from recognition.selectors.appraisals import figures_for, roster

CLOSE_PERMISSION = "recognition.close_appraisalperiod"
# People whose figures are counted together: a fixed number of queries per batch, and memory
# that stays flat however large the roster.
CLOSE_BATCH = 500


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def close_period(*, period: AppraisalPeriod, by, today: datetime.date | None = None) -> int:
    """Freeze the figures of everyone on `period`'s roster into summaries and mark the period
    closed by `by`; returns how many summaries were written. Raises PermissionDenied without
    `recognition.close_appraisalperiod`, and ValidationError while the period has not ended
    yet or once it is closed. All or nothing: a refusal or a failure writes nothing."""
    if not by.has_perm(CLOSE_PERMISSION):
        raise PermissionDenied("Only HR can close an appraisal period.")
    today = today or timezone.localdate()
    with transaction.atomic():
        # Two HR people pressing "Close" at once: the second waits here, then finds it closed.
        period = AppraisalPeriod.objects.select_for_update().get(pk=period.pk)
        if period.is_closed:
            closed_on = timezone.localtime(period.closed_at).date()
            raise ValidationError(
                f"“{period}” was already closed on {_day(closed_on)}: its summaries are frozen."
            )
        if today <= period.ends_on:
            raise ValidationError(
                f"“{period}” runs until {_day(period.ends_on)}: it can be closed from "
                f"{_day(period.ends_on + datetime.timedelta(days=1))}, once every figure of "
                "its last day is in."
            )
        now = timezone.now()
        people = list(roster(period=period).order_by("pk").values_list("pk", flat=True))
        written = 0
        for offset in range(0, len(people), CLOSE_BATCH):
            batch = people[offset : offset + CLOSE_BATCH]
            figures = figures_for(period=period, user_ids=batch, today=period.ends_on)
            AppraisalSummary.objects.bulk_create(
                [
                    AppraisalSummary(
                        period=period, user_id=user_id, figures=figures[user_id], frozen_at=now
                    )
                    for user_id in batch
                ]
            )
            written += len(batch)
        period.closed_at = now
        period.closed_by = by
        period.save(update_fields=["closed_at", "closed_by"])
    return written
