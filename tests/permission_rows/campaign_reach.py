"""Reach of campaigns and the answers to their feedback.

The reach is for Communications (counts only), HR and anyone with a team (their reports only);
an employee without a team and an outsider get 403, whichever campaign they ask for. The feedback
inbox and its answers are for Communications alone; an empty answer from them is bad input
(400), and a GET of the answer, which only takes a POST, gets 405.
"""

from tests.campaigns.factories import deliver_to, feedback, make_campaign
from tests.permission_rows import signed_in


def _campaign(p):
    return [p["reach_campaign"].pk]


def _feedback(p):
    return [p["campaign_feedback"].pk]


SEES_REACH = signed_in(403, manager=200, other_manager=200, hr=200, comms=200)
ONLY_COMMS = signed_in(403, comms=200)

MATRIX = {
    "campaign_reach_index": (None, SEES_REACH),
    "campaign_reach": (_campaign, SEES_REACH),
    "campaign_feedback_inbox": (None, ONLY_COMMS),
    "campaign_feedback_answer": (_feedback, signed_in(405)),
}

POST_MATRIX = {
    "campaign_feedback_answer": (_feedback, signed_in(403, comms=400)),
}


def things(personas):
    campaign = make_campaign(title="Our quality policy", needs_acknowledgement=True)
    deliver_to(campaign, [personas["employee"], personas["outsider"]])
    return {
        "reach_campaign": campaign,
        "campaign_feedback": feedback(campaign, author=personas["employee"]),
    }
