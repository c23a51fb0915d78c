"""Closing an appraisal period freezes its summaries: refused before the end, twice, or by anyone
but HR, with nothing written; afterwards the frozen figures never change, and a correction made
later counts in the period it was made in."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from recognition.models import AppendOnly, AppraisalPeriod, AppraisalSummary, PointsEntry
from recognition.selectors.appraisals import figures_for, summary_of
from recognition.services.appraisals import close_period
from recognition.services.ledger import correct_entry
from tests.factories import UserFactory
from tests.recognition.factories import AppraisalPeriodFactory
from tests.recognition.test_appraisal_figures import local, march, points

AFTER_MARCH = datetime.date(2025, 4, 1)


def test_closing_freezes_a_summary_for_everyone_on_the_roster(personas, hr):
    period = march()
    points(personas["employee"], 9, at=local(datetime.datetime(2025, 3, 5)), by=hr)

    written = close_period(period=period, by=hr, today=AFTER_MARCH)

    period.refresh_from_db()
    assert period.is_closed
    assert period.closed_by == hr
    # The personas and the other manager's report, every one with an employee id.
    assert written == AppraisalSummary.objects.filter(period=period).count() == 7
    frozen = AppraisalSummary.objects.get(period=period, user=personas["employee"])
    assert frozen.figures["points_total"] == 9
    assert frozen.frozen_at == period.closed_at


def test_the_roster_leaves_out_people_without_an_employee_id_unless_they_earned_points(hr):
    service_account = UserFactory(employee_id=None)
    leaver = UserFactory(is_active=False)
    earner = UserFactory(employee_id=None)
    period = march()
    points(earner, 2, at=local(datetime.datetime(2025, 3, 2)), by=hr)

    close_period(period=period, by=hr, today=AFTER_MARCH)

    frozen = set(AppraisalSummary.objects.filter(period=period).values_list("user_id", flat=True))
    assert earner.pk in frozen
    assert hr.pk in frozen
    assert service_account.pk not in frozen
    assert leaver.pk not in frozen


@pytest.mark.parametrize("today", [datetime.date(2025, 3, 31), datetime.date(2025, 3, 15)])
def test_closing_before_the_period_has_ended_is_refused_and_writes_nothing(hr, today):
    period = march()

    with pytest.raises(ValidationError, match="runs until 31 March 2025.*from 1 April 2025"):
        close_period(period=period, by=hr, today=today)

    period.refresh_from_db()
    assert not period.is_closed
    assert not AppraisalSummary.objects.exists()


def test_closing_twice_is_refused_and_changes_nothing(employee, hr):
    period = march()
    close_period(period=period, by=hr, today=AFTER_MARCH)
    closed_at = AppraisalPeriod.objects.get(pk=period.pk).closed_at
    count = AppraisalSummary.objects.count()

    with pytest.raises(ValidationError, match="already closed"):
        close_period(period=period, by=hr, today=AFTER_MARCH)

    assert AppraisalSummary.objects.count() == count
    assert AppraisalPeriod.objects.get(pk=period.pk).closed_at == closed_at


@pytest.mark.parametrize("persona", ["employee", "manager", "comms", "outsider"])
def test_only_hr_can_close_a_period(personas, persona):
    period = march()

    with pytest.raises(PermissionDenied):
        close_period(period=period, by=personas[persona], today=AFTER_MARCH)

    period.refresh_from_db()
    assert not period.is_closed
    assert not AppraisalSummary.objects.exists()


def test_a_frozen_summary_cannot_be_changed(employee, hr):
    period = march()
    close_period(period=period, by=hr, today=AFTER_MARCH)
    frozen = AppraisalSummary.objects.get(period=period, user=employee)

    frozen.figures = {**frozen.figures, "points_total": 1000}
    with pytest.raises(AppendOnly):
        frozen.save()

    frozen.refresh_from_db()
    assert frozen.figures["points_total"] == 0


def test_a_correction_after_the_close_leaves_the_frozen_figures_and_counts_in_the_next_period(
    employee, hr
):
    # Periods around today, so the correction (dated now) falls in the second.
    today = timezone.localdate()
    first = AppraisalPeriodFactory(
        name="Before",
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today - datetime.timedelta(days=10),
    )
    second = AppraisalPeriodFactory(
        name="Now", starts_on=today - datetime.timedelta(days=9), ends_on=today
    )
    entry = points(employee, 20, at=timezone.now() - datetime.timedelta(days=20), by=hr)
    close_period(period=first, by=hr)
    frozen_before = AppraisalSummary.objects.get(period=first, user=employee).figures

    correct_entry(entry=entry, points=-15, reason="Counted the audit twice", by=hr)

    first.refresh_from_db()
    frozen_after = AppraisalSummary.objects.get(period=first, user=employee).figures
    assert frozen_after == frozen_before
    assert frozen_after["points_total"] == 20
    assert summary_of(period=first, person=employee).figures["points_total"] == 20
    # The correction is dated when it was made: even counted afresh, not in the first period.
    assert figures_for(period=first, user_ids=[employee.pk])[employee.pk]["points_total"] == 20
    assert summary_of(period=second, person=employee).figures["points_total"] == -15
    assert PointsEntry.objects.filter(user=employee).count() == 2


def test_a_closed_period_reads_only_its_frozen_summaries(employee, hr):
    period = march()
    close_period(period=period, by=hr, today=AFTER_MARCH)
    period.refresh_from_db()
    # Backdated after the close (the ledger allows a rule to date an event): still not counted.
    points(employee, 50, at=local(datetime.datetime(2025, 3, 10)), by=hr)

    assert summary_of(period=period, person=employee).figures["points_total"] == 0
    latecomer = UserFactory()
    assert summary_of(period=period, person=latecomer) is None
