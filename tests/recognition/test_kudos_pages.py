"""The kudos pages: choosing a colleague and sending, one's own kudos, a team's, and HR hiding
kudos from the wall."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import Notification
from recognition.models import Kudos, PointsEntry
from tests.factories import DepartmentFactory, UserFactory
from tests.recognition.factories import KudosFactory

SEND = reverse("send_kudos")
MINE = reverse("my_kudos")
TEAM = reverse("team_kudos")
MESSAGE = "Reported the blocked fire exit and stayed until it was cleared."


def _hide(pk):
    return reverse("kudos_hide", args=[pk])


# --- Choosing a colleague and sending


def test_the_search_lists_matching_colleagues_on_the_roster_but_not_oneself(client, employee):
    UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    UserFactory(first_name="Adam", last_name="Left", is_active=False)
    UserFactory(first_name="Adamant", last_name="Contractor", employee_id=None)
    client.force_login(employee)

    response = client.get(SEND, {"q": "ada"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Send kudos to Ada Lovelace" in page
    assert "Adam Left" not in page
    assert "Adamant" not in page
    assert client.get(SEND, {"q": "team member"}).content.decode().count("Send kudos to") == 0


def test_the_search_lists_at_most_twenty(client, employee):
    UserFactory.create_batch(25, last_name="Smith")
    client.force_login(employee)

    page = client.get(SEND, {"q": "smith"}).content.decode()

    assert page.count("Send kudos to") == 20
    assert "Only the first 20 are listed" in page


def test_choosing_a_colleague_shows_the_form_for_them(client, employee, outsider):
    client.force_login(outsider)

    response = client.get(SEND, {"to": employee.pk})

    page = response.content.decode()
    assert "Kudos for Team Member (Operations)" in page
    assert f'name="to" value="{employee.pk}"' in page
    assert 'type="radio" name="value" value="safety"' in page


@pytest.mark.parametrize("to", ["oneself", "nobody", "not-a-number"])
def test_choosing_someone_one_cannot_thank_gets_400_with_a_message(client, outsider, to):
    client.force_login(outsider)
    to = {"oneself": outsider.pk, "nobody": 999_999, "not-a-number": "x"}[to]

    response = client.get(SEND, {"to": to})

    assert response.status_code == 400
    assert "Choose a colleague from the list" in response.content.decode()


def test_sending_kudos_pays_and_tells_then_goes_to_my_kudos(client, employee, manager, outsider):
    client.force_login(outsider)

    response = client.post(
        SEND, {"to": employee.pk, "value": "safety", "message": MESSAGE}, follow=True
    )

    assert response.redirect_chain == [(MINE, 302)]
    assert "Your kudos are on their way to Team Member." in response.content.decode()
    kudos = Kudos.objects.get()
    assert (kudos.sender, kudos.receiver, kudos.message) == (outsider, employee, MESSAGE)
    assert PointsEntry.objects.get(user=employee).points == 5
    assert Notification.objects.filter(user__in=[employee, manager], kind="kudos").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "safety", "message": "Thanks!"}, "at least 10 characters"),
        ({"value": "charm", "message": MESSAGE}, "Choose one of the values listed."),
        ({"message": MESSAGE}, "Choose the value their contribution stands for."),
        ({"value": "safety", "message": "x" * 501}, "Keep the message to 500 characters"),
    ],
)
def test_bad_input_gets_400_with_the_message_and_nothing_is_sent(
    client, employee, outsider, data, message
):
    client.force_login(outsider)

    response = client.post(SEND, {"to": employee.pk, **data})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Nothing was changed." in page
    assert "Kudos for Team Member" in page  # the form stays, with what was typed
    assert not Kudos.objects.exists()
    assert not PointsEntry.objects.exists()


def test_posting_kudos_to_oneself_gets_400_with_the_message(client, outsider):
    client.force_login(outsider)

    response = client.post(SEND, {"to": outsider.pk, "value": "safety", "message": MESSAGE})

    assert response.status_code == 400
    assert "you cannot send them to yourself" in response.content.decode()
    assert not Kudos.objects.exists()


def test_posting_kudos_without_a_colleague_gets_400(client, outsider):
    client.force_login(outsider)

    response = client.post(SEND, {"value": "safety", "message": MESSAGE})

    assert response.status_code == 400
    assert "Choose a colleague from the list" in response.content.decode()
    assert not Kudos.objects.exists()


def test_a_second_kudos_the_same_day_gets_400_naming_the_limit(client, employee, outsider):
    client.force_login(outsider)
    data = {"to": employee.pk, "value": "safety", "message": MESSAGE}
    client.post(SEND, data)

    response = client.post(SEND, data)

    assert response.status_code == 400
    assert "one a day to the same colleague" in response.content.decode()
    assert Kudos.objects.count() == 1


def test_the_weekly_limit_gets_400_saying_when_it_resets(client, settings, employee, outsider):
    settings.LMS_KUDOS_SENT_PER_WEEK = 1
    KudosFactory(sender=outsider)
    client.force_login(outsider)

    response = client.post(SEND, {"to": employee.pk, "value": "safety", "message": MESSAGE})

    assert response.status_code == 400
    page = response.content.decode()
    assert "the most anyone may send in a week (1)" in page
    assert "you can send more from Monday" in page


# --- My kudos


def test_my_kudos_lists_those_received_and_sent_newest_first_escaped(client, employee, outsider):
    KudosFactory(sender=outsider, receiver=employee, message="First <b>bold</b> one, thanks.")
    KudosFactory(sender=employee, receiver=outsider, message="Second, the reply to it.")
    KudosFactory(sender=outsider, receiver=UserFactory(), message="Not about me at all.")
    client.force_login(employee)

    page = client.get(MINE).content.decode()

    assert "You received 1 kudos and sent 1." in page
    assert page.index("Second, the reply") < page.index("First &lt;b&gt;bold&lt;/b&gt; one")
    assert "<b>bold</b>" not in page
    assert "Not about me" not in page
    assert f"From {outsider.get_full_name()}" in page
    assert f"To {outsider.get_full_name()}" in page


def test_my_kudos_are_paginated(client, employee):
    for sender in UserFactory.create_batch(27):
        KudosFactory(sender=sender, receiver=employee)
    client.force_login(employee)

    first = client.get(MINE).content.decode()
    second = client.get(MINE, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert first.count("<time") == 25
    assert second.count("<time") == 2


# --- Team kudos


def test_a_manager_sees_kudos_received_by_the_people_below_them(
    client, employee, manager, outsider
):
    below_employee = UserFactory(manager=employee, first_name="Indirect", last_name="Report")
    KudosFactory(sender=outsider, receiver=employee, message="Kudos for my direct report.")
    KudosFactory(sender=outsider, receiver=below_employee, message="Kudos two levels down.")
    KudosFactory(sender=employee, receiver=outsider, message="Kudos my report sent out.")
    client.force_login(manager)

    page = client.get(TEAM).content.decode()

    assert "Kudos for my direct report." in page
    assert "Kudos two levels down." in page
    assert "Kudos my report sent out." not in page
    assert "Hide from the wall" not in page


def test_another_manager_does_not_see_kudos_of_someone_outside_their_team(
    client, employee, other_manager, outsider
):
    their_report = other_manager.reports.get()
    KudosFactory(sender=outsider, receiver=employee, message="Kudos in the other team.")
    KudosFactory(sender=outsider, receiver=their_report, message="Kudos in my own team.")
    client.force_login(other_manager)

    page = client.get(TEAM).content.decode()

    assert "Kudos in my own team." in page
    assert "Kudos in the other team." not in page


def test_someone_without_reports_gets_403_on_team_kudos(client, employee):
    client.force_login(employee)

    assert client.get(TEAM).status_code == 403


def test_hr_sees_everyones_kudos_and_filters_by_department(client, employee, other_manager, hr):
    night_shift = DepartmentFactory(name="Night shift", parent=employee.department)
    night_worker = UserFactory(department=night_shift)
    KudosFactory(receiver=employee, message="Kudos in Operations.")
    KudosFactory(receiver=night_worker, message="Kudos in the night shift.")
    KudosFactory(receiver=other_manager, message="Kudos in Quality.")
    client.force_login(hr)

    everyone = client.get(TEAM).content.decode()
    operations = client.get(TEAM, {"department": employee.department.pk}).content.decode()

    assert "Kudos across the organisation" in everyone
    assert all(text in everyone for text in ("Operations.", "night shift.", "Quality."))
    assert "Kudos in Operations." in operations
    assert "Kudos in the night shift." in operations
    assert "Kudos in Quality." not in operations
    assert "Hide from the wall" in operations


def test_an_unknown_department_gets_400(client, hr):
    client.force_login(hr)

    response = client.get(TEAM, {"department": 999_999})

    assert response.status_code == 400
    assert "Choose one of the departments listed." in response.content.decode()


# --- Hiding


def test_hr_hides_kudos_with_a_reason_and_returns_to_where_they_were(client, employee, hr):
    kudos = KudosFactory(receiver=employee)
    client.force_login(hr)

    response = client.post(
        _hide(kudos.pk), {"reason": "Names a customer.", "next": "/recognition/wall/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/recognition/wall/"
    kudos.refresh_from_db()
    assert (kudos.hidden_by, kudos.hidden_at is not None) == (hr, True)


def test_hiding_goes_nowhere_outside_the_site(client, employee, hr):
    kudos = KudosFactory(receiver=employee)
    client.force_login(hr)

    response = client.post(
        _hide(kudos.pk), {"reason": "Names a customer.", "next": "https://evil.example/"}
    )

    assert response["Location"] == TEAM


def test_hiding_without_a_reason_gets_400_and_hides_nothing(client, employee, hr):
    kudos = KudosFactory(receiver=employee)
    client.force_login(hr)

    response = client.post(_hide(kudos.pk), {"reason": "  "})

    assert response.status_code == 400
    assert "Say why the kudos are hidden from the wall." in response.content.decode()
    kudos.refresh_from_db()
    assert kudos.hidden_at is None


def test_only_hr_may_hide_kudos_even_their_own_teams(client, employee, manager):
    kudos = KudosFactory(receiver=employee)
    client.force_login(manager)

    response = client.post(_hide(kudos.pk), {"reason": "I would rather not."})

    assert response.status_code == 403
    kudos.refresh_from_db()
    assert kudos.hidden_at is None


def test_hiding_kudos_that_do_not_exist_gets_404(client, hr):
    client.force_login(hr)

    assert client.post(_hide(999_999), {"reason": "Gone."}).status_code == 404


# --- Fixed queries


def _kudos_between(people, *, each):
    for sender in people:
        for receiver in people:
            if sender != receiver:
                KudosFactory.create_batch(each, sender=sender, receiver=receiver)


@pytest.mark.parametrize(
    ("viewer_name", "url", "queries"),
    [
        # Session, user, the header, the two counts and the page of kudos, the number sent
        # this week.
        ("employee", MINE, 10),
        # Session, user, the header, the scope (a manager: the people below, level by level),
        # the departments offered, the count and the page of kudos.
        ("manager", TEAM, 11),
        ("hr", TEAM, 9),
    ],
)
def test_the_kudos_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, personas, viewer_name, url, queries
):
    viewer = personas[viewer_name]
    manager = personas["manager"]
    people = [personas["employee"], UserFactory(manager=manager), personas["outsider"]]
    _kudos_between([*people, viewer] if viewer not in people else people, each=1)
    client.force_login(viewer)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200

    _kudos_between([*people, UserFactory(manager=manager), viewer], each=4)
    Kudos.objects.filter(pk__in=Kudos.objects.values("pk")[:3]).update(hidden_at=timezone.now())

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
