"""Certificates of completion: issued once with a readable code, valid for as long as the module
or its competences say, revoked by HR, printed as a PDF, and checked publicly at /verify/."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lms.models import Certificate
from lms.models.content import add_months
from lms.services import certificates
from lms.services.certificates import (
    CODE_ALPHABET,
    certificate_status,
    format_code,
    issue_certificate,
    issue_missing_certificates,
    latin1,
    render_certificate_pdf,
    revoke_certificate,
    valid_until_for,
)
from lms.services.progress import complete_module
from tests.factories import UserFactory
from tests.lms.factories_training import (
    make_clause,
    make_competence,
    make_completion,
    make_module,
    make_standard,
)

pytestmark = pytest.mark.django_db

CODE_PATTERN = re.compile(r"^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$")


@pytest.fixture
def module():
    clause = make_clause(standard=make_standard(name="ISO 14001:2015"), number="8.2")
    return make_module(title="Spill response", clauses=[clause], refresher_months=12)


@pytest.fixture
def completion(employee, module):
    return make_completion(user=employee, module=module)


@pytest.fixture
def certificate(completion):
    return issue_certificate(completion=completion)


def verify_url(code: str) -> str:
    return reverse("verify_certificate", args=[code])


class TestIssuing:
    def test_completing_a_module_issues_its_certificate_once(
        self, employee, module, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            completion = complete_module(user=employee, module=module)
        certificate = Certificate.objects.get(completion=completion)
        assert issue_certificate(completion=completion) == certificate
        assert Certificate.objects.count() == 1

    def test_the_code_has_sixteen_unambiguous_characters_shown_in_four_groups(self, certificate):
        assert len(certificate.code) == 16
        assert set(certificate.code) <= set(CODE_ALPHABET)
        assert not set("01OI") & set(CODE_ALPHABET)
        assert CODE_PATTERN.match(format_code(certificate.code))

    def test_codes_differ_between_certificates(self, employee):
        codes = {
            issue_certificate(completion=make_completion(user=employee, module=make_module())).code
            for _ in range(5)
        }
        assert len(codes) == 5

    def test_the_daily_sweep_issues_the_missing_ones_and_nothing_twice(self, employee, module):
        make_completion(user=employee, module=module)
        make_completion(user=employee, module=make_module())
        assert issue_missing_certificates() == 2
        assert issue_missing_certificates() == 0
        assert Certificate.objects.count() == 2

    def test_the_sweep_is_scheduled_daily(self, settings):
        tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        assert "lms.tasks.issue_missing_certificates" in tasks


class TestValidity:
    def test_a_refresher_interval_sets_it(self, completion):
        day = timezone.localdate(completion.completed_at)
        assert valid_until_for(completion=completion) == add_months(day, 12)

    def test_else_the_shortest_competence_validity(self, employee):
        module = make_module(
            competences=[
                make_competence(validity_months=36),
                make_competence(validity_months=24),
                make_competence(validity_months=None),
            ]
        )
        completion = make_completion(user=employee, module=module)
        day = timezone.localdate(completion.completed_at)
        assert issue_certificate(completion=completion).valid_until == add_months(day, 24)

    def test_else_it_never_expires(self, employee):
        module = make_module(competences=[make_competence(validity_months=None)])
        completion = make_completion(user=employee, module=module)
        assert issue_certificate(completion=completion).valid_until is None


class TestStatus:
    def test_valid_through_its_last_day_then_expired(self, certificate):
        last_day = certificate.valid_until
        assert certificate_status(certificate, today=last_day) == certificates.VALID
        next_day = last_day + datetime.timedelta(days=1)
        assert certificate_status(certificate, today=next_day) == certificates.EXPIRED

    def test_revoked_by_hr_with_a_reason(self, certificate, hr):
        revoked = revoke_certificate(
            certificate=certificate, by=hr, reason="Trained on the wrong site"
        )
        assert certificate_status(revoked) == certificates.REVOKED
        certificate.refresh_from_db()
        assert certificate.revoked_by == hr
        assert certificate.revoked_reason == "Trained on the wrong site"

    def test_a_reason_is_required(self, certificate, hr):
        with pytest.raises(ValueError, match="Say why"):
            revoke_certificate(certificate=certificate, by=hr, reason="  ")
        certificate.refresh_from_db()
        assert certificate.revoked_at is None

    def test_revoking_twice_says_it_was_revoked_already(self, certificate, hr):
        revoke_certificate(certificate=certificate, by=hr, reason="Wrong person")
        with pytest.raises(ValueError, match="already revoked on"):
            revoke_certificate(certificate=certificate, by=hr, reason="Again")

    @pytest.mark.parametrize("persona", ["employee", "manager", "comms"])
    def test_only_hr_may_revoke(self, certificate, persona, request):
        with pytest.raises(PermissionDenied):
            revoke_certificate(
                certificate=certificate, by=request.getfixturevalue(persona), reason="No"
            )
        certificate.refresh_from_db()
        assert certificate.revoked_at is None


class TestPdf:
    def test_it_is_a_pdf_with_the_name_module_clauses_revision_code_and_address(
        self, certificate, completion
    ):
        pdf = render_certificate_pdf(certificate=certificate, compress=False)
        assert pdf.startswith(b"%PDF")
        text = pdf.decode("latin-1")
        assert format_code(certificate.code) in text
        assert "Team Member" in text
        assert "Spill response" in text
        assert "ISO 14001:2015 8.2" in text
        assert f"revision {completion.revision_id} of" in text
        assert f"/verify/{format_code(certificate.code)}/" in text
        assert "Valid until" in text

    def test_names_outside_latin_1_never_break_it(self, module):
        person = UserFactory(first_name="Główny", last_name="Księgowy 🙂")
        completion = make_completion(user=person, module=module)
        pdf = render_certificate_pdf(
            certificate=issue_certificate(completion=completion), compress=False
        )
        assert pdf.startswith(b"%PDF")
        assert "Glówny Ksiegowy" in pdf.decode("latin-1")

    def test_latin1_keeps_what_it_can_and_drops_symbols(self):
        assert latin1("Zoë Łódź 🙂 “quoted” — 李") == 'Zoë Lódz "quoted" - ?'

    @override_settings(LMS_ORGANISATION_NAME="Acme Plant Two")
    def test_it_names_the_organisation(self, certificate):
        text = render_certificate_pdf(certificate=certificate, compress=False).decode("latin-1")
        assert "Acme Plant Two" in text

    def test_a_revoked_certificate_says_so(self, certificate, hr):
        revoke_certificate(certificate=certificate, by=hr, reason="Wrong person")
        certificate.refresh_from_db()
        text = render_certificate_pdf(certificate=certificate, compress=False).decode("latin-1")
        assert "Revoked on" in text


class TestDownload:
    @pytest.mark.parametrize("persona", ["employee", "manager", "hr"])
    def test_the_person_their_manager_and_hr_get_it(self, client, completion, persona, request):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(reverse("certificate_pdf", args=[completion.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    @pytest.mark.parametrize("persona", ["other_manager", "comms", "outsider"])
    def test_anyone_else_gets_a_404_and_nothing_is_issued(
        self, client, completion, persona, request
    ):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(reverse("certificate_pdf", args=[completion.pk]))
        assert response.status_code == 404
        assert not Certificate.objects.exists()

    def test_the_first_download_issues_it(self, client, employee, completion):
        client.force_login(employee)
        response = client.get(reverse("certificate_pdf", args=[completion.pk]))
        certificate = Certificate.objects.get(completion=completion)
        assert format_code(certificate.code) in response["Content-Disposition"]

    def test_my_learning_links_each_completion_to_its_certificate(
        self, client, employee, completion
    ):
        client.force_login(employee)
        html = client.get(reverse("my_learning")).content.decode()
        assert reverse("certificate_pdf", args=[completion.pk]) in html
        assert "Download certificate" in html


class TestVerify:
    def test_it_shows_only_name_module_date_validity_and_status(
        self, client, certificate, completion, employee
    ):
        response = client.get(verify_url(format_code(certificate.code)))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Team Member" in html
        assert "Spill response" in html
        assert timezone.localtime(completion.completed_at).strftime("%Y") in html
        assert "Valid until" in html
        assert "<dd>Valid</dd>" in html
        for private in (employee.email, "Operations", "ISO 14001", employee.employee_id):
            assert private not in html
        assert employee.email not in html

    def test_it_accepts_the_code_in_any_case_without_dashes(self, client, certificate):
        response = client.get(verify_url(certificate.code.lower()))
        assert response.status_code == 200
        assert "Spill response" in response.content.decode()

    def test_an_expired_certificate_says_since_when(self, client, certificate):
        certificate.valid_until = timezone.localdate() - datetime.timedelta(days=3)
        certificate.save()
        html = client.get(verify_url(certificate.code)).content.decode()
        expired = certificate.valid_until + datetime.timedelta(days=1)
        assert f"Expired on {expired.day} {expired:%B %Y}" in html

    def test_a_revoked_certificate_says_since_when_and_not_why(self, client, certificate, hr):
        revoke_certificate(certificate=certificate, by=hr, reason="Confidential matter")
        html = client.get(verify_url(certificate.code)).content.decode()
        today = timezone.localdate()
        assert f"Revoked on {today.day} {today:%B %Y}" in html
        assert "Confidential matter" not in html
        assert hr.email not in html

    @pytest.mark.parametrize("code", ["ABCD-EFGH-JKLM-NPQR", "not-a-code", "0000"])
    def test_an_unknown_code_gets_a_404_page_saying_so(self, client, certificate, code):
        response = client.get(verify_url(code))
        assert response.status_code == 404
        assert "is not known" in response.content.decode()

    def test_its_queries_are_fixed(self, client, employee, django_assert_num_queries):
        for competences in (0, 5):
            module = make_module(
                competences=[make_competence() for _ in range(competences)],
                clauses=[make_clause() for _ in range(competences)],
            )
            certificate = issue_certificate(
                completion=make_completion(user=employee, module=module)
            )
            with django_assert_num_queries(1):
                assert client.get(verify_url(certificate.code)).status_code == 200


class TestRevokeView:
    def test_hr_revokes_with_a_reason_and_returns_to_the_person(
        self, client, hr, certificate, completion, employee
    ):
        client.force_login(hr)
        response = client.post(
            reverse("revoke_certificate", args=[completion.pk]), {"reason": "Wrong person"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("person_detail", args=[employee.pk])
        certificate.refresh_from_db()
        assert certificate.revoked_reason == "Wrong person"

    def test_without_a_reason_nothing_changes_and_a_message_says_why(
        self, client, hr, certificate, completion
    ):
        client.force_login(hr)
        response = client.post(
            reverse("revoke_certificate", args=[completion.pk]), {"reason": ""}, follow=True
        )
        assert "Say why the certificate is revoked" in response.content.decode()
        certificate.refresh_from_db()
        assert certificate.revoked_at is None

    def test_the_person_page_offers_hr_the_form(
        self, client, hr, certificate, completion, employee
    ):
        client.force_login(hr)
        html = client.get(reverse("person_detail", args=[employee.pk])).content.decode()
        assert reverse("revoke_certificate", args=[completion.pk]) in html
        assert reverse("certificate_pdf", args=[completion.pk]) in html

    def test_the_person_page_offers_a_manager_the_download_but_not_the_form(
        self, client, manager, certificate, completion, employee
    ):
        client.force_login(manager)
        html = client.get(reverse("person_detail", args=[employee.pk])).content.decode()
        assert reverse("certificate_pdf", args=[completion.pk]) in html
        assert reverse("revoke_certificate", args=[completion.pk]) not in html

    @pytest.mark.parametrize(("persona", "status"), [("employee", 403), ("manager", 403)])
    def test_people_who_see_it_but_are_not_hr_get_a_403(
        self, client, completion, certificate, persona, status, request
    ):
        client.force_login(request.getfixturevalue(persona))
        response = client.post(
            reverse("revoke_certificate", args=[completion.pk]), {"reason": "Mine"}
        )
        assert response.status_code == status
        certificate.refresh_from_db()
        assert certificate.revoked_at is None


def test_the_person_page_queries_are_fixed_whatever_their_certificates_and_quizzes(
    client, hr, employee, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from quizzes.services.attempts import start_attempt, submit_attempt
    from tests.lms.test_module_page import queries_to_get
    from tests.quizzes.factories import all_wrong, make_quiz

    def add(how_many):
        for _ in range(how_many):
            issue_certificate(completion=make_completion(user=employee, module=make_module()))
            quiz = make_quiz(max_attempts=1)
            make_module(quiz=quiz)
            attempt = start_attempt(quiz=quiz, user=employee)
            with django_capture_on_commit_callbacks(execute=True):
                submit_attempt(attempt=attempt, answers=all_wrong(attempt))

    url = reverse("person_detail", args=[employee.pk])
    client.force_login(hr)
    add(1)
    baseline = queries_to_get(client, url)
    add(4)
    with django_assert_max_num_queries(baseline):
        html = client.get(url).content.decode()
    assert html.count("Grant one more attempt</button>") == 5
    assert html.count("Revoke certificate</button>") == 5
