"""Campaigns for tests, made with the ORM and Wagtail's own revisions:
`make_campaign(audience_departments=[operations], needs_acknowledgement=True)`,
`publish_change(campaign, body=[md("New text")], material=True)`, `deliver(campaign, person)`,
`deliver_to(campaign, people, opened_at=...)`, `acknowledge(campaign, person)`.

Publishing goes through `Revision.publish`, so Wagtail's `page_published` fires as it does in the
CMS; the release is recorded here as well (recording it twice returns the first), so a test does
not depend on how publication is wired to delivery.
"""

from __future__ import annotations

import datetime
from itertools import count

from django.utils import timezone
from wagtail.models import Revision

from campaigns.models import (
    Acknowledgement,
    CampaignFeedback,
    CampaignIndexPage,
    CampaignPage,
    Delivery,
    Release,
)
from campaigns.services.releases import current_release, record_release
from lms.blocks import markdown_value
from tests.lms.factories_training import _add, site_root

_numbers = count(1)
md = markdown_value


def make_campaign_index() -> CampaignIndexPage:
    """The one campaign index (its page type allows only one), under the site's root page."""
    existing = CampaignIndexPage.objects.first()
    if existing is not None:
        return existing
    return _add(site_root(), CampaignIndexPage(title="Awareness", slug="awareness"))


def make_campaign(
    *,
    title: str | None = None,
    body: list[dict] | None = None,
    audience_departments=(),
    audience_job_roles=(),
    audience_levels: list[str] | None = None,
    clauses=(),
    standards=(),
    related_modules=(),
    live: bool = True,
    released_at: datetime.datetime | None = None,
    **fields,
) -> CampaignPage:
    """A campaign in the index, published with its first release (dated `released_at`, now by
    default) unless `live=False`."""
    number = next(_numbers)
    title = title or f"Campaign {number}"
    fields.setdefault("summary", f"Why {title} matters to you.")
    campaign = CampaignPage(
        title=title,
        slug=f"campaign-{number}",
        body=body if body is not None else [md(f"What {title} asks of you.")],
        audience_levels=list(audience_levels or []),
        **fields,
    )
    campaign.audience_departments = list(audience_departments)
    campaign.audience_job_roles = list(audience_job_roles)
    campaign.clauses = list(clauses)
    campaign.standards = list(standards)
    campaign.related_modules = list(related_modules)
    campaign = _add(make_campaign_index(), campaign, live=live)
    # A campaign scheduled to go live later has no live revision yet, nor a release.
    if live and campaign.live_revision_id is not None:
        release = record_release(campaign=campaign, revision=campaign.live_revision)
        _date(release, released_at)
    return campaign


def publish_change(
    campaign: CampaignPage,
    *,
    material: bool,
    change_summary: str = "",
    body: list[dict] | None = None,
    released_at: datetime.datetime | None = None,
    **fields,
) -> Release:
    """Publish a new revision of `campaign` with `body` and `fields` changed (its summary, when
    nothing is given), as an editor would: material or minor."""
    page = campaign.get_latest_revision_as_object()
    if body is not None:
        page.body = body
    if body is None and not fields:
        fields = {"summary": f"{page.summary} (revised)"}
    for name, value in fields.items():
        setattr(page, name, value)
    page.material_change = material
    page.change_summary = change_summary
    revision = page.save_revision()
    revision.publish()
    campaign.refresh_from_db()
    release = record_release(campaign=campaign, revision=revision)
    return _date(release, released_at)


def _date(release: Release, released_at: datetime.datetime | None) -> Release:
    if released_at is not None:
        Release.objects.filter(pk=release.pk).update(published_at=released_at)
        release.refresh_from_db()
    return release


def asked_revision(campaign: CampaignPage) -> Revision:
    """The revision the latest release of `campaign` asks about."""
    return current_release(campaign).asks_about


def deliver(
    campaign: CampaignPage,
    person,
    *,
    at: datetime.datetime | None = None,
    opened_at: datetime.datetime | None = None,
) -> Delivery:
    """A delivery to `person` of the revision the campaign's latest release asks about."""
    return deliver_to(campaign, [person], at=at, opened_at=opened_at)[0]


def deliver_to(
    campaign: CampaignPage,
    people,
    *,
    revision: Revision | None = None,
    at: datetime.datetime | None = None,
    opened_at: datetime.datetime | None = None,
) -> list[Delivery]:
    """A delivery of the revision asked about (or `revision`) to each of `people`."""
    revision = revision or asked_revision(campaign)
    at = at or timezone.now()
    return Delivery.objects.bulk_create(
        Delivery(
            campaign=campaign, user=person, revision=revision, created_at=at, opened_at=opened_at
        )
        for person in people
    )


def open_(campaign: CampaignPage, person, *, at: datetime.datetime | None = None) -> None:
    Delivery.objects.filter(campaign=campaign, user=person).update(opened_at=at or timezone.now())


def acknowledge(
    campaign: CampaignPage,
    person,
    *,
    revision: Revision | None = None,
    at: datetime.datetime | None = None,
    on_time: bool = True,
) -> Acknowledgement:
    return Acknowledgement.objects.create(
        campaign=campaign,
        user=person,
        revision=revision or asked_revision(campaign),
        acknowledged_at=at or timezone.now(),
        wording=campaign.acknowledgement_text,
        on_time=on_time,
    )


def feedback(campaign: CampaignPage, *, author=None, text: str = "What does this mean for us?"):
    return CampaignFeedback.objects.create(campaign=campaign, author=author, text=text)
