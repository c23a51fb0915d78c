"""Reads for campaigns' readers: where a person stands with a campaign, their list of campaigns,
how many they have not opened, and the answers published to everyone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from campaigns.models import Acknowledgement, CampaignFeedback, CampaignPage, Delivery, Release
from campaigns.services.releases import current_release
from lms.markdown import render_markdown
from lms.models import IsoClause, TrainingModule, User

UNREAD, TO_ACKNOWLEDGE, READ = 0, 1, 2


def live_campaigns() -> QuerySet[CampaignPage]:
    return CampaignPage.objects.live()


@dataclass(frozen=True)
class ReaderStanding:
    """Where a person stands with a campaign's current release. `acknowledgement` is of the
    revision it asks about; `earlier_acknowledgement` is their latest of an older revision,
    kept only while the current one is not acknowledged (a material change asks again)."""

    release: Release | None
    is_asked: bool
    needs_acknowledgement: bool
    delivery: Delivery | None
    acknowledgement: Acknowledgement | None
    earlier_acknowledgement: Acknowledgement | None
    # What the editor said changed when the revision asked about was published.
    change_summary: str = ""

    @property
    def must_acknowledge(self) -> bool:
        return (
            self.needs_acknowledgement
            and self.is_asked
            and self.release is not None
            and self.acknowledgement is None
        )

    @property
    def asked_again(self) -> bool:
        """They acknowledged an earlier version, and a material change asks them again."""
        return self.must_acknowledge and self.earlier_acknowledgement is not None

    @property
    def acknowledge_by(self) -> datetime.datetime | None:
        if not self.must_acknowledge:
            return None
        asked_at = self.delivery.created_at if self.delivery else self.release.published_at
        return asked_at + datetime.timedelta(days=settings.LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS)


def reader_standing(*, campaign: CampaignPage, user: User) -> ReaderStanding:
    """Where `user` stands with `campaign`: a handful of queries, whatever its history."""
    release = current_release(campaign)
    if release is None:
        return ReaderStanding(None, False, campaign.needs_acknowledgement, None, None, None)
    revision_id = release.asks_about_id
    delivery = Delivery.objects.filter(
        campaign=campaign, user=user, revision_id=revision_id
    ).first()
    acknowledgements = list(
        Acknowledgement.objects.filter(campaign=campaign, user=user).order_by(
            "-acknowledged_at", "-pk"
        )
    )
    current = next((a for a in acknowledgements if a.revision_id == revision_id), None)
    earlier = next((a for a in acknowledgements if a.revision_id != revision_id), None)
    # Asked: in the audience now, or sent this revision (see services.reading.is_asked).
    asked = delivery is not None or campaign.audience.includes(user)
    summary = release.change_summary
    if not release.is_material:
        summary = (
            Release.objects.filter(revision_id=revision_id)
            .values_list("change_summary", flat=True)
            .first()
        ) or ""
    return ReaderStanding(
        release=release,
        is_asked=asked,
        needs_acknowledgement=campaign.needs_acknowledgement,
        delivery=delivery,
        acknowledgement=current,
        earlier_acknowledgement=None if current else earlier,
        change_summary=summary,
    )


def clauses_of(campaign: CampaignPage) -> list[IsoClause]:
    return list(
        campaign.clauses.select_related("standard").order_by(
            "standard__name", "sort_order", "number"
        )
    )


def related_modules_of(campaign: CampaignPage) -> QuerySet[TrainingModule]:
    return campaign.related_modules.filter(live=True).defer("body").order_by("title")


@dataclass(frozen=True)
class PublishedAnswer:
    question: SafeString
    answer: SafeString
    asked_on: datetime.date
    answered_on: datetime.date | None


def published_answers(*, campaign: CampaignPage) -> list[PublishedAnswer]:
    """The questions whose answers Communications made public, newest answer first; never who
    asked."""
    rows = (
        CampaignFeedback.objects.filter(campaign=campaign, answer_is_public=True)
        .exclude(answer="")
        .only("text", "answer", "submitted_on", "answered_on")
        .order_by("-answered_on", "-pk")
    )
    return [
        PublishedAnswer(
            question=render_markdown(row.text),
            answer=render_markdown(row.answer),
            asked_on=row.submitted_on,
            answered_on=row.answered_on,
        )
        for row in rows
    ]


def campaigns_of(*, user: User) -> QuerySet[Delivery]:
    """A person's live campaigns, one row each (their latest delivery of it): not opened yet
    first, then those waiting for their acknowledgement, then the rest; newest first within
    each. Each row carries `is_acknowledged` and `standing` (UNREAD, TO_ACKNOWLEDGE or READ)."""
    latest = (
        Delivery.objects.filter(campaign=OuterRef("campaign"), user=user)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    acknowledged = Acknowledgement.objects.filter(
        campaign=OuterRef("campaign"), user=user, revision=OuterRef("revision")
    )
    return (
        Delivery.objects.filter(user=user, campaign__live=True, pk=Subquery(latest))
        .annotate(is_acknowledged=Exists(acknowledged))
        .annotate(
            standing=Case(
                When(opened_at__isnull=True, then=Value(UNREAD)),
                When(
                    Q(campaign__needs_acknowledgement=True) & ~Exists(acknowledged),
                    then=Value(TO_ACKNOWLEDGE),
                ),
                default=Value(READ),
                output_field=IntegerField(),
            )
        )
        .select_related("campaign")
        .defer("campaign__body")
        .order_by("standing", "-created_at", "-pk")
    )


def unread_campaigns(person: OuterRef | User) -> Coalesce:
    """How many live campaigns sent to `person` (a user, or a reference to one in an outer
    query) they have not opened, as an expression: the header asks for it together with the
    unread notifications, in the same query."""
    return Coalesce(
        Subquery(
            Delivery.objects.filter(user=person, opened_at__isnull=True, campaign__live=True)
            .order_by()
            .values("user")
            .annotate(campaigns=Count("campaign", distinct=True))
            .values("campaigns")
        ),
        0,
    )


def unread_campaigns_count(*, user: User) -> int:
    """How many live campaigns sent to `user` they have not opened: one query."""
    return (
        Delivery.objects.filter(user=user, opened_at__isnull=True, campaign__live=True)
        .values("campaign_id")
        .distinct()
        .count()
    )
