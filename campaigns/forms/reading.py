"""The question or comment a reader sends on a campaign."""

from django import forms

from campaigns.services.reading import MAX_FEEDBACK_LENGTH

ANONYMOUS = "anonymous"
SIGNED = "signed"


class CampaignFeedbackForm(forms.Form):
    text = forms.CharField(
        label="Your question or comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_FEEDBACK_LENGTH,
        strip=True,
        help_text=f"Up to {MAX_FEEDBACK_LENGTH:,} characters. You can use Markdown: "
        "*emphasis*, lists with “-”, links.",
        error_messages={
            "required": "Write your question or comment.",
            "max_length": "Keep it to %(limit_value)s characters or fewer (it has %(show_value)s).",
        },
    )
    identity = forms.ChoiceField(
        label="Send it",
        choices=[
            (SIGNED, "With my name: the communications team sees who asked"),
            (ANONYMOUS, "Anonymously: nothing about me is kept with it"),
        ],
        initial=SIGNED,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to send it with your name or anonymously.",
            "invalid_choice": "Choose whether to send it with your name or anonymously.",
        },
    )

    def is_signed(self) -> bool:
        return self.cleaned_data["identity"] == SIGNED
