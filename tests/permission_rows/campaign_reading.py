"""Campaigns for their readers: list, acknowledgement, changes, feedback.

Every signed-in person has their own list. A live campaign is no secret (its page is open to
everyone signed in), so someone it is not addressed to gets 403, not 404, when they try to
acknowledge it or to see what changed for its audience. Anyone signed in may send feedback; an
empty POST is bad input (400).
"""

from tests.campaigns.factories import make_campaign
from tests.permission_rows import signed_in


def _campaign(p):
    return [p["campaign"].pk]


# The campaign below is addressed to the employee's department: the employee and their manager.
ITS_AUDIENCE = {"employee": 200, "manager": 200}

MATRIX = {
    "my_campaigns": (None, signed_in(200)),
    "campaign_changes": (_campaign, signed_in(403, **ITS_AUDIENCE)),
    # POST-only actions answer a GET with 405; their POST rows are in POST_MATRIX.
    "campaign_acknowledge": (_campaign, signed_in(405)),
    "campaign_feedback": (_campaign, signed_in(405)),
}

POST_MATRIX = {
    # Acknowledged: back to the campaign page.
    "campaign_acknowledge": (_campaign, signed_in(403, employee=302, manager=302)),
    "campaign_feedback": (_campaign, signed_in(400)),
}


def things(personas):
    campaign = make_campaign(
        title="Report every near miss",
        audience_departments=[personas["employee"].department],
        needs_acknowledgement=True,
    )
    return {"campaign": campaign}
