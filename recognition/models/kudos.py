"""Kudos between colleagues, and what each person lets the rest of the organisation see."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class KudosValue(models.TextChoices):
    QUALITY = "quality", "Quality first"
    SAFETY = "safety", "Health and safety"
    ENVIRONMENT = "environment", "Care for the environment"
    INFORMATION_SECURITY = "information_security", "Information security"
    CUSTOMER = "customer", "Customer focus"
    IMPROVEMENT = "improvement", "Continual improvement"
    TEAMWORK = "teamwork", "Teamwork"


class Kudos(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kudos_sent"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kudos_received"
    )
    value = models.CharField(max_length=32, choices=KudosValue.choices)
    message = models.TextField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(
        null=True, blank=True, help_text="HR hid it from the wall (it still counts)."
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "kudos"
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("receiver")), name="kudos_not_to_oneself")
        ]
        indexes = [
            models.Index(fields=["receiver", "-created_at"]),
            models.Index(fields=["sender", "-created_at"]),
            models.Index(fields=["-created_at"]),
        ]
        permissions = [("moderate_kudos", "Can hide kudos from the recognition wall")]

    def __str__(self) -> str:
        return f"Kudos from {self.sender} to {self.receiver}"


class RecognitionPreference(models.Model):
    """A person's choices about being shown to others. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="recognition_preference",
    )
    show_on_wall = models.BooleanField(
        default=True, help_text="Show my kudos and badges on the recognition wall."
    )
    show_on_leaderboards = models.BooleanField(
        default=True, help_text="Show my name on the leaderboards."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Recognition preferences of {self.user}"
