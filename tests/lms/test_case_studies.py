"""Case studies: before/after metrics said in words, the index, and which ones a learner sees."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.models import Assignment, CaseStudyMetric
from lms.selectors.content import case_studies_for
from tests.factories import DepartmentFactory, UserFactory
from tests.lms.factories_training import (
    make_case_study,
    make_case_study_index,
    make_clause,
    make_module,
    make_standard,
)


def metric(before, after, higher_is_better=False):
    return CaseStudyMetric(
        name="m", before=Decimal(before), after=Decimal(after), higher_is_better=higher_is_better
    )


@pytest.mark.parametrize(
    ("before", "after", "higher", "words", "direction"),
    [
        ("4.8", "2.4", False, "50.0% better", "better"),
        ("4.8", "6.0", False, "25.0% worse", "worse"),
        ("91", "97", True, "6.6% better", "better"),
        ("97", "91", True, "6.2% worse", "worse"),
        ("10", "10", False, "No change", "same"),
        ("1000", "1000.4", False, "No change", "same"),
        ("0", "3", True, "Better", "better"),
        ("0", "3", False, "Worse", "worse"),
    ],
)
def test_the_change_is_said_in_words_not_only_in_colour(before, after, higher, words, direction):
    m = metric(before, after, higher)
    assert m.improvement_in_words == words
    assert m.direction == direction


def test_numbers_are_shown_without_trailing_zeros():
    m = metric("4.80", "1200.00")
    assert (m.before_text, m.after_text) == ("4.8", "1,200")


@pytest.mark.django_db
class TestCaseStudyPage:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        study = make_case_study()
        response = client.get(study.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_it_shows_a_metrics_table_with_before_after_unit_and_change(self, client, employee):
        study = make_case_study(
            title="Less scrap on Line 2",
            department=employee.department,
            standard=make_standard(name="ISO 9001:2015"),
            metrics=[
                ("Scrap rate", "4.80", "2.40", "%", False),
                ("First-pass yield", "97", "91", "%", True),
            ],
        )
        client.force_login(employee)
        html = client.get(study.url).content.decode()
        assert "<h1" in html and "Less scrap on Line 2" in html
        assert '<th scope="col">Before</th>' in html
        row = html[html.index("Scrap rate") :][:400]
        assert "<td>4.8</td>" in row
        assert "<td>2.4</td>" in row
        assert "<td>%</td>" in row
        assert "50.0% better" in row
        assert "6.2% worse" in html
        assert "ISO 9001:2015" in html


@pytest.mark.django_db
class TestCaseStudyIndex:
    def test_it_lists_live_case_studies_newest_first(self, client, employee):
        older = make_case_study(title="Older study")
        newer = make_case_study(title="Newer study")
        make_case_study(title="Draft study", live=False)
        client.force_login(employee)
        response = client.get(make_case_study_index().url)
        assert list(response.context["case_studies"]) == [newer, older]
        assert "Draft study" not in response.content.decode()

    def test_its_queries_are_fixed_whatever_the_number_of_case_studies(
        self, client, employee, django_assert_max_num_queries
    ):
        client.force_login(employee)
        standard = make_standard()
        url = make_case_study_index().url
        make_case_study(department=employee.department, standard=standard)
        client.get(url)
        with CaptureQueriesContext(connection) as baseline:
            client.get(url)
        for more in (2, 8):
            for _ in range(more):
                make_case_study(department=DepartmentFactory(), standard=standard)
            with django_assert_max_num_queries(len(baseline)):
                assert client.get(url).status_code == 200


@pytest.mark.django_db
class TestCaseStudiesFor:
    def test_the_learners_department_comes_first_then_its_parent_department(self, operations):
        line_2 = DepartmentFactory(name="Line 2", parent=operations)
        learner = UserFactory(department=line_2)
        elsewhere = make_case_study(title="Elsewhere", department=DepartmentFactory(name="Sales"))
        parent = make_case_study(title="Parent", department=operations)
        own = make_case_study(title="Own", department=line_2)
        assert case_studies_for(user=learner) == [own, parent, elsewhere]

    def test_then_those_on_a_standard_of_a_module_assigned_to_them(self, employee):
        safety = make_standard(name="ISO 45001:2018")
        module = make_module(clauses=[make_clause(standard=safety)])
        Assignment.objects.create(user=employee, module=module, due_on="2030-01-01")
        same_standard = make_case_study(title="Safety", standard=safety)
        newest_other = make_case_study(
            title="Quality", standard=make_standard(name="ISO 9001:2015")
        )
        own = make_case_study(title="Own", department=employee.department)
        assert case_studies_for(user=employee) == [own, same_standard, newest_other]

    def test_it_returns_at_most_the_limit_newest_first_and_only_live_ones(self, employee):
        studies = [make_case_study(title=f"Study {n}") for n in range(5)]
        make_case_study(title="Draft", department=employee.department, live=False)
        assert case_studies_for(user=employee, limit=3) == studies[::-1][:3]

    def test_it_runs_a_fixed_number_of_queries(self, employee, django_assert_max_num_queries):
        for n in range(6):
            make_case_study(department=employee.department if n % 2 else None)
        with django_assert_max_num_queries(2):
            assert len(case_studies_for(user=employee)) == 3
