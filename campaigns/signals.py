"""Facts the campaigns app announces, always after the transaction commits."""

from django.dispatch import Signal

# Sent with suggestion_id, author_id (None when anonymous), status (the new one), when a
# suggestion is accepted or done.
suggestion_accepted = Signal()
suggestion_done = Signal()

# Sent with acknowledgement_id, campaign_id, user_id, revision_id and on_time (acknowledged within
# LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS of being asked), when someone acknowledges a campaign.
campaign_acknowledged = Signal()
