"""Reactions to Wagtail's signals; connected in LmsConfig.ready(). Each only enqueues a task."""

from wagtail.signals import page_published

from lms import tasks
from lms.models import TrainingModule


def apply_rules_to_published_module(sender, instance, **kwargs) -> None:
    # Rules may name a draft; publishing is when their audience can start it.
    tasks.enqueue_on_commit(tasks.apply_rules_for_module, instance.pk)


def connect() -> None:
    page_published.connect(
        apply_rules_to_published_module,
        sender=TrainingModule,
        dispatch_uid="lms.apply_rules_to_published_module",
    )
