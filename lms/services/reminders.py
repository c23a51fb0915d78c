"""Reminders before and after due dates, escalations to line managers, and a manager's nudge.

Every notice is a row first (one digest per person per day, one nudge per person per day) and an
e-mail second; a retry or a second worker finds the row already sent and sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from lms.models import Assignment, Notification, ReminderDigest, TeamReminder, TrainingModule, User
from lms.selectors.learning import open_items
from lms.services.notifications import notification

BATCH_SIZE = 200
DUE_SOON, DUE_TODAY, OVERDUE, ESCALATION = (
    Notification.Kind.DUE_SOON.value,
    Notification.Kind.DUE_TODAY.value,
    Notification.Kind.OVERDUE.value,
    Notification.Kind.ESCALATION.value,
)
# The order in which a digest lists its items, and its headings.
SECTIONS = {
    OVERDUE: "Overdue",
    DUE_TODAY: "Due today",
    DUE_SOON: "Coming up",
    ESCALATION: "Overdue in your team",
}


class NothingToRemind(Exception):
    """The person has no open training, so a reminder would say nothing."""


def send_daily_reminders(*, today: datetime.date | None = None) -> int:
    """Write today's digest for each person with training due soon, due today or overdue, and for
    each line manager with reports overdue by more than LMS_ESCALATE_AFTER_DAYS_OVERDUE days; then
    e-mail the digests not sent yet and mirror their items as notifications.

    Returns how many digests this call e-mailed: a second call the same day returns 0.
    """
    today = today or timezone.localdate()
    items = reminder_items(today=today)
    ReminderDigest.objects.bulk_create(
        [ReminderDigest(user_id=user_id, sent_on=today, items=rows) for user_id, rows in items],
        ignore_conflicts=True,
        batch_size=500,
    )
    return send_pending_digests(sent_on=today)


def reminder_items(*, today: datetime.date) -> list[tuple[int, list[dict]]]:
    """Per person, what their digest lists today; people with nothing to hear are left out."""
    soon = today + datetime.timedelta(days=settings.LMS_REMINDER_DAYS_BEFORE)
    escalate_before = today - datetime.timedelta(days=settings.LMS_ESCALATE_AFTER_DAYS_OVERDUE)
    due = (
        Assignment.objects.filter(
            Q(due_on=soon) | Q(due_on__lte=today),
            status=Assignment.Status.OPEN,
            user__is_active=True,
            module__live=True,
        )
        .order_by("due_on", "pk")
        .values_list(
            "pk",
            "user_id",
            "module_id",
            "due_on",
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__manager_id",
            "user__manager__is_active",
        )
    )
    by_user: dict[int, list[dict]] = defaultdict(list)
    module_ids: set[int] = set()
    for (
        pk,
        user_id,
        module_id,
        due_on,
        first,
        last,
        email,
        manager_id,
        manager_active,
    ) in due.iterator(chunk_size=2000):
        module_ids.add(module_id)
        kind = DUE_TODAY if due_on == today else OVERDUE if due_on < today else DUE_SOON
        item = {"kind": kind, "assignment": pk, "module_id": module_id, "due_on": str(due_on)}
        by_user[user_id].append(item)
        if due_on < escalate_before and manager_id and manager_active:
            name = f"{first} {last}".strip() or email
            by_user[manager_id].append({**item, "kind": ESCALATION, "person": name})
    modules = _module_links(module_ids)
    order = list(SECTIONS)
    result = []
    for user_id, rows in by_user.items():
        for row in rows:
            row["module"], row["path"] = modules[row.pop("module_id")]
        rows.sort(key=lambda row: (order.index(row["kind"]), row.get("person", ""), row["due_on"]))
        result.append((user_id, rows))
    return result


def _module_links(module_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Title and site-relative path of each module, reading the site's root paths only once."""

    class CachedSiteRoots:
        """Wagtail keeps the site root paths it looked up on the object passed as `request`."""

    cache = CachedSiteRoots()
    links = {}
    for module in TrainingModule.objects.filter(pk__in=module_ids).defer("body"):
        parts = module.get_url_parts(request=cache)
        links[module.pk] = (module.title, parts[2] if parts and parts[2] else "")
    return links


def send_pending_digests(*, sent_on: datetime.date, batch_size: int | None = None) -> int:
    """E-mail the digests of `sent_on` not sent yet, a batch per SMTP connection; returns how many.

    Rows are locked with SKIP LOCKED, so two workers never send the same digest, and a digest is
    marked sent (and its notifications written) in the transaction that sent it.
    """
    batch_size = batch_size or BATCH_SIZE
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                ReminderDigest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(sent_on=sent_on, emailed_at__isnull=True, user__is_active=True)
                .select_related("user")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            with mail.get_connection() as connection:
                connection.send_messages([_digest_message(digest) for digest in batch])
            Notification.objects.bulk_create(
                [
                    _item_notification(digest.user_id, item)
                    for digest in batch
                    for item in digest.items
                ],
                batch_size=500,
            )
            ReminderDigest.objects.filter(pk__in=[d.pk for d in batch]).update(
                emailed_at=timezone.now()
            )
        sent += len(batch)


def _digest_message(digest: ReminderDigest) -> mail.EmailMessage:
    sections = []
    for kind, heading in SECTIONS.items():
        rows = [_for_display(item) for item in digest.items if item["kind"] == kind]
        if rows:
            sections.append({"kind": kind, "heading": heading, "items": rows})
    counts = [f"{len(s['items'])} {s['heading'].lower()}" for s in sections]
    context = {
        "user": digest.user,
        "sections": sections,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "learning_link": _absolute(reverse("my_learning")),
        "team_link": _absolute(reverse("my_team_learning")),
    }
    return mail.EmailMessage(
        subject=f"Your training: {', '.join(counts)}",
        body=render_to_string("lms/email/reminder_digest.txt", context),
        to=[digest.user.email],
    )


def _for_display(item: dict) -> dict:
    return {
        **item,
        "due_on": datetime.date.fromisoformat(item["due_on"]),
        "link": _absolute(item["path"]) if item["path"] else "",
    }


def _item_notification(user_id: int, item: dict) -> Notification:
    due = date_format(datetime.date.fromisoformat(item["due_on"]), "j F Y")
    module = item["module"]
    messages = {
        DUE_SOON: f"“{module}” is due on {due}.",
        DUE_TODAY: f"“{module}” is due today.",
        OVERDUE: f"“{module}” was due on {due}.",
        ESCALATION: f"{item.get('person')}: “{module}” was due on {due} and is still open.",
    }
    url = reverse("my_team_learning") if item["kind"] == ESCALATION else item["path"]
    return notification(user_id=user_id, kind=item["kind"], message=messages[item["kind"]], url=url)


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def remind_team_member(
    *, manager: User, person: User, today: datetime.date | None = None
) -> TeamReminder | None:
    """Write a manager's reminder to one of their people and e-mail it once committed.

    Returns None when `person` has already been reminded today (by anyone): nothing is written or
    sent then. Raises NothingToRemind when they have no open training. The caller checks that
    `person` is in `manager`'s team.
    """
    from lms import tasks

    today = today or timezone.localdate()
    if not Assignment.objects.filter(user=person, status=Assignment.Status.OPEN).exists():
        raise NothingToRemind(f"{person} has no open training to be reminded of.")
    with transaction.atomic():
        reminder, created = TeamReminder.objects.get_or_create(
            user=person, sent_on=today, defaults={"sent_by": manager}
        )
        if not created:
            return None
        notification(
            user_id=person.pk,
            kind=Notification.Kind.NUDGE,
            message=f"{manager} asks you to look at your open training.",
            url=reverse("my_learning"),
        ).save()
        transaction.on_commit(lambda: tasks.enqueue(tasks.send_team_reminder, reminder.pk))
    return reminder


def email_team_reminder(*, reminder_id: int) -> bool:
    """E-mail a manager's reminder unless it has been sent already; True when this call sent it."""
    with transaction.atomic():
        reminder = (
            TeamReminder.objects.select_for_update(of=("self",))
            .select_related("user", "sent_by")
            .filter(pk=reminder_id, emailed_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        items = open_items(user=reminder.user, today=reminder.sent_on)
        # Done with everything since the manager pressed the button: nothing left to say.
        sending = bool(items) and reminder.user.is_active
        if sending:
            links = _module_links({item.assignment.module_id for item in items})
            context = {
                "user": reminder.user,
                "manager": reminder.sent_by,
                "items": [
                    {
                        "module": item.assignment.module.title,
                        "due_on": item.assignment.due_on,
                        "overdue": item.overdue,
                        "link": _absolute(links[item.assignment.module_id][1]),
                    }
                    for item in items
                ],
                "site_name": settings.WAGTAIL_SITE_NAME,
                "learning_link": _absolute(reverse("my_learning")),
            }
            mail.EmailMessage(
                subject=f"{reminder.sent_by} asks you to look at your training",
                body=render_to_string("lms/email/team_reminder.txt", context),
                to=[reminder.user.email],
            ).send()
        reminder.emailed_at = timezone.now()
        reminder.save(update_fields=["emailed_at"])
    return sending


def send_pending_team_reminders(*, today: datetime.date | None = None) -> int:
    """E-mail the reminders of today and yesterday that were written but never sent (the broker
    was down when they were written); returns how many were sent."""
    today = today or timezone.localdate()
    pending = TeamReminder.objects.filter(
        emailed_at__isnull=True, sent_on__gte=today - datetime.timedelta(days=1)
    ).values_list("pk", flat=True)
    return sum(email_team_reminder(reminder_id=pk) for pk in list(pending))
