"""Facts the quiz engine announces, always after the transaction commits."""

from django.dispatch import Signal

# Sent with attempt_id, user_id, quiz_id, passed, score_percent (a Decimal), number.
attempt_submitted = Signal()
