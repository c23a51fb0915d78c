"""Who must take which module by when, and what they have done of it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Revision

from lms.audience import AudienceFields
from lms.models.content import TrainingModule


class AssignmentRule(AudienceFields, ClusterableModel):
    """An audience must (or is advised to) take a module within a number of days."""

    name = models.CharField(max_length=200)
    module = models.ForeignKey(
        TrainingModule, on_delete=models.CASCADE, related_name="assignment_rules"
    )
    due_in_days = models.PositiveSmallIntegerField(default=30)
    mandatory = models.BooleanField(
        default=True, help_text="Mandatory training counts towards compliance; the rest is advised."
    )
    recur_every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Assign it again this many months after each completion."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("module"),
        MultiFieldPanel(
            [
                FieldPanel("audience_levels"),
                FieldPanel("audience_departments"),
                FieldPanel("audience_job_roles"),
            ],
            heading="Audience",
            help_text="Leave everything empty for everyone.",
        ),
        FieldPanel("due_in_days"),
        FieldPanel("mandatory"),
        FieldPanel("recur_every_months"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="assignments")
    due_on = models.DateField()
    mandatory = models.BooleanField(default=True)
    rule = models.ForeignKey(
        AssignmentRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The manager or HR person who assigned it by hand; empty for a rule.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module"],
                condition=Q(status="open"),
                name="one_open_assignment_per_person_and_module",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.module} for {self.user}"


class ModuleStart(models.Model):
    """The first time a person opened a module."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_start_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.user} started {self.module}"


class SectionDone(models.Model):
    """A learner marked one section of a module as done; `section_id` is the block's id."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="+")
    section_id = models.CharField(max_length=64)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "section_id"], name="section_done_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} finished section {self.section_id} of {self.module}"


class Completion(models.Model):
    """Evidence that a person completed a module, and of the exact revision they saw."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="completions")
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    assignment = models.OneToOneField(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completion",
    )
    on_time = models.BooleanField(
        null=True, help_text="Whether it was completed by the due date; empty when not assigned."
    )

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            # Completed without an assignment: once per module, until an assignment asks again.
            models.UniqueConstraint(
                fields=["user", "module"],
                condition=Q(assignment__isnull=True),
                name="one_unassigned_completion_per_module",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} completed {self.module}"
