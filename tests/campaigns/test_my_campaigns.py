"""My campaigns: the person's own campaigns from their deliveries, not opened first, then those
to acknowledge, then the rest; and the count of unopened ones in the header."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.selectors.reading import (
    READ,
    TO_ACKNOWLEDGE,
    UNREAD,
    campaigns_of,
    unread_campaigns_count,
)
from campaigns.services.reading import acknowledge
from campaigns.views.reading import PER_PAGE
from tests.campaigns.factories import deliver, make_campaign, publish_change


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _titles(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def for_operations(operations):
    def make(title, **fields):
        return make_campaign(title=title, audience_departments=[operations], **fields)

    return make


class TestTheList:
    def test_unread_come_first_then_those_to_acknowledge_then_the_rest(
        self, client, employee, for_operations
    ):
        read_long_ago = for_operations("Read long ago")
        to_acknowledge = for_operations("To acknowledge", needs_acknowledgement=True)
        acknowledged = for_operations("Acknowledged", needs_acknowledgement=True)
        unread_old = for_operations("Unread, older")
        unread_new = for_operations("Unread, newer")
        deliver(read_long_ago, employee, at=_ago(30), opened_at=_ago(29))
        deliver(to_acknowledge, employee, at=_ago(20), opened_at=_ago(19))
        deliver(acknowledged, employee, at=_ago(2), opened_at=_ago(1))
        acknowledge(campaign=acknowledged, user=employee)
        deliver(unread_old, employee, at=_ago(10))
        deliver(unread_new, employee, at=_ago(1))

        client.force_login(employee)
        response = client.get(reverse("my_campaigns"))
        assert _titles(response) == [
            "Unread, newer",
            "Unread, older",
            "To acknowledge",
            "Acknowledged",
            "Read long ago",
        ]
        standings = [row.standing for row in campaigns_of(user=employee)]
        assert standings == [UNREAD, UNREAD, TO_ACKNOWLEDGE, READ, READ]
        text = re.sub(r"\s+", " ", response.content.decode())
        assert text.count("Not opened yet") == 2
        assert text.count('<span class="tag tag--done">Acknowledged</span>') == 1

    def test_a_campaign_asked_about_twice_is_one_row_showing_the_latest_question(
        self, client, employee, for_operations
    ):
        policy = for_operations("Policy", needs_acknowledgement=True)
        deliver(policy, employee, at=_ago(20), opened_at=_ago(19))
        acknowledge(campaign=policy, user=employee)
        publish_change(policy, material=True, change_summary="New rule.")
        deliver(policy, employee, at=_ago(1), opened_at=_ago(1))
        (row,) = campaigns_of(user=employee)
        assert row.standing == TO_ACKNOWLEDGE and not row.is_acknowledged

    def test_only_the_persons_own_live_campaigns_are_listed(
        self, client, employee, manager, for_operations
    ):
        mine = for_operations("Mine")
        theirs = for_operations("Theirs")
        withdrawn = for_operations("Withdrawn")
        deliver(mine, employee)
        deliver(theirs, manager)
        deliver(withdrawn, employee)
        withdrawn.unpublish()
        client.force_login(employee)
        assert _titles(client.get(reverse("my_campaigns"))) == ["Mine"]

    def test_someone_sent_nothing_is_told_so(self, client, outsider):
        client.force_login(outsider)
        response = client.get(reverse("my_campaigns"))
        assert response.status_code == 200
        assert "No campaign has been sent to you yet." in response.content.decode()

    def test_it_is_paginated(self, client, employee, for_operations):
        for number in range(PER_PAGE + 1):
            deliver(for_operations(f"Campaign number {number}"), employee, at=_ago(number))
        client.force_login(employee)
        assert len(_titles(client.get(reverse("my_campaigns")))) == PER_PAGE
        second = client.get(reverse("my_campaigns"), {"page": 2})
        assert _titles(second) == [f"Campaign number {PER_PAGE}"]

    def test_its_queries_do_not_grow_with_the_number_of_campaigns(
        self, client, employee, for_operations, django_assert_max_num_queries
    ):
        def campaigns(n, start):
            for number in range(start, start + n):
                campaign = for_operations(f"Campaign {number}", needs_acknowledgement=True)
                deliver(campaign, employee, opened_at=_ago(1) if number % 2 else None)
                if number % 3 == 0:
                    acknowledge(campaign=campaign, user=employee)

        campaigns(2, 0)
        client.force_login(employee)
        client.get(reverse("my_campaigns"))
        with django_assert_max_num_queries(20) as small:
            client.get(reverse("my_campaigns"))
        campaigns(12, 2)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(reverse("my_campaigns"))
        assert len(_titles(response)) == 14


class TestTheHeaderCount:
    def test_every_signed_in_person_has_the_campaigns_link(self, client, outsider):
        client.force_login(outsider)
        links = client.get(reverse("my_learning")).context["nav_links"]
        assert ("campaigns", "Campaigns", reverse("my_campaigns")) in links

    def test_it_counts_the_campaigns_not_opened_and_goes_down_once_one_is_opened(
        self, client, employee, for_operations
    ):
        first, second = for_operations("First"), for_operations("Second")
        deliver(first, employee)
        deliver(second, employee)
        client.force_login(employee)
        response = client.get(reverse("my_learning"))
        assert response.context["campaigns_unread"] == 2
        assert (
            'aria-label="Campaigns, 2 not opened">Campaigns <span class="nav-count">2</span>'
            in (response.content.decode())
        )
        client.get(first.url)
        assert client.get(reverse("my_learning")).context["campaigns_unread"] == 1

    def test_a_campaign_asked_about_twice_counts_once(self, employee, for_operations):
        policy = for_operations("Policy", needs_acknowledgement=True)
        deliver(policy, employee)
        publish_change(policy, material=True)
        deliver(policy, employee)
        assert unread_campaigns_count(user=employee) == 1

    def test_nothing_is_shown_when_all_are_opened(self, client, employee, for_operations):
        deliver(for_operations("Opened"), employee, opened_at=_ago(1))
        client.force_login(employee)
        response = client.get(reverse("my_learning"))
        assert response.context["campaigns_unread"] == 0
        assert "not opened" not in response.content.decode()

    def test_it_costs_one_query(self, employee, for_operations, django_assert_num_queries):
        for number in range(5):
            deliver(for_operations(f"Campaign {number}"), employee)
        with django_assert_num_queries(1):
            assert unread_campaigns_count(user=employee) == 5
