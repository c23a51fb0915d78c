"""Publishing a campaign releases it and, once the publication commits, delivers it."""

from wagtail.signals import page_published

from campaigns import tasks
from campaigns.models import CampaignPage
from campaigns.services.releases import record_release
from lms.tasks import enqueue_on_commit


def release_and_deliver(sender, instance: CampaignPage, revision, **kwargs) -> None:
    # Wagtail also sends page_published when a first publication is only scheduled; the
    # campaign is released when it goes live, which sends the signal again.
    if not instance.live or instance.live_revision_id != revision.pk:
        return
    record_release(campaign=instance, revision=revision)
    enqueue_on_commit(tasks.deliver_campaign, instance.pk)


def register_signal_handlers() -> None:
    page_published.connect(
        release_and_deliver, sender=CampaignPage, dispatch_uid="campaigns_release_and_deliver"
    )
