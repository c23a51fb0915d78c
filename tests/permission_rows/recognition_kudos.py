"""Rows for the recognition kudos URLs."""

MATRIX = {}

POST_MATRIX = {}


def things(personas):
    return {}
