"""Rows for the appraisals URLs.

Everyone signed in sees the list of periods (their own summary is linked from it). A period's
summaries are for HR (everyone) and managers (the people below them); the employee's summary for
the employee, their manager and HR, and 403 for another team's manager. Closing is HR's alone:
the period in these rows has ended, so HR's close succeeds and redirects; a GET of it is 405.
"""

import datetime

from django.utils import timezone

from tests.permission_rows import signed_in
from tests.recognition.factories import AppraisalPeriodFactory


def _period(p):
    return [p["appraisal_period"].pk]


def _employee_summary(p):
    return [p["appraisal_period"].pk, p["employee"].pk]


def _csv(p):
    return [p["appraisal_period"].pk, "csv"]


HR_AND_MANAGERS = signed_in(403, manager=200, other_manager=200, hr=200)

MATRIX = {
    "appraisal_periods": (None, signed_in(200)),
    "appraisal_period": (_period, HR_AND_MANAGERS),
    "appraisal_summary": (_employee_summary, signed_in(403, employee=200, manager=200, hr=200)),
    "appraisal_close": (_period, signed_in(405)),
    "appraisal_export": (_csv, HR_AND_MANAGERS),
}

POST_MATRIX = {
    "appraisal_close": (_period, signed_in(403, hr=302)),
}


def things(personas):
    today = timezone.localdate()
    return {
        "appraisal_period": AppraisalPeriodFactory(
            name="First half",
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today - datetime.timedelta(days=30),
        )
    }
