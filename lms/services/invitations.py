"""Invitations ask people imported from the roster to choose their password."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lms.models import Invitation

BATCH_SIZE = 200


def send_pending_invitations(*, batch_size: int = BATCH_SIZE) -> int:
    """Send the invitations not sent yet, one batch over one SMTP connection; returns how many.

    Rows are locked with SKIP LOCKED, so two workers never send the same invitation; a row is
    marked sent in the same transaction that sent it.
    """
    with transaction.atomic():
        pending = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True, user__is_active=True)
            .select_related("user")
            .order_by("pk")[:batch_size]
        )
        if not pending:
            return 0
        with mail.get_connection() as connection:
            connection.send_messages([_invitation_message(invitation) for invitation in pending])
        Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(sent_at=timezone.now())
    return len(pending)


def _invitation_message(invitation: Invitation) -> mail.EmailMessage:
    user = invitation.user
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
    }
    return mail.EmailMessage(
        subject=f"Your {settings.WAGTAIL_SITE_NAME} account",
        body=render_to_string("lms/email/invitation.txt", context),
        to=[user.email],
    )
