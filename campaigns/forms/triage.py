"""The forms of the triage: filters of the list, and one form per step a suggestion can take."""

from __future__ import annotations

from django import forms

from campaigns.models import Suggestion
from campaigns.selectors.triage import OPEN
from lms.models import User

Status = Suggestion.Status


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            ("", "All, open ones first"),
            (OPEN, "Open: new or under review"),
            *Status.choices,
        ],
        required=False,
    )
    category = forms.ChoiceField(
        choices=[("", "Every category"), *Suggestion.Category.choices], required=False
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


def _text(label: str, *, required_message: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required_message} if required_message else None,
    )


class StepForm(forms.Form):
    """A step of the triage. The page posts `to_status` beside the form's prefixed fields."""

    to_status: str = ""
    title = ""
    button = ""

    note = _text("Note for the history (optional)")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.to_status)
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def step_arguments(self) -> dict:
        """The cleaned data as the keyword arguments of `move_suggestion`."""
        return dict(self.cleaned_data)


class ReviewForm(StepForm):
    to_status = Status.UNDER_REVIEW
    title = "Put under review"
    button = "Start the review"


class AcceptForm(StepForm):
    to_status = Status.ACCEPTED
    title = "Accept"
    button = "Accept the suggestion"

    owner = OwnerChoiceField(
        # People on the roster only: service accounts have no employee id.
        queryset=User.objects.filter(is_active=True, employee_id__isnull=False).order_by(
            "last_name", "first_name", "email"
        ),
        label="Owner",
        help_text="Who carries out the action.",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose who will carry out the action.",
            "invalid_choice": "Choose an active person as the owner.",
        },
    )
    action = _text(
        "Action",
        required_message="Say what will be done.",
        help_text="What will be done; the author sees it.",
    )


class DeclineForm(StepForm):
    to_status = Status.DECLINED
    title = "Decline"
    button = "Decline the suggestion"

    reason = _text(
        "Reason",
        required_message="Say why the suggestion is declined.",
        help_text="Why not; the author sees it.",
    )


class DoneForm(StepForm):
    to_status = Status.DONE
    title = "Mark done"
    button = "Mark it done"

    outcome = _text(
        "Outcome",
        required_message="Say what was done.",
        help_text="What was done; the author sees it.",
    )


STEP_FORMS: dict[str, type[StepForm]] = {
    form.to_status: form for form in (ReviewForm, AcceptForm, DeclineForm, DoneForm)
}
