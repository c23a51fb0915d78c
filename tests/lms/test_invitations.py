import re

from django.core import mail

from lms import tasks
from lms.models import Invitation
from lms.services.invitations import send_pending_invitations
from lms.services.people import invite_people_without_password
from tests.factories import UserFactory


def _newcomer(**kwargs):
    person = UserFactory(**kwargs)
    person.set_unusable_password()
    person.save()
    return person


def test_only_people_without_a_password_are_invited(db):
    newcomer = _newcomer()
    invited = invite_people_without_password(users=[newcomer, UserFactory()])
    assert invited == 1
    assert list(Invitation.objects.values_list("user", flat=True)) == [newcomer.pk]


def test_each_invitation_is_sent_once_however_often_the_task_runs(db):
    people = [_newcomer() for _ in range(3)]
    invite_people_without_password(users=people)

    assert send_pending_invitations() == 3
    assert send_pending_invitations() == 0
    tasks.send_pending_invitations.delay()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()


def test_a_deactivated_person_is_not_invited(db):
    leaver = _newcomer(is_active=False)
    invite_people_without_password(users=[leaver])
    assert send_pending_invitations() == 0
    assert mail.outbox == []


def test_the_invitation_link_lets_the_person_choose_a_password(client, db):
    newcomer = _newcomer()
    invite_people_without_password(users=[newcomer])
    send_pending_invitations()
    link = re.search(r"https?://[^/\s]+(/accounts/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "a-long-new-passphrase-26", "password2": "a-long-new-passphrase-26"},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password("a-long-new-passphrase-26")
