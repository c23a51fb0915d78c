"""Rows for the points URLs: everyone signed in sees their own recognition page."""

from tests.permission_rows import signed_in

MATRIX = {
    "recognition_home": (None, signed_in(200)),
}

POST_MATRIX = {}


def things(personas):
    return {}
