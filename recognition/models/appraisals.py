"""Appraisal periods and the summaries frozen when one closes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from lms.models.append_only import AppendOnlyModel


class AppraisalPeriod(models.Model):
    name = models.CharField(max_length=120, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day of the period, included.")
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the summaries were frozen; empty while open."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    panels = [FieldPanel("name"), FieldPanel("starts_on"), FieldPanel("ends_on")]

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="appraisal_period_ends_after_start"
            )
        ]
        permissions = [
            ("close_appraisalperiod", "Can close an appraisal period and freeze its summaries"),
            ("view_all_appraisals", "Can see everyone's appraisal summaries"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AppraisalSummary(AppendOnlyModel):
    never_changed = "A frozen appraisal summary is never changed."
    never_deleted = "A frozen appraisal summary is never deleted."

    """A person's figures for a closed period, as they stood when it closed. Never changed:
    a correction made later counts in the period it was made in."""

    period = models.ForeignKey(AppraisalPeriod, on_delete=models.PROTECT, related_name="summaries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisal_summaries"
    )
    figures = models.JSONField()
    frozen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period", "user"]
        verbose_name_plural = "appraisal summaries"
        constraints = [
            models.UniqueConstraint(fields=["period", "user"], name="one_summary_per_period_person")
        ]

    def __str__(self) -> str:
        return f"{self.period} for {self.user}"
