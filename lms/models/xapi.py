"""xAPI statements waiting for, or already sent to, the organisation's Learning Record Store.

A statement is written here, with a key naming the fact it reports, in the same transaction as
that fact; sending comes after. While the LRS is down nothing is lost: the row waits, and the
next send picks it up. The key makes a fact's statement unique, so a repeated signal or a
retried task never reports a fact twice.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class XapiStatement(models.Model):
    key = models.CharField(
        max_length=200, unique=True, help_text="The fact reported, e.g. 'completion:42'."
    )
    statement_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    statement = models.JSONField(help_text="The xAPI 1.0.3 statement, as sent.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "xAPI statement"
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="xapi_unsent"
            )
        ]

    def __str__(self) -> str:
        return self.key
