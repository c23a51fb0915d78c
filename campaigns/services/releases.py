"""Each publication of a campaign becomes a release, which says which revision readers are asked
about: its own when the change is material (the first publication always is), otherwise the one
the last material release asked about, so a typo fixed asks nobody again."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Revision

from campaigns.models import CampaignPage, Release


def record_release(*, campaign: CampaignPage, revision: Revision) -> Release:
    """The release of `revision` (just published), written once: publishing the same revision
    again returns the release already written."""
    with transaction.atomic():
        existing = Release.objects.filter(revision=revision).first()
        if existing is not None:
            return existing
        published = revision.as_object()
        previous = (
            Release.objects.select_for_update().filter(campaign=campaign).order_by("-pk").first()
        )
        is_material = previous is None or bool(published.material_change)
        return Release.objects.create(
            campaign=campaign,
            revision=revision,
            asks_about=revision if is_material else previous.asks_about,
            is_material=is_material,
            change_summary=published.change_summary if is_material else "",
        )


def current_release(campaign: CampaignPage) -> Release | None:
    """The latest release of `campaign`, with the revision it asks about."""
    return (
        Release.objects.filter(campaign=campaign)
        .select_related("asks_about")
        .order_by("-pk")
        .first()
    )
