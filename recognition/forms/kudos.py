"""The forms of kudos, the team kudos filter and recognition preferences. The services check
everything again: these give the page its fields and first messages."""

from __future__ import annotations

from django import forms

from lms.models import Department
from recognition.models import KudosValue
from recognition.selectors.kudos import SEARCH_MAX_LENGTH
from recognition.services.kudos import HIDE_REASON_MAX, MESSAGE_MAX, MESSAGE_MIN

CHOOSE_A_COLLEAGUE = "Choose a colleague from the list: only active people on the roster."


class ColleagueSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a colleague",
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        help_text="Part of their name or e-mail address.",
        error_messages={"max_length": f"Search with at most {SEARCH_MAX_LENGTH} characters."},
    )


class KudosForm(forms.Form):
    to = forms.IntegerField(
        label="Colleague",
        widget=forms.HiddenInput,
        error_messages={
            "required": CHOOSE_A_COLLEAGUE,
            "invalid": CHOOSE_A_COLLEAGUE,
        },
    )
    value = forms.ChoiceField(
        label="The value their contribution stands for",
        choices=KudosValue.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the value their contribution stands for.",
            "invalid_choice": "Choose one of the values listed.",
        },
    )
    message = forms.CharField(
        label="What did they do?",
        help_text=(
            f"A concrete contribution to the management system, in {MESSAGE_MIN} to "
            f"{MESSAGE_MAX} characters. Plain text."
        ),
        min_length=MESSAGE_MIN,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": f"Say what they did, in at least {MESSAGE_MIN} characters.",
            "min_length": f"Say what they did, in at least {MESSAGE_MIN} characters: a concrete "
            "contribution.",
            "max_length": f"Keep the message to {MESSAGE_MAX} characters.",
        },
    )


class HideKudosForm(forms.Form):
    reason = forms.CharField(
        label="Why hide it from the wall?",
        max_length=HIDE_REASON_MAX,
        help_text="The sender is told this reason.",
        error_messages={
            "required": "Say why the kudos are hidden from the wall.",
            "max_length": f"Keep the reason to {HIDE_REASON_MAX} characters.",
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TeamKudosFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="Every department",
        error_messages={"invalid_choice": "Choose one of the departments listed."},
    )


class PreferencesForm(forms.Form):
    show_on_wall = forms.BooleanField(
        label="Show my kudos and badges on the recognition wall", required=False
    )
    show_on_leaderboards = forms.BooleanField(
        label="Show my name on the leaderboards", required=False
    )
