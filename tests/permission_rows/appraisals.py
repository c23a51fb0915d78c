"""Rows for the appraisals URLs."""

MATRIX = {}

POST_MATRIX = {}


def things(personas):
    return {}
