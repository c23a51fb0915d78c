"""Reports: the index and the competence matrix.

HR sees everyone, a manager the people below them (a manager of another team sees their own
team, so gets the page too); anyone who is neither gets 403.
"""

from tests.permission_rows import signed_in

HR_AND_MANAGERS = signed_in(403, manager=200, other_manager=200, hr=200)

MATRIX = {
    "reports_index": (None, HR_AND_MANAGERS),
    "report_competence_matrix": (None, HR_AND_MANAGERS),
}

POST_MATRIX = {}


def things(personas):
    return {}
