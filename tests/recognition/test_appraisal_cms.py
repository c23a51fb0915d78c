"""Appraisal periods in the CMS: HR adds and edits them; a period must end on or after its start;
a closed period's dates are frozen with its summaries, and it cannot be deleted."""

import datetime

import pytest
from django.urls import reverse

from recognition.models import AppraisalPeriod, AppraisalSummary
from recognition.services.appraisals import close_period
from tests.factories import UserFactory
from tests.recognition.test_appraisal_figures import march

LIST_URL = reverse("wagtailsnippets_recognition_appraisalperiod:list")
ADD_URL = reverse("wagtailsnippets_recognition_appraisalperiod:add")


def _edit_url(period):
    return reverse("wagtailsnippets_recognition_appraisalperiod:edit", args=[period.pk])


def _delete_url(period):
    return reverse("wagtailsnippets_recognition_appraisalperiod:delete", args=[period.pk])


def _closed(hr):
    period = march()
    close_period(period=period, by=hr, today=datetime.date(2025, 4, 1))
    period.refresh_from_db()
    return period


def test_hr_adds_a_period(client, hr):
    client.force_login(hr)

    response = client.post(
        ADD_URL, {"name": "First half 2025", "starts_on": "2025-01-01", "ends_on": "2025-06-30"}
    )

    assert response.status_code == 302
    period = AppraisalPeriod.objects.get(name="First half 2025")
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 6, 30),
    )
    assert not period.is_closed


def test_a_period_ending_before_it_starts_is_refused_with_a_message(client, hr):
    client.force_login(hr)

    response = client.post(
        ADD_URL, {"name": "Backwards", "starts_on": "2025-06-30", "ends_on": "2025-01-01"}
    )

    assert response.status_code == 200
    assert "The period must end on or after the day it starts." in response.content.decode()
    assert not AppraisalPeriod.objects.filter(name="Backwards").exists()


def test_the_list_says_which_periods_are_closed(client, hr):
    _closed(hr)
    client.force_login(hr)

    html = client.get(LIST_URL).content.decode()

    assert "March 2025" in html
    assert "Closed on" in html


def test_the_dates_of_a_closed_period_cannot_change(client, hr):
    period = _closed(hr)
    client.force_login(hr)

    response = client.post(
        _edit_url(period),
        {"name": "March 2025", "starts_on": "2025-03-01", "ends_on": "2025-04-30"},
    )

    assert response.status_code == 200
    assert "its dates cannot change" in response.content.decode()
    period.refresh_from_db()
    assert period.ends_on == datetime.date(2025, 3, 31)


def test_a_closed_period_can_still_be_renamed(client, hr):
    period = _closed(hr)
    client.force_login(hr)

    response = client.post(
        _edit_url(period),
        {"name": "March 2025 (Q1 review)", "starts_on": "2025-03-01", "ends_on": "2025-03-31"},
    )

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.name == "March 2025 (Q1 review)"
    assert period.is_closed


def test_an_open_periods_dates_can_change(client, hr):
    period = march()
    client.force_login(hr)

    response = client.post(
        _edit_url(period),
        {"name": "March 2025", "starts_on": "2025-03-01", "ends_on": "2025-04-15"},
    )

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.ends_on == datetime.date(2025, 4, 15)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_closed_period_cannot_be_deleted_even_by_an_administrator(client, hr, method):
    period = _closed(hr)
    summaries = AppraisalSummary.objects.count()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = getattr(client, method)(_delete_url(period), follow=True)

    assert "a closed period keeps its frozen summaries for good" in response.content.decode()
    assert AppraisalPeriod.objects.filter(pk=period.pk).exists()
    assert AppraisalSummary.objects.count() == summaries


def test_an_open_period_can_be_deleted_by_an_administrator(client, db):
    period = march()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(_delete_url(period))

    assert response.status_code == 302
    assert not AppraisalPeriod.objects.filter(pk=period.pk).exists()


def test_hr_cannot_delete_periods(client, hr):
    period = march()
    client.force_login(hr)

    client.post(_delete_url(period))

    assert AppraisalPeriod.objects.filter(pk=period.pk).exists()
