"""Delivering campaigns: a delivery row per reader, then notifications, e-mails and reminders.

Rows first, then messages. Publishing a campaign (or going live on schedule) writes one delivery
per active person in its audience for the revision its latest release asks about: one
INSERT ... SELECT whatever the audience's size, which the unique key (campaign, person, revision)
turns into a no-op for whoever has one already. A minor release asks about the same revision as
before, so it writes nothing; a material one writes a new row for everyone. The in-app
notifications of the new rows are written in the same transaction, so a re-run writes neither
twice. The same fan-out runs every few minutes for each live campaign, which is how people who
join the audience later receive it.

E-mails go in batches over one connection each, one short transaction per message that marks its
delivery sent; `campaigns.mail.send_once` explains why each person gets exactly one, even when a
worker is killed halfway. Reminders bump their delivery's counters in the same way before the
person is told.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.core import mail
from django.db import connection, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from campaigns.mail import send_once
from campaigns.models import Acknowledgement, CampaignPage, Delivery, Release
from lms.models import Notification
from lms.services.notifications import MESSAGE_LENGTH

NEW, CHANGED, REMINDER = (
    Notification.Kind.CAMPAIGN.value,
    Notification.Kind.CAMPAIGN_CHANGED.value,
    Notification.Kind.CAMPAIGN_REMINDER.value,
)


class EmailBatch(NamedTuple):
    sent: int
    # A full batch was looked at: more may be waiting.
    full: bool


class LiveFanOut(NamedTuple):
    written: int
    # Campaigns with e-mails still to send, new readers' or any a lost task left behind.
    email_pending: list[int]


# --- Which campaigns deliver


def live_campaigns(*, now: datetime.datetime | None = None) -> QuerySet[CampaignPage]:
    """Published campaigns that have not expired, with what their audience needs."""
    now = now or timezone.now()
    return (
        CampaignPage.objects.live()
        .filter(expired=False)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .prefetch_related("audience_departments", "audience_job_roles")
    )


def live_campaign(campaign_id: int) -> CampaignPage | None:
    """The campaign if it is live and unexpired, else None: it delivers nothing then."""
    return live_campaigns().filter(pk=campaign_id).first()


def _is_live(campaign: CampaignPage, now: datetime.datetime) -> bool:
    expired = campaign.expired or (campaign.expire_at is not None and campaign.expire_at <= now)
    return campaign.live and not expired


def asking_release(campaign: CampaignPage) -> Release | None:
    """The release whose revision readers are asked about now: the latest material one."""
    return (
        Release.objects.filter(campaign=campaign, revision_id=F("asks_about_id"))
        .order_by("-pk")
        .first()
    )


# --- Fan-out


def fan_out(*, campaign: CampaignPage, now: datetime.datetime | None = None) -> int:
    """Write a delivery of the revision `campaign` asks about for every active person in its
    audience without one, and an in-app notification for each when the campaign is sent in-app
    (a "changed" one for those asked about an earlier revision). Returns how many deliveries were
    written: none for a campaign unpublished, expired or never released. A fixed number of
    queries whatever the audience; running it again writes nothing."""
    now = now or timezone.now()
    if not _is_live(campaign, now):
        return 0
    path = _path(campaign)
    with transaction.atomic():
        # Fan-outs of one campaign wait for each other here, as does its next release.
        latest = (
            Release.objects.select_for_update(of=("self",))
            .filter(campaign=campaign)
            .order_by("-pk")
            .values_list("asks_about_id", flat=True)
            .first()
        )
        if latest is None:
            return 0
        asked = Delivery.objects.filter(campaign=campaign, revision_id=latest)
        people = campaign.audience.people().exclude(pk__in=asked.values("user_id"))
        ids = _insert_select(
            Delivery,
            fields=["user"],
            rows=people.order_by().annotate(new_user=F("pk")).values("new_user"),
            constants={
                "campaign": campaign.pk,
                "revision": latest,
                "created_at": now,
                "reminders_sent": 0,
            },
            skip_conflicts=True,
        )
        if ids and campaign.send_in_app:
            fresh = asked.filter(pk__gte=min(ids), pk__lte=max(ids), created_at=now)
            _insert_select(
                Notification,
                fields=["user", "kind", "message"],
                rows=_notification_rows(campaign, fresh),
                constants={"url": path, "created_at": now},
            )
    return len(ids)


def fan_out_live_campaigns(*, now: datetime.datetime | None = None) -> LiveFanOut:
    """Fan out every live campaign (people who joined an audience since receive it); one
    INSERT ... SELECT per campaign. Also says which campaigns have e-mails waiting."""
    written = 0
    email_pending = []
    for campaign in live_campaigns(now=now):
        written += fan_out(campaign=campaign, now=now)
        if campaign.send_email and _emails_due(campaign).exists():
            email_pending.append(campaign.pk)
    return LiveFanOut(written=written, email_pending=email_pending)


def _notification_rows(campaign: CampaignPage, fresh: QuerySet[Delivery]) -> QuerySet:
    title = campaign.title
    act = "read and acknowledge it" if campaign.needs_acknowledgement else "read it"
    new = _fitted(f"New campaign: “{title}”. Please {act}.")
    changed = _fitted(f"“{title}” has changed. Please {act} again.")
    return (
        fresh.order_by()
        .alias(asked_before=_asked_before())
        .annotate(
            new_user=F("user_id"),
            new_kind=Case(When(asked_before=True, then=Value(CHANGED)), default=Value(NEW)),
            new_message=Case(When(asked_before=True, then=Value(changed)), default=Value(new)),
        )
        .values("new_user", "new_kind", "new_message")
    )


def _asked_before() -> Exists:
    """Whether the delivery's person was asked about an earlier revision of the campaign."""
    return Exists(
        Delivery.objects.filter(campaign_id=OuterRef("campaign_id"), user_id=OuterRef("user_id"))
        .exclude(revision_id=OuterRef("revision_id"))
        .values("pk")
    )


def _insert_select(
    model: type[models.Model],
    *,
    fields: list[str],
    rows: QuerySet,
    constants: dict[str, Any],
    skip_conflicts: bool = False,
) -> list[int]:
    """INSERT INTO `model` the rows `rows` selects (a values() query whose columns are `fields`,
    in order) with `constants` in the other columns, as one statement; returns the new ids. With
    `skip_conflicts`, rows a unique constraint already holds are left out."""
    inner_sql, inner_params = rows.query.sql_with_params()
    named = {name: model._meta.get_field(name) for name in [*fields, *constants]}
    columns = ", ".join(connection.ops.quote_name(field.column) for field in named.values())
    params = [named[name].get_db_prep_save(value, connection) for name, value in constants.items()]
    placeholders = "".join(", %s" for _ in constants)
    table = connection.ops.quote_name(model._meta.db_table)
    # `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT.
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the model, values as params
        f"SELECT selected.*{placeholders} FROM ({inner_sql}) AS selected WHERE true "
        f"{'ON CONFLICT DO NOTHING ' if skip_conflicts else ''}"
        f"RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        return [row[0] for row in cursor.fetchall()]


# --- E-mail


def send_email_batch(*, campaign: CampaignPage, batch_size: int | None = None) -> EmailBatch:
    """E-mail up to `batch_size` (LMS_CAMPAIGN_EMAIL_BATCH) of the campaign's deliveries not
    e-mailed yet, over one connection, each marked sent in its own short transaction (see
    `campaigns.mail`). Rows another worker is sending are skipped."""
    batch_size = batch_size or settings.LMS_CAMPAIGN_EMAIL_BATCH
    if not (campaign.send_email and _is_live(campaign, timezone.now())):
        return EmailBatch(sent=0, full=False)
    batch = list(
        _emails_due(campaign)
        .annotate(is_changed=_asked_before())
        .select_related("user")
        .order_by("pk")[:batch_size]
    )
    if not batch:
        return EmailBatch(sent=0, full=False)
    letter = _Letter(campaign)
    sent = 0
    with mail.get_connection() as smtp:
        for delivery in batch:
            sent += send_once(
                connection=smtp,
                message=letter.campaign_message(delivery),
                claim=_claiming(delivery.pk),
            )
    return EmailBatch(sent=sent, full=len(batch) == batch_size)


def _emails_due(campaign: CampaignPage) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        campaign=campaign,
        revision_id=Release.objects.filter(campaign=campaign)
        .order_by("-pk")
        .values("asks_about_id")[:1],
        emailed_at__isnull=True,
        user__is_active=True,
    ).exclude(user__email="")


def _claiming(delivery_id: int) -> Callable[[], bool]:
    """Lock the delivery unless another worker holds it; mark it e-mailed if it was not."""

    def claim() -> bool:
        unsent = (
            Delivery.objects.filter(pk=delivery_id, emailed_at__isnull=True)
            .select_for_update(skip_locked=True)
            .order_by()
        )
        # One statement: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED).
        marked = Delivery.objects.filter(pk__in=unsent.values("pk")).update(
            emailed_at=timezone.now()
        )
        return marked == 1

    return claim


# --- Reminders


def send_reminders(*, now: datetime.datetime | None = None, batch_size: int | None = None) -> int:
    """Remind the people who have not acknowledged a live campaign LMS_CAMPAIGN_REMIND_AFTER_DAYS
    days after it reached them (and as long again after each reminder), at most
    LMS_CAMPAIGN_MAX_REMINDERS times: their delivery's counters are bumped first, then they get
    an in-app notification (unless the campaign is e-mail only) and an e-mail (when it is sent
    by e-mail). Returns how many were reminded; a second run the same day reminds nobody."""
    now = now or timezone.now()
    batch_size = batch_size or settings.LMS_CAMPAIGN_EMAIL_BATCH
    reminded = 0
    for campaign in live_campaigns(now=now).filter(needs_acknowledgement=True):
        due = reminders_due(campaign=campaign, today=timezone.localdate(now))
        last_pk = 0
        while batch := list(due.filter(pk__gt=last_pk).select_related("user")[:batch_size]):
            last_pk = batch[-1].pk
            reminded += _remind(campaign, due, batch, now=now)
    return reminded


def reminders_due(*, campaign: CampaignPage, today: datetime.date) -> QuerySet[Delivery]:
    """Deliveries of the revision `campaign` asks about whose person is still in its audience,
    has not acknowledged that revision and is due a reminder `today`."""
    start_of_today = _start_of(today)
    last_heard = start_of_today - datetime.timedelta(days=settings.LMS_CAMPAIGN_REMIND_AFTER_DAYS)
    acknowledged = Acknowledgement.objects.filter(
        campaign_id=OuterRef("campaign_id"),
        user_id=OuterRef("user_id"),
        revision_id=OuterRef("revision_id"),
    )
    return (
        Delivery.objects.filter(
            campaign=campaign,
            revision_id=Release.objects.filter(campaign=campaign)
            .order_by("-pk")
            .values("asks_about_id")[:1],
            user__in=campaign.audience.people().values("pk"),
            reminders_sent__lt=settings.LMS_CAMPAIGN_MAX_REMINDERS,
        )
        .alias(heard_at=Coalesce("last_reminded_at", "created_at"))
        # The end of the day N days ago, so a run at any hour reminds the same people.
        .filter(heard_at__lt=last_heard + datetime.timedelta(days=1))
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=start_of_today))
        .exclude(Exists(acknowledged))
        .order_by("pk")
    )


def _remind(
    campaign: CampaignPage,
    due: QuerySet[Delivery],
    batch: list[Delivery],
    *,
    now: datetime.datetime,
) -> int:
    in_app = campaign.send_in_app or not campaign.send_email
    url = _path(campaign)
    message = _fitted(f"Please read and acknowledge “{campaign.title}”.")
    if not campaign.send_email:
        with transaction.atomic():
            claimed = list(
                due.filter(pk__in=[d.pk for d in batch])
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", "user_id")
            )
            _bump(Delivery.objects.filter(pk__in=[pk for pk, _ in claimed]), now=now)
            Notification.objects.bulk_create(
                Notification(user_id=user_id, kind=REMINDER, message=message, url=url)
                for _, user_id in claimed
            )
        return len(claimed)

    letter = _Letter(campaign)
    reminded = 0
    with mail.get_connection() as smtp:
        for delivery in batch:

            def claim(delivery=delivery) -> bool:
                still_due = (
                    due.filter(pk=delivery.pk)
                    .select_for_update(skip_locked=True, of=("self",))
                    .order_by()
                )
                if not _bump(still_due, now=now):
                    return False
                if in_app:
                    Notification.objects.create(
                        user_id=delivery.user_id, kind=REMINDER, message=message, url=url
                    )
                return True

            reminded += send_once(
                connection=smtp, message=letter.reminder_message(delivery), claim=claim
            )
    return reminded


def _bump(deliveries: QuerySet[Delivery], *, now: datetime.datetime) -> int:
    """Count a reminder on each of `deliveries`; returns how many."""
    return Delivery.objects.filter(pk__in=deliveries.values("pk")).update(
        reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
    )


# --- Messages


class _Letter:
    """What every e-mail of one campaign shares, rendered for each person."""

    def __init__(self, campaign: CampaignPage):
        release = asking_release(campaign)
        self.campaign = campaign
        self.context = {
            "campaign": campaign,
            "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + _path(campaign),
            "change_summary": release.change_summary if release else "",
            "site_name": settings.WAGTAIL_SITE_NAME,
        }

    def campaign_message(self, delivery: Delivery) -> mail.EmailMultiAlternatives:
        changed = bool(getattr(delivery, "is_changed", False))
        subject = f"Changed: {self.campaign.title}" if changed else self.campaign.title
        return self._message("campaign", subject, delivery, changed=changed)

    def reminder_message(self, delivery: Delivery) -> mail.EmailMultiAlternatives:
        subject = f"Reminder: please acknowledge {self.campaign.title}"
        return self._message("reminder", subject, delivery, changed=False)

    def _message(self, template: str, subject: str, delivery: Delivery, *, changed: bool):
        context = {
            **self.context,
            "person": delivery.user,
            "changed": changed,
            "acknowledge_by": timezone.localdate(delivery.created_at)
            + datetime.timedelta(days=settings.LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS),
        }
        message = mail.EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"campaigns/email/{template}.txt", context),
            to=[delivery.user.email],
        )
        message.attach_alternative(
            render_to_string(f"campaigns/email/{template}.html", context), "text/html"
        )
        return message


def _path(campaign: CampaignPage) -> str:
    parts = campaign.get_url_parts()
    return parts[2] if parts and parts[2] else ""


def _fitted(message: str) -> str:
    return message if len(message) <= MESSAGE_LENGTH else message[: MESSAGE_LENGTH - 1] + "…"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
