"""The suggestion box, its authors' view and "you said, we did".

Every page is open to every signed-in person (the platform is internal) and each shows only what
that person may see: their own signed suggestions, or the accepted and done ones without authors.
An empty POST to the box is bad input: the form comes back with its errors (400).
"""

from tests.permission_rows import signed_in

MATRIX = {
    "suggest": (None, signed_in(200)),
    "suggest_thanks": (None, signed_in(200)),
    "my_suggestions": (None, signed_in(200)),
    "you_said_we_did": (None, signed_in(200)),
}

POST_MATRIX = {
    "suggest": (None, signed_in(400)),
}


def things(personas):
    return {}
