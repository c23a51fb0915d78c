"""Facts the learning core announces to other apps, always after the transaction commits."""

from django.dispatch import Signal

# Sent with completion_id, user_id, module_id, on_time.
module_completed = Signal()

# Sent with check_id, person_id, answered_by_id, as_line_manager (the person's line manager
# answered it, not HR) and outcome, when an effectiveness check is answered.
effectiveness_check_answered = Signal()
