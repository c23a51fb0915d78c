"""Rows that are evidence: written once, never changed or deleted. A correction is a new row."""

from django.db import models


class AppendOnly(Exception):
    pass


class AppendOnlyModel(models.Model):
    never_changed = "This row is never changed: add a new one instead."
    never_deleted = "This row is never deleted: add a new one instead."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly(self.never_changed)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(self.never_deleted)
