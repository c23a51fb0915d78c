"""Facts the learning core announces to other apps, always after the transaction commits."""

from django.dispatch import Signal

# Sent with completion_id, user_id, module_id, on_time.
module_completed = Signal()
