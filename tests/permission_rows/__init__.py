"""The rows of the permission matrix (tests/lms/test_permission_matrix.py), one module per area.

Each area module has `MATRIX` (url name → (how to build its arguments, expected status per
persona) for a GET), `POST_MATRIX` (the same for a POST) and `things(personas)`, which makes the
objects its rows point at and returns them by name. Argument builders receive the personas and
every area's things in one dict.
"""

ANON = "anonymous"
PERSONAS = [ANON, "employee", "manager", "other_manager", "hr", "comms", "outsider"]
LOGIN = "login"  # a redirect to the login page


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def signed_in(status, **overrides):
    return {ANON: LOGIN, **dict.fromkeys(PERSONAS[1:], status), **overrides}
