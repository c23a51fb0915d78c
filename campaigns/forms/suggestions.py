"""The suggestion box's form, and the filter of "you said, we did"."""

from django import forms

from campaigns.models import Suggestion
from campaigns.services.suggestions import MAX_TEXT_LENGTH
from lms.models import Department

ANONYMOUS = "anonymous"
SIGNED = "signed"


class SuggestionForm(forms.Form):
    category = forms.ChoiceField(
        choices=Suggestion.Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a category.",
            "invalid_choice": "Choose one of the categories listed.",
        },
    )
    text = forms.CharField(
        label="Your suggestion",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_TEXT_LENGTH,
        help_text=f"Up to {MAX_TEXT_LENGTH:,} characters. You can use Markdown: "
        "*emphasis*, lists with “-”, links.",
        error_messages={
            "required": "Write your suggestion.",
            "max_length": "Keep it to %(limit_value)s characters or fewer (it has %(show_value)s).",
        },
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="No department in particular",
        label="Department it concerns (optional)",
        error_messages={"invalid_choice": "Choose a department from the list."},
    )
    identity = forms.ChoiceField(
        label="Send it",
        choices=[(ANONYMOUS, "Send anonymously"), (SIGNED, "Sign it so I can follow it")],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to send it anonymously or signed.",
            "invalid_choice": "Choose whether to send it anonymously or signed.",
        },
    )

    def is_signed(self) -> bool:
        return self.cleaned_data["identity"] == SIGNED


class CategoryFilterForm(forms.Form):
    category = forms.ChoiceField(
        choices=[("", "Every category"), *Suggestion.Category.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a category from the list."},
    )
