"""In-app notifications: the list, marking them read, and the unread count in the header."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import Notification


def _note(person, message, *, read=False, minutes_ago=0):
    created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=person,
        kind=Notification.Kind.OVERDUE,
        message=message,
        url="/learning/",
        created_at=created,
        read_at=created if read else None,
    )


def test_the_list_shows_unread_notifications_first_then_the_newest(client, employee):
    _note(employee, "Old and read", read=True, minutes_ago=5)
    _note(employee, "Older unread", minutes_ago=30)
    _note(employee, "Newest read", read=True, minutes_ago=1)
    _note(employee, "Newer unread", minutes_ago=10)
    client.force_login(employee)

    response = client.get(reverse("notifications"))

    messages = [n.message for n in response.context["notifications"]]
    assert messages == ["Newer unread", "Older unread", "Newest read", "Old and read"]
    assert response.content.decode().count("Unread</span>") == 2


def test_a_person_sees_only_their_own_notifications(client, employee, manager):
    _note(manager, "For the manager")
    client.force_login(employee)

    page = client.get(reverse("notifications")).content.decode()

    assert "For the manager" not in page
    assert "You have no notifications." in page


def test_mark_all_as_read_marks_only_mine(client, employee, manager):
    mine = [_note(employee, "One"), _note(employee, "Two")]
    theirs = _note(manager, "Not mine")
    client.force_login(employee)

    response = client.post(reverse("notifications"), follow=True)

    assert "Marked 2 notifications as read." in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert "Mark all as read" not in response.content.decode()


def test_marking_with_nothing_unread_says_so_and_changes_nothing(client, employee):
    note = _note(employee, "Seen", read=True)
    client.force_login(employee)

    response = client.post(reverse("notifications"), follow=True)

    assert "There was nothing unread." in response.content.decode()
    assert Notification.objects.get(pk=note.pk).read_at == note.read_at


def test_the_header_shows_the_unread_count_with_an_accessible_label(client, employee):
    for number in range(3):
        _note(employee, f"Note {number}")
    _note(employee, "Seen", read=True)
    client.force_login(employee)

    page = client.get(reverse("my_learning")).content.decode()

    assert (
        'aria-label="Notifications, 3 unread">Notifications <span class="nav-count">3</span></a>'
    ) in page


def test_the_header_shows_no_count_when_everything_is_read(client, employee):
    _note(employee, "Seen", read=True)
    client.force_login(employee)

    page = client.get(reverse("my_learning")).content.decode()

    assert '/learning/notifications/">Notifications</a>' in page
    assert "nav-count" not in page


def test_strangers_are_sent_to_the_login_page(client, db):
    for response in (client.get(reverse("notifications")), client.post(reverse("notifications"))):
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("size", [5, 150])
def test_the_list_costs_the_same_queries_whatever_the_number(
    client, employee, size, django_assert_max_num_queries
):
    Notification.objects.bulk_create(
        Notification(user=employee, kind=Notification.Kind.DUE_SOON, message=f"Note {n}")
        for n in range(size)
    )
    client.force_login(employee)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("notifications"))

    assert len(response.context["notifications"]) == min(size, 100)
