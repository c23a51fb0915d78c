"""Badges: defined in the CMS, awarded by the platform when their criteria are met, and
published as Open Badges 2.0 hosted assertions."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class BadgeCriterion(models.TextChoices):
    MANDATORY_ON_TIME_QUARTER = (
        "mandatory_on_time_quarter",
        "All mandatory training on time for a quarter",
    )
    SUGGESTIONS_ACCEPTED = "suggestions_accepted", "Suggestions accepted (at least the threshold)"
    ROLE_COMPETENCES_HELD = "role_competences_held", "Every competence of my role held"
    TEAM_COMPLIANT = "team_compliant", "My whole team compliant"
    KUDOS_RECEIVED = "kudos_received", "Kudos received (at least the threshold)"
    POINTS_IN_QUARTER = "points_in_quarter", "Points earned in a quarter (at least the threshold)"


def _new_salt() -> str:
    return secrets.token_hex(16)


class Badge(ClusterableModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A square PNG or SVG, at least 200 × 200 pixels.",
    )
    description = models.TextField(max_length=1000)
    criterion = models.CharField(max_length=40, choices=BadgeCriterion.choices)
    threshold = models.PositiveSmallIntegerField(
        default=1, help_text="For the criteria that count something: how many it takes."
    )
    criteria_narrative = models.TextField(
        max_length=2000,
        help_text="What someone has to do to earn it, in words: published with the badge.",
    )
    clauses = ParentalManyToManyField(
        "lms.IsoClause",
        blank=True,
        related_name="badges",
        help_text="The ISO clauses the badge is aligned with.",
    )
    valid_for_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How long an award lasts; empty if it never expires. An expired badge can "
        "be earned again.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("image"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("criterion"),
                FieldPanel("threshold"),
                FieldPanel("criteria_narrative"),
            ],
            heading="Criteria",
        ),
        FieldPanel("clauses"),
        FieldPanel("valid_for_days"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    """One award of a badge to a person. A badge is held once at a time: a further award is
    written only after the last one expired, with the next sequence number."""

    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="badge_awards"
    )
    sequence = models.PositiveSmallIntegerField(default=1)
    # The public identifier of the Open Badges assertion; the primary key is never shown.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    awarded_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    evidence_narrative = models.TextField(blank=True)
    evidence_path = models.CharField(
        max_length=300, blank=True, help_text="The site path of the record that shows why."
    )
    salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    is_public = models.BooleanField(
        default=False, help_text="The person chose to share the badge's public page."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "user", "sequence"], name="badge_award_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="badge_revocation_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["user", "badge", "-awarded_at"])]

    def __str__(self) -> str:
        return f"{self.badge} for {self.user}"
