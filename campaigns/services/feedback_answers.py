"""Answers of the Communications team to the feedback on campaigns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import CampaignFeedback
from lms.models import User


@transaction.atomic
def answer_feedback(
    *, feedback: CampaignFeedback, answer: str, is_public: bool, by: User
) -> CampaignFeedback:
    """Record `answer` (Markdown) to `feedback`, by `by` today, and whether the question and the
    answer are shown to everyone. Answering again replaces the answer. Raises ValidationError,
    changing nothing, for an empty answer."""
    answer = answer.strip()
    if not answer:
        raise ValidationError("Write an answer before saving it.")
    locked = CampaignFeedback.objects.select_for_update().get(pk=feedback.pk)
    locked.answer = answer
    locked.answer_is_public = is_public
    locked.answered_by = by
    locked.answered_on = timezone.localdate()
    locked.save(update_fields=["answer", "answer_is_public", "answered_by", "answered_on"])
    return locked
