"""Rows for the points URLs: everyone signed in sees their own points; a person's ledger is for
HR, the managers above them and the person; only HR corrects or adjusts, and an empty form
from HR is bad input (400). The correcting URLs take only a POST: a GET gets 405."""

from tests.permission_rows import signed_in


def _employee(p):
    return [p["employee"].pk]


MATRIX = {
    "recognition_home": (None, signed_in(200)),
    "person_points": (_employee, signed_in(403, employee=200, manager=200, hr=200)),
    "points_correct": (_employee, signed_in(405)),
    "points_adjust": (_employee, signed_in(405)),
}

POST_MATRIX = {
    "points_correct": (_employee, signed_in(403, hr=400)),
    "points_adjust": (_employee, signed_in(403, hr=400)),
}


def things(personas):
    return {}
