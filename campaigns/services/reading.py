"""What a reader does with a campaign: opens it, acknowledges it, writes back.

An acknowledgement is for the revision the current release asks about (a minor change keeps
asking about the last material one), once per person and revision. It is the evidence of
awareness (ISO clause 7.3) that reach reports and audits read, so it keeps the wording the
person confirmed, and it is announced (`campaign_acknowledged`) and sent to the Learning Record
Store only after it is committed.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Acknowledgement, CampaignFeedback, CampaignPage, Delivery, Release
from campaigns.services.releases import current_release
from campaigns.signals import campaign_acknowledged
from lms import tasks as lms_tasks
from lms.models import User
from lms.services import xapi

MAX_FEEDBACK_LENGTH = 3_000
# Activity Streams 1.0 "acknowledge": the actor has acknowledged the object, that is, they are
# aware of it (http://activitystrea.ms/specs/json/schema/activity-schema.html). ADL's own
# vocabulary has no verb for "I have read and understood"; "experienced" would only say it was
# seen.
ACKNOWLEDGE_VERB = "http://activitystrea.ms/schema/1.0/acknowledge"
CAMPAIGN_ACTIVITY_TYPE = "http://activitystrea.ms/schema/1.0/article"


class NothingToAcknowledge(ValueError):
    """The campaign does not ask for an acknowledgement, or has not been published yet."""


def campaign_iri(campaign_id: int) -> str:
    # The page id, not its URL: a slug an editor changes must not make a new activity.
    return f"{settings.LMS_XAPI_HOMEPAGE.rstrip('/')}/xapi/activities/campaigns/{campaign_id}"


def is_asked(*, campaign: CampaignPage, user: User, revision_id: int) -> bool:
    """Whether `user` is asked to read the campaign's revision `revision_id`: they are in its
    audience now, or it was delivered to them (someone who changed department since keeps what
    they were sent)."""
    if campaign.audience.includes(user):
        return True
    return Delivery.objects.filter(campaign=campaign, user=user, revision_id=revision_id).exists()


def mark_opened(*, campaign: CampaignPage, user: User) -> int:
    """Record that `user` opened the campaign: each of their deliveries of it not opened yet
    gets the time, once. Returns how many were marked (0 when already opened or never sent)."""
    return Delivery.objects.filter(campaign=campaign, user=user, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )


def acknowledge(*, campaign: CampaignPage, user: User) -> Acknowledgement:
    """`user` confirms they have read and understood the revision the campaign now asks about.

    Once per person and revision: a second call returns the first acknowledgement and changes
    nothing. Raises NothingToAcknowledge when the campaign asks for none (or has no release yet)
    and PermissionDenied for someone it does not ask."""
    if not campaign.needs_acknowledgement:
        raise NothingToAcknowledge("This campaign does not ask for an acknowledgement.")
    release = current_release(campaign)
    if release is None:
        raise NothingToAcknowledge("This campaign has not been published yet.")
    revision_id = release.asks_about_id
    if not is_asked(campaign=campaign, user=user, revision_id=revision_id):
        raise PermissionDenied(
            "This campaign is not addressed to you, so there is nothing to acknowledge."
        )
    mine = Acknowledgement.objects.filter(campaign=campaign, user=user, revision_id=revision_id)
    existing = mine.first()
    if existing is not None:
        return existing
    now = timezone.now()
    on_time = now <= _asked_at(campaign=campaign, user=user, release=release) + _allowed()
    with transaction.atomic():
        try:
            with transaction.atomic():
                acknowledgement = Acknowledgement.objects.create(
                    campaign=campaign,
                    user=user,
                    revision_id=revision_id,
                    acknowledged_at=now,
                    wording=campaign.acknowledgement_text,
                    on_time=on_time,
                )
        except IntegrityError:
            # The same button pressed twice at once: the other request's row stands.
            return mine.get()
        transaction.on_commit(
            partial(
                campaign_acknowledged.send,
                sender=Acknowledgement,
                acknowledgement_id=acknowledgement.pk,
                campaign_id=campaign.pk,
                user_id=user.pk,
                revision_id=revision_id,
                on_time=on_time,
            )
        )
        statement = acknowledgement_statement(
            acknowledgement=acknowledgement, campaign=campaign, on_time=on_time
        )
        if (
            xapi.record_statement(key=f"acknowledgement:{acknowledgement.pk}", statement=statement)
            is not None
        ):
            lms_tasks.enqueue_on_commit(lms_tasks.send_pending_xapi_statements)
    return acknowledgement


def _allowed() -> datetime.timedelta:
    return datetime.timedelta(days=settings.LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS)


def _asked_at(*, campaign: CampaignPage, user: User, release: Release) -> datetime.datetime:
    """When `user` was asked about the release's revision: their delivery of it, else the
    publication that first asked about it."""
    delivered = (
        Delivery.objects.filter(campaign=campaign, user=user, revision_id=release.asks_about_id)
        .values_list("created_at", flat=True)
        .first()
    )
    if delivered is not None:
        return delivered
    first_asked = (
        Release.objects.filter(revision_id=release.asks_about_id)
        .values_list("published_at", flat=True)
        .first()
    )
    return first_asked or release.published_at


def acknowledgement_statement(
    *, acknowledgement: Acknowledgement, campaign: CampaignPage, on_time: bool
) -> dict:
    """ "<person> acknowledged <campaign>", with whether it was on time, the revision confirmed
    and the campaign's ISO clauses as categories."""
    base = settings.LMS_XAPI_HOMEPAGE.rstrip("/")
    clauses = sorted(
        campaign.clauses.select_related("standard"), key=lambda c: (c.standard.name, c.number)
    )
    context: dict = {
        "platform": settings.WAGTAIL_SITE_NAME,
        "language": xapi.LANGUAGE,
        "extensions": {f"{base}/xapi/extensions/revision": acknowledgement.revision_id},
    }
    if clauses:
        context["contextActivities"] = {
            "category": [
                {
                    "objectType": "Activity",
                    "id": xapi.clause_iri(clause),
                    "definition": {
                        "name": {xapi.LANGUAGE: str(clause)},
                        "type": xapi.ACTIVITY_TYPES["clause"],
                    },
                }
                for clause in clauses
            ]
        }
    moment = acknowledgement.acknowledged_at.astimezone(datetime.UTC)
    return {
        "actor": xapi.actor(acknowledgement.user),
        "verb": {"id": ACKNOWLEDGE_VERB, "display": {xapi.LANGUAGE: "acknowledged"}},
        "object": {
            "objectType": "Activity",
            "id": campaign_iri(campaign.pk),
            "definition": {
                "name": {xapi.LANGUAGE: campaign.title},
                "type": CAMPAIGN_ACTIVITY_TYPE,
            },
        },
        "result": {
            "completion": True,
            "response": acknowledgement.wording,
            "extensions": {f"{base}/xapi/extensions/on-time": on_time},
        },
        "context": context,
        "timestamp": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


def submit_feedback(*, campaign: CampaignPage, text: str, author: User | None) -> CampaignFeedback:
    """Store a question or comment on `campaign`. With no author it is anonymous: the date is
    kept and nothing else about who sent it. Raises ValidationError (storing nothing) on an
    empty or too long text."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your question or comment."})
    if len(text) > MAX_FEEDBACK_LENGTH:
        raise ValidationError({"text": f"Keep it to {MAX_FEEDBACK_LENGTH:,} characters or fewer."})
    return CampaignFeedback.objects.create(
        campaign=campaign, author=author, text=text, submitted_on=timezone.localdate()
    )
