"""Kudos, the recognition wall, leaderboards and preferences.

Everyone signed in sends kudos, reads their own, the wall and the leaderboards, and keeps their
preferences; a POST to send with nothing filled in is bad input (400). Team kudos are for
managers (their own people) and HR; anyone else gets 403. Hiding kudos is for HR alone, and a
POST without a reason is bad input (400); a GET of it, which only takes a POST, gets 405, and so
does a POST to the pages that are only read.
"""

from tests.permission_rows import signed_in
from tests.recognition.factories import KudosFactory


def _kudos(p):
    return [p["kudos"].pk]


MATRIX = {
    "send_kudos": (None, signed_in(200)),
    "my_kudos": (None, signed_in(200)),
    "team_kudos": (None, signed_in(403, manager=200, other_manager=200, hr=200)),
    "kudos_hide": (_kudos, signed_in(405)),
    "recognition_wall": (None, signed_in(200)),
    "leaderboards": (None, signed_in(200)),
    "recognition_preferences": (None, signed_in(200)),
}

POST_MATRIX = {
    "send_kudos": (None, signed_in(400)),
    "my_kudos": (None, signed_in(405)),
    "team_kudos": (None, signed_in(405)),
    "kudos_hide": (_kudos, signed_in(403, hr=400)),
    "recognition_wall": (None, signed_in(405)),
    "leaderboards": (None, signed_in(405)),
    "recognition_preferences": (None, signed_in(302)),
}


def things(personas):
    return {"kudos": KudosFactory(sender=personas["outsider"], receiver=personas["employee"])}
