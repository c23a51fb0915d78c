"""Triage and reports of the suggestion box (Communications).

Only those who may triage suggestions (the Communications group) see the list, a suggestion and
the report; everyone else gets 403, whichever suggestion they ask for. An empty POST from the
Communications team is bad input: the page comes back with the errors (400).
"""

from campaigns.models import Suggestion
from tests.permission_rows import signed_in


def _suggestion(p):
    return [p["suggestion"].pk]


ONLY_COMMS = signed_in(403, comms=200)

MATRIX = {
    "suggestion_triage": (None, ONLY_COMMS),
    "suggestion_triage_detail": (_suggestion, ONLY_COMMS),
    "suggestion_report": (None, ONLY_COMMS),
}

POST_MATRIX = {
    "suggestion_triage_detail": (_suggestion, signed_in(403, comms=400)),
}


def things(personas):
    suggestion = Suggestion.objects.create(
        category=Suggestion.Category.SAFETY,
        text="Mark the walkway beside the loading bay.",
        author=personas["employee"],
    )
    return {"suggestion": suggestion}
