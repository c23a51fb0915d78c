"""Badges: everyone signed in has their own badges page; only the holder shares an award (404
for anyone else, so its id tells nothing). The public side needs no login: a shared award's
page, the criteria page and the Open Badges documents; each of them takes only a GET.
"""

from tests.permission_rows import everyone, signed_in
from tests.recognition.factories import BadgeAwardFactory, BadgeFactory


def _award(p):
    return [p["badge_award"].uid]


def _badge(p):
    return [p["badge_award"].badge.slug]


PUBLIC_GET = everyone(200)
GET_ONLY = everyone(405)

MATRIX = {
    "my_badges": (None, signed_in(200)),
    "badge_award_share": (_award, signed_in(405)),
    "badge_public": (_award, PUBLIC_GET),
    "badge_criteria": (_badge, PUBLIC_GET),
    "badge_assertion": (_award, PUBLIC_GET),
    "badge_class": (_badge, PUBLIC_GET),
    "badge_issuer": (None, PUBLIC_GET),
}

POST_MATRIX = {
    "my_badges": (None, signed_in(405)),
    # No choice posted: the holder is told to choose (400); anyone else gets 404.
    "badge_award_share": (_award, signed_in(404, employee=400)),
    "badge_public": (_award, GET_ONLY),
    "badge_criteria": (_badge, GET_ONLY),
    "badge_assertion": (_award, GET_ONLY),
    "badge_class": (_badge, GET_ONLY),
    "badge_issuer": (None, GET_ONLY),
}


def things(personas):
    badge = BadgeFactory(name="Quality champion", slug="quality-champion")
    return {
        "badge_award": BadgeAwardFactory(badge=badge, user=personas["employee"], is_public=True)
    }
