"""Rows for the recognition badges URLs."""

MATRIX = {}

POST_MATRIX = {}


def things(personas):
    return {}
