"""Thin Celery wrappers for campaigns: load by id, call a service. Every task is safe to run
twice."""

from celery import shared_task

from campaigns.services import delivery
from lms.tasks import RETRY, enqueue


# --- Delivery: fan-out, e-mail batches, reminders, late joiners (campaigns/services/delivery.py)
@shared_task(**RETRY)
def deliver_campaign(campaign_id: int) -> int:
    """A campaign just released: its deliveries and notifications, then its e-mails."""
    campaign = delivery.live_campaign(campaign_id)
    if campaign is None:
        return 0  # unpublished or expired since
    written = delivery.fan_out(campaign=campaign)
    if campaign.send_email:
        enqueue(send_campaign_emails, campaign_id)
    return written


@shared_task(**RETRY)
def send_campaign_emails(campaign_id: int) -> int:
    # One batch per run keeps each run short; the next batch is a task of its own.
    campaign = delivery.live_campaign(campaign_id)
    if campaign is None:
        return 0
    batch = delivery.send_email_batch(campaign=campaign)
    if batch.full:
        enqueue(send_campaign_emails, campaign_id)
    return batch.sent


@shared_task(**RETRY)
def deliver_live_campaigns() -> int:
    """Every live campaign to whoever joined its audience since, and e-mails a lost task left."""
    fanned_out = delivery.fan_out_live_campaigns()
    for campaign_id in fanned_out.email_pending:
        enqueue(send_campaign_emails, campaign_id)
    return fanned_out.written


@shared_task(**RETRY)
def send_campaign_reminders() -> int:
    # Safe to retry: a reminder bumps its delivery's counters before anyone is told.
    return delivery.send_reminders()
