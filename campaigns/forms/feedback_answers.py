"""The Communications team's answer to a question or comment on a campaign."""

from __future__ import annotations

from django import forms

from campaigns.models import CampaignFeedback

ANSWER_MAX_LENGTH = 4000


class FeedbackAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Answer",
        max_length=ANSWER_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown: **bold**, *italic*, lists and links.",
        error_messages={"required": "Write an answer before saving it."},
    )
    answer_is_public = forms.BooleanField(
        label="Publish the question and this answer to everyone (never who asked)",
        required=False,
    )

    def __init__(self, *args, feedback: CampaignFeedback, **kwargs):
        # Several of these forms share one page: ids must not collide.
        kwargs.setdefault("auto_id", f"id_feedback_{feedback.pk}_%s")
        kwargs.setdefault("label_suffix", "")
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "answer": feedback.answer,
                "answer_is_public": feedback.answer_is_public,
            }
        super().__init__(*args, **kwargs)
        self.feedback = feedback
