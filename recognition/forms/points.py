"""HR's two forms on a person's points page: correct one entry, or adjust the total."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from recognition.models import PointsEntry

# Far beyond any rule's points (a PositiveSmallIntegerField): a typo, not a correction.
LIMIT = 10_000
POINTS_ERRORS = {
    "required": "Give the number of points.",
    "invalid": "Give the points as a whole number, such as -5 or 10.",
    "min_value": f"Give at least -{LIMIT:,} points.",
    "max_value": f"Give at most {LIMIT:,} points.",
}


def _points_field(help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label="Points",
        min_value=-LIMIT,
        max_value=LIMIT,
        error_messages=POINTS_ERRORS,
        help_text=help_text,
    )


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label="Reason",
        max_length=300,
        error_messages={"required": "Say why: the person reads it in their ledger."},
        help_text="Shown to the person in their ledger.",
    )


def _label(entry: PointsEntry) -> str:
    when = timezone.localtime(entry.awarded_at).strftime("%-d %b %Y")
    return f"No. {entry.pk} · {when} · {entry.points:+d} · {entry.reason}"[:120]


class PointsCorrectionForm(forms.Form):
    """Which entry to correct is chosen from the ledger page shown; any entry of the person
    (by its number) is accepted, so a page that moved on since does not refuse it."""

    entry = forms.TypedChoiceField(
        label="Entry",
        coerce=int,
        error_messages={
            "required": "Choose the entry to correct.",
            "invalid_choice": "Choose one of the person's entries.",
        },
    )
    points = _points_field("Usually negative: the points taken off the entry.")
    reason = _reason_field()

    prefix = "correct"

    def __init__(self, *args, person_id: int, entries: list[PointsEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id = person_id
        self.fields["entry"].choices = [("", "Choose an entry")] + [
            (entry.pk, _label(entry)) for entry in entries if entry.corrects_id is None
        ]
        # A number not on the page shown is still one of theirs: clean_entry decides.
        self.fields["entry"].valid_value = lambda value: str(value).isdigit()

    def clean_entry(self) -> PointsEntry:
        pk = self.cleaned_data["entry"]
        entry = PointsEntry.objects.filter(user_id=self.person_id, pk=pk).first()
        if entry is None:
            raise forms.ValidationError("Choose one of the person's entries.")
        if entry.corrects_id is not None:
            raise forms.ValidationError(
                "That entry is itself a correction: correct the entry it corrects instead."
            )
        return entry


class PointsAdjustmentForm(forms.Form):
    points = _points_field("Positive to award, negative to withdraw.")
    reason = _reason_field()

    prefix = "adjust"
