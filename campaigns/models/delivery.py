"""What each publication of a campaign asked of whom, and what they did: releases, deliveries,
acknowledgements and feedback.

Rows are written before anyone is told: a delivery (unique per campaign, person and the revision
they are asked about) exists before its e-mail is sent, so a retried or re-run fan-out finds it
and sends nothing twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Revision

from campaigns.models.pages import CampaignPage


class Release(models.Model):
    """One publication of a campaign. A material release (the first one always is) asks its
    audience about its own revision; a minor one keeps asking about the last material one."""

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="releases")
    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, related_name="+")
    asks_about = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The revision readers are asked to read and acknowledge.",
    )
    is_material = models.BooleanField()
    change_summary = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign} published {self.published_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_deliveries"
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The revision the person is asked about (a release's asks_about).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The e-mail: committed as sent just before the message's final line, see
    # campaigns/services/delivery.py.
    emailed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user", "revision"], name="one_delivery_per_person_and_revision"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign", "created_at"],
                condition=Q(emailed_at__isnull=True),
                name="delivery_email_pending",
            ),
            models.Index(fields=["user", "opened_at"], name="delivery_unread"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.campaign} to {self.user}"


class Acknowledgement(models.Model):
    campaign = models.ForeignKey(
        CampaignPage, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)
    wording = models.CharField(
        max_length=300, help_text="The acknowledgement wording the person confirmed."
    )
    on_time = models.BooleanField(
        default=False,
        help_text="Acknowledged within LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS of being asked, as it "
        "stood when the person acknowledged.",
    )

    class Meta:
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user", "revision"], name="one_acknowledgement_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.campaign}"


def _today():
    return timezone.localdate()


class CampaignFeedback(models.Model):
    """A question or comment on a campaign, signed or anonymous (no author, the date only), and
    the communications team's answer, which can be published to everyone."""

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when sent anonymously.",
    )
    text = models.TextField(help_text="Markdown.")
    submitted_on = models.DateField(default=_today)
    answer = models.TextField(blank=True, help_text="Markdown.")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True)
    answer_is_public = models.BooleanField(
        default=False, help_text="Show the question (never who asked) and the answer to everyone."
    )

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name_plural = "campaign feedback"

    def __str__(self) -> str:
        return f"Feedback on {self.campaign} of {self.submitted_on:%Y-%m-%d}"
