"""The competence framework and the evidence that people hold its competences (ISO 9001 7.2).

Records are append-only: revoking or superseding one is a new record saying who and why. A
record keeps links to what it rests on (the module completion and the page revision seen, the quiz
attempt, the assessor and their notes, or the uploaded certificate), so an auditor can follow it
back to what the person saw, answered and scored.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from lms.models.append_only import AppendOnlyModel
from lms.models.people import JobRole, ManagementLevel
from lms.models.standards import IsoClause, IsoStandard


class ProficiencyLevel(models.IntegerChoices):
    NOT_YET_COMPETENT = 0, "Not yet competent"
    UNDER_SUPERVISION = 1, "Competent under supervision"
    COMPETENT = 2, "Competent"
    CAN_TRAIN_OTHERS = 3, "Can train others"


class Competence(index.Indexed, ClusterableModel):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    standard = models.ForeignKey(
        IsoStandard, null=True, blank=True, on_delete=models.SET_NULL, related_name="competences"
    )
    clauses = ParentalManyToManyField(
        IsoClause, blank=True, related_name="competences", verbose_name="ISO clauses"
    )
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How long the competence lasts before it needs renewing; empty for no expiry.",
    )
    effectiveness_check_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Ask the line manager this many days after a record whether the person applies "
        "it at work (ISO 9001 7.2 c); empty for no check.",
    )

    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompetenceRequirement(models.Model):
    """People in a job role, at a management level, or both need a competence at a minimum
    level."""

    competence = ParentalKey(Competence, on_delete=models.CASCADE, related_name="requirements")
    job_role = models.ForeignKey(
        JobRole, null=True, blank=True, on_delete=models.CASCADE, related_name="requirements"
    )
    management_level = models.CharField(max_length=10, choices=ManagementLevel.choices, blank=True)
    min_level = models.PositiveSmallIntegerField(
        choices=ProficiencyLevel.choices, default=ProficiencyLevel.COMPETENT
    )

    panels = [FieldPanel("job_role"), FieldPanel("management_level"), FieldPanel("min_level")]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(job_role__isnull=False) | ~Q(management_level=""),
                name="requirement_names_a_role_or_level",
            ),
            models.UniqueConstraint(
                fields=["competence", "job_role", "management_level"],
                name="one_requirement_per_role_and_level",
            ),
        ]

    def __str__(self) -> str:
        who = " ".join(
            part for part in (self.get_management_level_display(), str(self.job_role or "")) if part
        )
        return f"{who}: {self.competence} at {self.get_min_level_display().lower()}"

    def clean(self) -> None:
        if self.job_role_id is None and not self.management_level:
            raise ValidationError("Choose a job role, a management level, or both.")


def _evidence_path(record: "CompetenceRecord", filename: str) -> str:
    # A random name: the file is served only through a view that checks who is asking.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"competence-evidence/{uuid.uuid4().hex}.{extension}"


class CompetenceRecord(AppendOnlyModel):
    never_changed = "A competence record is never changed: add a new record instead."
    never_deleted = "A competence record is never deleted: revoke it with a new record."

    class Kind(models.TextChoices):
        AWARDED = "awarded", "Awarded"
        REVOKED = "revoked", "Revoked"

    class Source(models.TextChoices):
        MODULE_COMPLETION = "module_completion", "Module completion"
        QUIZ_ATTEMPT = "quiz_attempt", "Quiz passed"
        ASSESSMENT = "assessment", "Assessment"
        CERTIFICATE = "certificate", "External certificate"
        REVOCATION = "revocation", "Revocation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="competence_records"
    )
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AWARDED)
    level = models.PositiveSmallIntegerField(choices=ProficiencyLevel.choices)
    achieved_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    completion = models.ForeignKey(
        "lms.Completion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The module revision the person trained on.",
    )
    attempt = models.ForeignKey(
        "quizzes.Attempt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competence_records",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(blank=True)
    certificate_file = models.FileField(upload_to=_evidence_path, blank=True)
    certificate_issuer = models.CharField(max_length=200, blank=True)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The earlier record this one revokes or replaces.",
    )
    reason = models.CharField(
        max_length=500, blank=True, help_text="Why a record was revoked or replaced."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the platform recorded it by itself.",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            # Completing a module or passing a quiz records each competence once.
            models.UniqueConstraint(
                fields=["competence", "completion"],
                condition=Q(completion__isnull=False),
                name="one_record_per_competence_and_completion",
            ),
            models.UniqueConstraint(
                fields=["competence", "attempt"],
                condition=Q(attempt__isnull=False),
                name="one_record_per_competence_and_attempt",
            ),
            # A record is revoked at most once.
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=Q(kind="revoked"),
                name="one_revocation_per_record",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "competence", "-recorded_at"]),
            models.Index(fields=["expires_at"]),
        ]
        permissions = [("record_competence", "Can record assessments, certificates, revocations")]

    def __str__(self) -> str:
        return f"{self.competence} {self.get_kind_display().lower()} for {self.user}"


class EffectivenessCheck(models.Model):
    """The line manager's answer, some days after a record, to "does the person apply it at
    work?" (ISO 9001 7.2 c). The row is written when the record is; the manager is asked when
    it falls due; the answer is given once and becomes part of the record's evidence."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for the manager"
        CONFIRMED = "confirmed", "Applies it at work"
        NEEDS_SUPPORT = "needs_support", "Needs support"

    record = models.OneToOneField(
        CompetenceRecord, on_delete=models.PROTECT, related_name="effectiveness_check"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="effectiveness_checks_to_answer",
    )
    due_on = models.DateField()
    requested_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["outcome", "due_on"])]

    def __str__(self) -> str:
        return f"Effectiveness check of {self.record}"


class ExpiryNotice(models.Model):
    """Written before anyone is told about an expiring or expired record, so a re-run of the
    daily sweep tells nobody twice."""

    class Kind(models.TextChoices):
        RENEWAL_ASSIGNED = "renewal_assigned", "Renewal assigned"
        EXPIRED = "expired", "Expired without renewal"

    record = models.ForeignKey(
        CompetenceRecord, on_delete=models.PROTECT, related_name="expiry_notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind"], name="one_notice_per_record_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.record}"


class Certificate(models.Model):
    """The certificate of one completion; anyone holding its code can check it at /verify/."""

    completion = models.OneToOneField(
        "lms.Completion", on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=24, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Certificate {self.code}"
