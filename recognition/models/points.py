"""The points ledger and the rules that feed it.

The ledger is append-only: an entry is never changed or deleted, a correction is a new entry
(often negative) that names the entry it corrects and says why. Each rule pays a person at most
once per source (the completion, quiz, acknowledgement, suggestion, ... that earned it), which
the database enforces, so a repeated or concurrent event cannot pay twice.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from lms.models.append_only import AppendOnlyModel


class Category(models.TextChoices):
    """What points were earned for. A rule pays in its own category; a correction keeps the
    category of the entry it corrects."""

    MODULE_COMPLETED = "module_completed", "Training completed"
    QUIZ_PASSED = "quiz_passed", "Quiz passed"
    CAMPAIGN_ACKNOWLEDGED = "campaign_acknowledged", "Campaign acknowledged on time"
    SUGGESTION_ACCEPTED = "suggestion_accepted", "Suggestion accepted"
    EFFECTIVENESS_CHECK = "effectiveness_check", "Effectiveness check completed"
    TEAM_ON_TIME = "team_on_time", "Whole team on time"
    KUDOS_RECEIVED = "kudos_received", "Kudos received"
    ADJUSTMENT = "adjustment", "Adjustment by HR"


class PointsRule(models.Model):
    """How many points one kind of event earns. HR edits them in the CMS; an entry already in
    the ledger keeps the points it was given."""

    event = models.CharField(
        max_length=32,
        unique=True,
        choices=[(c.value, c.label) for c in Category if c != Category.ADJUSTMENT],
        help_text="The event that earns the points.",
    )
    points = models.PositiveSmallIntegerField(default=10)
    bonus_points = models.PositiveSmallIntegerField(
        default=0,
        help_text=(
            "Added when the event is exemplary: a module completed on time, a quiz passed at "
            "the first attempt. Ignored for the other events."
        ),
    )
    weekly_cap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The most points one person can earn from this rule in a week (Monday to "
        "Sunday). Empty for no cap.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Clear this to stop the rule paying; what it paid stays."
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="Shown to people next to the points they earn."
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("event"),
        FieldPanel("points"),
        FieldPanel("bonus_points"),
        FieldPanel("weekly_cap"),
        FieldPanel("is_active"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["event"]
        verbose_name = "points rule"

    def __str__(self) -> str:
        return self.get_event_display()


class PointsEntry(AppendOnlyModel):
    never_changed = "A points entry is never changed: add a correction instead."
    never_deleted = "A points entry is never deleted: add a correction instead."

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_entries"
    )
    points = models.IntegerField()
    category = models.CharField(max_length=32, choices=Category.choices)
    reason = models.CharField(max_length=300)
    rule = models.ForeignKey(
        PointsRule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        help_text="Empty for a correction or an adjustment made by a person.",
    )
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    awarded_at = models.DateTimeField(default=timezone.now, db_index=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the platform awarded it by a rule.",
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="The entry this one corrects.",
    )

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        verbose_name_plural = "points entries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "rule", "source_type", "source_id"],
                condition=Q(rule__isnull=False),
                name="one_points_entry_per_person_rule_and_source",
            ),
            models.CheckConstraint(
                condition=Q(rule__isnull=False) | Q(awarded_by__isnull=False),
                name="points_entry_by_a_rule_or_a_person",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "awarded_at"]),
            models.Index(fields=["user", "rule", "awarded_at"]),
            models.Index(fields=["category", "awarded_at"]),
        ]
        permissions = [("correct_points", "Can correct and adjust people's points")]

    def __str__(self) -> str:
        return f"{self.points:+d} for {self.user}: {self.reason}"

    def clean(self) -> None:
        if self.rule_id is None and not (self.reason or "").strip():
            raise ValidationError({"reason": "Say why the points are corrected or adjusted."})


class TeamMilestone(models.Model):
    """A line manager's whole team completed every mandatory assignment due in a month on time.
    It is the source of the manager's points for that month, so a month pays once."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_milestones"
    )
    month = models.DateField(help_text="The first day of the month.")
    assignments_due = models.PositiveIntegerField()
    people = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "manager_id"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "month"], name="one_team_milestone_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.manager}'s team all on time in {self.month:%B %Y}"
