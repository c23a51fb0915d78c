"""Reminders, escalations and in-app notifications. Each row is written before anyone is told."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderDigest(models.Model):
    """One e-mail per person per day listing everything due, overdue or escalated to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests"
    )
    sent_on = models.DateField()
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sent_on"], name="one_digest_per_person_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Reminders for {self.user} on {self.sent_on}"


class TeamReminder(models.Model):
    """A manager's nudge to one report: at most one per person per day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_team_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"Reminder from {self.sent_by} to {self.user} on {self.sent_on}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "New assignment"
        DUE_SOON = "due_soon", "Due soon"
        DUE_TODAY = "due_today", "Due today"
        OVERDUE = "overdue", "Overdue"
        ESCALATION = "escalation", "Overdue in your team"
        NUDGE = "nudge", "Reminder from your manager"
        COMPETENCE_RECORDED = "competence_recorded", "Competence recorded"
        COMPETENCE_EXPIRING = "competence_expiring", "Competence expiring"
        COMPETENCE_EXPIRED = "competence_expired", "Competence expired"
        EFFECTIVENESS_CHECK = "effectiveness_check", "Effectiveness check to answer"
        EXTRA_ATTEMPT = "extra_attempt", "Extra quiz attempt"
        SUGGESTION = "suggestion", "Your suggestion moved on"
        CAMPAIGN = "campaign", "New campaign"
        CAMPAIGN_CHANGED = "campaign_changed", "Campaign changed: please read it again"
        CAMPAIGN_REMINDER = "campaign_reminder", "Campaign to acknowledge"
        BADGE = "badge", "Badge earned"
        KUDOS = "kudos", "Kudos from a colleague"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message
