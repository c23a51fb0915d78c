"""Facts the campaigns app announces, always after the transaction commits."""

from django.dispatch import Signal

# Sent with suggestion_id, author_id (None when anonymous), status (the new one), when a
# suggestion is accepted or done.
suggestion_accepted = Signal()
suggestion_done = Signal()
