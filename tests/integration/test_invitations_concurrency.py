import threading
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from lms.models import Invitation
from lms.services import invitations
from lms.services.people import invite_people_without_password
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migration_data_kept"),
]


def test_two_senders_at_once_split_the_invitations_and_send_each_exactly_once(monkeypatch):
    people = [UserFactory(email=f"starter{n}@example.com", password=None) for n in range(4)]
    invite_people_without_password(users=people)

    first_is_sending = threading.Event()
    second_is_done = threading.Event()
    second_finished_while_first_held_locks = []
    send_messages = EmailBackend.send_messages

    def send_while_the_other_sender_runs(self, messages):
        if not first_is_sending.is_set():
            # The first sender holds its rows' locks until the second one has finished.
            first_is_sending.set()
            second_finished_while_first_held_locks.append(second_is_done.wait(timeout=10))
        return send_messages(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_while_the_other_sender_runs)
    sent = {}

    def sender(name):
        try:
            sent[name] = invitations.send_pending_invitations(batch_size=2)
        finally:
            connection.close()
            if name == "second":
                second_is_done.set()

    first = threading.Thread(target=sender, args=("first",))
    first.start()
    assert first_is_sending.wait(timeout=10)
    second = threading.Thread(target=sender, args=("second",))
    second.start()
    second.join(timeout=20)
    first.join(timeout=20)

    # SKIP LOCKED: the second sender took the next two rows instead of waiting for the first.
    assert second_finished_while_first_held_locks == [True]
    assert sent == {"first": 2, "second": 2}
    recipients = Counter(address for message in mail.outbox for address in message.to)
    assert recipients == Counter({person.email: 1 for person in people})
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()
