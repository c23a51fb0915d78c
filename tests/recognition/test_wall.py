"""The recognition wall: recent kudos and badges, without those who opted out or were hidden."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recognition.models import RecognitionPreference
from recognition.selectors.wall import wall
from tests.factories import UserFactory
from tests.recognition.factories import BadgeAwardFactory, BadgeFactory, KudosFactory

URL = reverse("recognition_wall")


def _ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_the_wall_shows_recent_kudos_and_badges_newest_first(client, employee, outsider):
    KudosFactory(sender=outsider, receiver=employee, message="Older kudos.", created_at=_ago(3))
    BadgeAwardFactory(user=employee, badge=BadgeFactory(name="Safety star"), awarded_at=_ago(2))
    KudosFactory(sender=employee, receiver=outsider, message="Newer kudos.", created_at=_ago(1))
    client.force_login(outsider)

    page = client.get(URL).content.decode()

    assert page.index("Newer kudos.") < page.index("Safety star") < page.index("Older kudos.")
    assert f"From {outsider.get_full_name()}" in page
    assert "Team Member earned the badge Safety star" in page


def test_the_wall_leaves_out_what_is_older_than_30_days_hidden_or_revoked(employee, outsider):
    KudosFactory(receiver=employee, message="Too old.", created_at=_ago(31))
    KudosFactory(receiver=employee, message="Hidden.", hidden_at=_ago(0))
    BadgeAwardFactory(user=employee, revoked_at=_ago(0), revocation_reason="Awarded in error.")
    BadgeAwardFactory(user=employee, awarded_at=_ago(31))
    shown = KudosFactory(receiver=employee, message="Shown.")

    assert [item.kudos_id for item in wall()] == [shown.pk]


def test_someone_who_opted_out_is_left_out_and_named_a_colleague_as_sender(
    client, employee, outsider
):
    RecognitionPreference.objects.create(user=employee, show_on_wall=False)
    KudosFactory(sender=outsider, receiver=employee, message="Kudos for the shy one.")
    BadgeAwardFactory(user=employee, badge=BadgeFactory(name="Quiet achiever"))
    KudosFactory(sender=employee, receiver=outsider, message="Kudos from the shy one.")
    client.force_login(outsider)

    page = client.get(URL).content.decode()

    assert "Kudos for the shy one." not in page
    assert "Quiet achiever" not in page
    assert "Kudos from the shy one." in page
    assert "From A colleague" in page
    assert "Team Member" not in page


def test_the_wall_shows_at_most_fifty(employee):
    KudosFactory.create_batch(30, receiver=employee)
    BadgeAwardFactory.create_batch(30, user=employee)

    assert len(wall()) == 50


def test_the_message_is_escaped(client, employee):
    KudosFactory(receiver=employee, message="<script>alert(1)</script> fixed the guard.")
    client.force_login(employee)

    page = client.get(URL).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; fixed the guard." in page
    assert "<script>alert(1)" not in page


def test_hr_gets_a_hide_button_on_the_wall_and_others_do_not(client, employee, hr):
    KudosFactory(receiver=employee)
    client.force_login(employee)
    assert "Hide from the wall" not in client.get(URL).content.decode()

    client.force_login(hr)
    assert "Hide from the wall" in client.get(URL).content.decode()


# Session, user, the header's unread counts, whether a manager, the viewer's permissions (two),
# the kudos and the badge awards.
PAGE_QUERIES = 8


@pytest.mark.parametrize("opted_out", [False, True])
def test_the_wall_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, employee, opted_out
):
    people = UserFactory.create_batch(3)
    for person in people:
        KudosFactory(receiver=person, sender=employee)
        BadgeAwardFactory(user=person)
    client.force_login(employee)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200

    for person in UserFactory.create_batch(20):
        KudosFactory.create_batch(2, receiver=person, sender=people[0])
        BadgeAwardFactory.create_batch(2, user=person)
        if opted_out:
            RecognitionPreference.objects.create(user=person, show_on_wall=False)

    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200
