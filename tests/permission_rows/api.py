"""The read-only API under /api/v1/.

A caller without credentials is told to authenticate (401), never sent to the login page. Every
signed-in persona may list (each sees their own scope); a person's detail is for themself, their
managers and HR, a 404 for anyone else. Nothing can be written: a POST is 405 once signed in.
"""

from tests.permission_rows import ANON, PERSONAS


def _employee(p):
    return [p["employee"].pk]


def _signed_in(status, **overrides):
    return {ANON: 401, **dict.fromkeys(PERSONAS[1:], status), **overrides}


LISTS = ["api-people-list", "api-competence-records-list", "api-completions-list", "api-matrix"]

MATRIX = {
    **{name: (None, _signed_in(200)) for name in LISTS},
    "api-people-detail": (
        _employee,
        _signed_in(404, employee=200, manager=200, hr=200),
    ),
    "api_schema": (None, _signed_in(200)),
}

POST_MATRIX = {
    **{name: (None, _signed_in(405)) for name in [*LISTS, "api_schema"]},
    "api-people-detail": (_employee, _signed_in(405)),
}


def things(personas):
    return {}
