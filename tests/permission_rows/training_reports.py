"""Reports: gap analysis and training status.

HR and managers (any manager, for the people below them) see both reports; anyone else gets 403.
Assigning the modules that close a gap is a POST: an empty form from someone allowed is bad
input (400), nothing is assigned.
"""

from tests.permission_rows import signed_in

REPORTERS = {"manager": 200, "other_manager": 200, "hr": 200}

MATRIX = {
    "report_gaps": (None, signed_in(403, **REPORTERS)),
    "report_training_status": (None, signed_in(403, **REPORTERS)),
    # POST only: a GET is answered 405; the POST row is below.
    "report_gaps_assign": (None, signed_in(405)),
}

POST_MATRIX = {
    "report_gaps_assign": (None, signed_in(403, manager=400, other_manager=400, hr=400)),
}


def things(personas):
    return {}
