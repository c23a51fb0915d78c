"""What the quiz pages read from a request."""

from django import forms
from django.http import QueryDict

ANSWER_PREFIX = "q-"


def answers_from_post(data: QueryDict) -> dict[str, list[str]]:
    """Question key → chosen choice keys, from fields named `q-<question key>`. A question left
    unanswered sends no field; the service scores it as an empty selection."""
    return {
        name.removeprefix(ANSWER_PREFIX): data.getlist(name)
        for name in data
        if name.startswith(ANSWER_PREFIX)
    }


class ExtraAttemptForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why one more attempt (optional)",
        error_messages={"max_length": "Keep the reason under 300 characters."},
    )
