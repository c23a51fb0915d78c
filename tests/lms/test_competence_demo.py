"""The demo quizzes and competence framework: real ISO questions on live modules, requirements per
job role and level, and records in every state, seeded once however often the seed runs."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from wagtail.models import Revision

from lms.models import (
    Assignment,
    Competence,
    CompetenceRecord,
    CompetenceRequirement,
    Completion,
    EffectivenessCheck,
    IsoClause,
    Notification,
    TrainingModule,
    User,
)
from lms.selectors.competence import (
    Standing,
    competence_profile,
    current_records,
    moment_of,
    pending_checks_for,
    requirements_for,
    standing_of,
)
from quizzes.models import Answer, Attempt, Quiz

EMPLOYEE = "employee@demo.example"
MANAGER = "manager@demo.example"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo seeded once for the module (it takes seconds) and committed; each test runs in a
    transaction rolled back after it. Afterwards the database is emptied and the migrations' rows
    put back, as `migration_data_kept` does for transactional tests."""
    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
        call_command("seed_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        # Sequences keep counting, as a transactional test's flush leaves them: the copy put
        # back keeps its ids, and new rows must not take them again (PostgreSQL).
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
            verbosity=0,
        )
        connection.creation.deserialize_db_from_string(snapshot)
        # What the seed's requests cached (Wagtail's site root paths) named the demo's pages.
        cache.clear()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def person(email: str) -> User:
    return User.objects.get(email=email)


def counts() -> dict[str, int]:
    models = [
        Quiz,
        Revision,
        Attempt,
        Answer,
        Competence,
        IsoClause,
        CompetenceRequirement,
        CompetenceRecord,
        EffectivenessCheck,
        Completion,
        Assignment,
        Notification,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_twice_creates_nothing_new():
    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def module_quizzes():
    # Campaigns' awareness checks are quizzes too, of one to three questions.
    return Quiz.objects.filter(modules__isnull=False).distinct()


def test_three_quizzes_with_eight_to_twelve_explained_questions_citing_clauses():
    quizzes = list(module_quizzes())
    assert len(quizzes) >= 3
    kinds = set()
    for quiz in quizzes:
        assert 8 <= len(quiz.questions) <= 12, quiz.title
        assert quiz.latest_revision_id is not None, quiz.title
        for question in quiz.questions:
            kinds.add(question.block_type)
            assert question.value["explanation"], question.value["text"]
            assert question.value["clauses"].startswith("ISO"), question.value["text"]
    assert kinds == {"single_choice", "multiple_choice", "true_false"}


def test_the_quizzes_have_the_rules_the_demo_shows():
    quizzes = list(module_quizzes())
    assert all(70 <= quiz.pass_mark_percent <= 80 for quiz in quizzes)
    assert all(quiz.max_attempts == 3 for quiz in quizzes)
    assert any(quiz.time_limit_minutes == 10 for quiz in quizzes)
    assert any(quiz.questions_to_draw == 8 and len(quiz.questions) == 10 for quiz in quizzes)
    assert any(quiz.partial_credit == Quiz.PartialCredit.PROPORTIONAL for quiz in quizzes)


def test_every_quiz_is_on_the_live_revision_of_a_module():
    for quiz in module_quizzes():
        module = TrainingModule.objects.live().get(quiz=quiz)
        assert module.live_revision.as_object().quiz_id == quiz.pk
        assert not module.has_unpublished_changes


def test_requirements_name_job_roles_and_management_levels():
    requirements = CompetenceRequirement.objects.all()
    assert requirements.filter(job_role__isnull=False).count() >= 10
    levels = set(
        requirements.filter(job_role__isnull=True).values_list("management_level", flat=True)
    )
    assert levels == {"top", "middle", "frontline", "staff"}
    quality = Competence.objects.get(name="Quality management awareness")
    for user in User.objects.filter(email__endswith="@demo.example"):
        assert requirements_for(user).filter(competence=quality).exists(), user.email
    investigation = requirements.get(competence__name="Incident investigation", job_role=None)
    assert investigation.management_level == "frontline"


def test_competences_have_clauses_validity_and_two_ask_for_an_effectiveness_check():
    competences = Competence.objects.annotate(clause_count=Count("clauses"))
    assert all(competence.clause_count for competence in competences)
    assert {c.validity_months for c in competences} == {None, 12, 24, 36}
    assert competences.filter(effectiveness_check_days=60).count() == 2


def test_records_are_in_every_state():
    people = User.objects.filter(email__endswith="@demo.example")
    moment = moment_of()
    current = current_records(user_ids=people.values("pk"))
    standings = {standing_of(record, moment=moment) for record in current.values()}
    assert {Standing.HELD, Standing.EXPIRING, Standing.EXPIRED, Standing.REVOKED} <= standings
    revocation = CompetenceRecord.objects.get(kind=CompetenceRecord.Kind.REVOKED)
    assert revocation.reason and revocation.recorded_by.email == "hr@demo.example"
    assert revocation.supersedes.user_id == revocation.user_id
    missing = [
        user
        for user in people
        for requirement in requirements_for(user)
        if (user.pk, requirement.competence_id) not in current
    ]
    assert len(missing) >= 10


def test_records_rest_on_every_kind_of_evidence():
    records = CompetenceRecord.objects.all()
    completed = records.filter(source=CompetenceRecord.Source.MODULE_COMPLETION)
    assert completed.count() == Completion.objects.filter(module__competences__isnull=False).count()
    assert all(record.revision_id == record.completion.revision_id for record in completed)
    assessment = records.get(source=CompetenceRecord.Source.ASSESSMENT, assessor__email=MANAGER)
    assert assessment.notes
    certificate = records.filter(source=CompetenceRecord.Source.CERTIFICATE).first()
    assert certificate.certificate_issuer
    with certificate.certificate_file.open("rb") as file:
        assert file.read(5) == b"%PDF-"


def test_the_demo_employee_holds_one_is_expiring_one_and_misses_one():
    profile = competence_profile(user=person(EMPLOYEE))
    standings = {status.competence.name: status.standing for status in profile.required}
    assert Standing.HELD in standings.values()
    assert Standing.EXPIRING in standings.values()
    assert standings["Quality management awareness"] == Standing.MISSING
    gap = next(s for s in profile.required if s.standing == Standing.MISSING)
    assert [module.slug for module in gap.closing_modules] == ["iso-9001-awareness"]


def test_the_demo_employee_sees_it_on_their_competences_page(client):
    client.force_login(person(EMPLOYEE))
    response = client.get(reverse("my_competences"))
    assert response.status_code == 200
    page = response.content.decode()
    for standing in (Standing.HELD, Standing.EXPIRING, Standing.MISSING):
        assert standing.label in page
    # The module that closes the missing one.
    assert "ISO 9001 awareness for all staff" in page


def test_the_demo_manager_has_effectiveness_checks_waiting_and_one_answered(client):
    manager = person(MANAGER)
    pending = list(pending_checks_for(user=manager))
    assert len(pending) >= 2
    assert all(check.record.user.manager_id == manager.pk for check in pending)
    answered = EffectivenessCheck.objects.get(answered_by=manager)
    assert answered.outcome == EffectivenessCheck.Outcome.CONFIRMED and answered.note
    client.force_login(manager)
    response = client.get(reverse("effectiveness_checks"))
    assert response.status_code == 200
    assert "Incident investigation" in response.content.decode()


def test_demo_people_have_passed_and_failed_attempts_with_their_answers():
    attempts = Attempt.objects.filter(status=Attempt.Status.SUBMITTED, quiz__in=module_quizzes())
    assert attempts.filter(passed=True).exists()
    assert attempts.filter(passed=False).exists()
    for attempt in attempts:
        assert attempt.answers.count() == len(attempt.paper["questions"])
    employee = attempts.get(user__email=EMPLOYEE)
    assert not employee.passed and employee.number == 1
    # Someone has used every attempt: the demo manager can grant one more.
    assert attempts.filter(user__email="po01@demo.example").count() == 3


def test_the_demo_hr_system_reads_every_roster_person_through_the_api_with_its_token(client):
    from rest_framework.authtoken.models import Token

    from lms.demo.api import SERVICE_ACCOUNT

    token = Token.objects.get(user__email=SERVICE_ACCOUNT)
    response = client.get(
        reverse("api-people-list"), {"page_size": 1000}, HTTP_AUTHORIZATION=f"Token {token.key}"
    )

    assert response.status_code == 200
    roster = User.objects.filter(employee_id__isnull=False)
    assert response.json()["count"] == roster.count()
    assert not person(SERVICE_ACCOUNT).has_usable_password()
    assert client.get(reverse("my_learning")).status_code == 302  # the token opens no page
