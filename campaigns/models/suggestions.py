"""The suggestion box: what people propose to improve the management system, and what became of
it ("you said, we did").

Anonymous means anonymous: an anonymous suggestion keeps no user, no session, no IP address, no
user agent and no time of day, only the date it was made. Signed suggestions name their author,
who can follow them. The triage (new → under review → accepted or declined → done) is kept as
events, each naming who moved it on and why; those are staff, never the author.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def _today():
    return timezone.localdate()


class Suggestion(models.Model):
    class Category(models.TextChoices):
        SAFETY = "safety", "Safety"
        QUALITY = "quality", "Quality"
        ENVIRONMENT = "environment", "Environment"
        PROCESS = "process", "Process"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NEW = "new", "New"
        UNDER_REVIEW = "under_review", "Under review"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done"

    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.TextField(help_text="Markdown.")
    department = models.ForeignKey(
        "lms.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The department it concerns, if the author chose one.",
    )
    # The date only, never the time: a time of day could tell who was at the terminal.
    submitted_on = models.DateField(default=_today)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="Empty for an anonymous suggestion.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_suggestions",
        help_text="Who carries out the action once accepted.",
    )
    action = models.TextField(blank=True, help_text="What will be done (when accepted).")
    decline_reason = models.TextField(blank=True, help_text="Why not (when declined).")
    outcome = models.TextField(blank=True, help_text="What was done (when done).")
    status_changed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        permissions = [("triage_suggestion", "Can triage suggestions")]
        indexes = [models.Index(fields=["status", "submitted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | (Q(owner__isnull=False) & ~Q(action="")),
                name="accepted_suggestion_has_owner_and_action",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_suggestion_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} suggestion of {self.submitted_on:%Y-%m-%d}"

    @property
    def is_anonymous(self) -> bool:
        return self.author_id is None


class SuggestionEvent(models.Model):
    """One step of a suggestion's triage: from which status to which, by whom, with a note."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Suggestion.Status.choices)
    to_status = models.CharField(max_length=20, choices=Suggestion.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on = models.DateField(default=_today)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion}: {self.from_status} → {self.to_status}"
