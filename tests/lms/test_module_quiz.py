"""Modules with a quiz: passing it is part of completing the module, the module page shows where
the learner stands at it, and a manager sees whom to grant one more attempt."""

import datetime
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from lms.models import Assignment, Completion
from lms.selectors.content import missed_clauses, module_progress, quizzes_out_of_attempts
from lms.services.progress import complete_modules_after_quiz, mark_section_done
from quizzes.models import Answer, Attempt
from quizzes.services.attempts import grant_extra_attempt, start_attempt, submit_attempt
from tests.lms.factories_training import make_assignment, make_module
from tests.quizzes.factories import all_right, all_wrong, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return make_quiz(title="Spill response check", max_attempts=2, pass_mark_percent=80)


@pytest.fixture
def module(quiz):
    return make_module(title="Spill response", sections=2, quiz=quiz)


def read_all(user, module):
    completion = None
    for section_id in module.section_ids():
        completion = mark_section_done(user=user, module=module, section_id=section_id)
    return completion


def take(user, quiz, capture, *, passing: bool) -> Attempt:
    """Start and submit an attempt, running what waits for the commit (the module's listener)."""
    attempt = start_attempt(quiz=quiz, user=user)
    with capture(execute=True):
        submitted = submit_attempt(
            attempt=attempt, answers=all_right(attempt) if passing else all_wrong(attempt)
        )
    return submitted


def page_html(client, module) -> str:
    response = client.get(module.url)
    assert response.status_code == 200
    return response.content.decode()


def progress_text(html) -> str:
    return re.search(r'id="progress-text"[^>]*>([^<]*)<', html).group(1)


class TestCompletionNeedsThePass:
    def test_reading_every_section_does_not_complete_a_module_with_a_quiz(self, employee, module):
        assert read_all(employee, module) is None
        assert not Completion.objects.exists()
        progress = module_progress(user=employee, module=module)
        assert progress.all_sections_done
        assert not progress.requirements_met

    def test_passing_after_reading_completes_it_through_the_signal(
        self, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        read_all(employee, module)
        attempt = take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
        completion = Completion.objects.get(user=employee, module=module)
        assert completion.revision_id == module.live_revision_id
        progress = module_progress(user=employee, module=module)
        assert progress.is_completed
        assert progress.quiz_passed == attempt

    def test_passing_first_then_reading_completes_it_with_the_last_section(
        self, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
        assert not Completion.objects.exists()
        completion = read_all(employee, module)
        assert completion == Completion.objects.get(user=employee, module=module)

    def test_a_failed_attempt_does_not_complete_it(
        self, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=False)
        assert not Completion.objects.exists()

    def test_a_pass_before_a_refresher_round_does_not_count_for_the_new_round(
        self, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
        first = Completion.objects.get(user=employee, module=module)
        refresher = make_assignment(user=employee, module=module)

        assert read_all(employee, module) is None
        assert not module_progress(user=employee, module=module).requirements_met
        take(employee, quiz, django_capture_on_commit_callbacks, passing=True)

        second = Completion.objects.exclude(pk=first.pk).get(user=employee, module=module)
        assert second.assignment == refresher
        refresher.refresh_from_db()
        assert refresher.status == Assignment.Status.COMPLETED

    def test_completing_after_a_quiz_twice_completes_once(
        self, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
        assert complete_modules_after_quiz(user=employee, quiz_id=quiz.pk) == []
        assert Completion.objects.filter(user=employee, module=module).count() == 1

    def test_a_draft_module_with_the_quiz_is_left_alone(
        self, employee, quiz, django_capture_on_commit_callbacks
    ):
        draft = make_module(quiz=quiz, live=False)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
        assert not Completion.objects.filter(module=draft).exists()

    def test_every_live_module_with_the_quiz_is_completed_where_its_sections_are_done(
        self, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        unread = make_module(quiz=quiz)
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
        assert Completion.objects.filter(user=employee, module=module).exists()
        assert not Completion.objects.filter(user=employee, module=unread).exists()


class TestWhatToReview:
    def test_it_lists_the_clauses_of_missed_and_unanswered_questions_once_each(self, employee):
        quiz = make_quiz()
        attempt = Attempt.objects.create(
            quiz=quiz,
            user=employee,
            number=1,
            status=Attempt.Status.SUBMITTED,
            passed=False,
            score_percent=0,
            submitted_at=timezone.now(),
            pass_mark_percent=80,
            paper={
                "questions": [
                    {"key": "a", "clauses": ["ISO 9001 8.7"]},
                    {"key": "b", "clauses": "ISO 9001 7.2, ISO 9001 8.7"},
                    {"key": "c", "clauses": ["ISO 14001 6.1"]},
                    {"key": "d", "clauses": []},
                ]
            },
        )
        Answer.objects.create(
            attempt=attempt, question_key="a", position=1, credit=0, is_correct=False
        )
        Answer.objects.create(
            attempt=attempt, question_key="c", position=3, credit=1, is_correct=True
        )
        assert missed_clauses(attempt=attempt) == ["ISO 9001 8.7", "ISO 9001 7.2"]


class TestModulePageQuizPart:
    def test_before_reading_it_asks_to_read_every_section_and_offers_no_button(
        self, client, employee, module, quiz
    ):
        client.force_login(employee)
        html = page_html(client, module)
        assert "Quiz: Spill response check" in html
        assert "Pass mark</dt>\n    <dd>80%" in html
        assert "Read every section, then take the quiz." in html
        assert reverse("quiz_start", args=[quiz.pk]) not in html
        assert progress_text(html).startswith("0 of 3 steps done")

    def test_after_reading_it_offers_the_quiz_returning_to_the_module(
        self, client, employee, module, quiz
    ):
        read_all(employee, module)
        client.force_login(employee)
        html = page_html(client, module)
        action = reverse("quiz_start", args=[quiz.pk])
        assert f'<form class="module-quiz__start" method="post" action="{action}">' in html
        assert f'name="next" value="{module.url}"' in html
        assert ">Take the quiz</button>" in html
        assert "0 of 2 used, 2 left" in html
        assert progress_text(html) == (
            "2 of 3 steps done: 2 of 2 sections read, the quiz not passed yet"
        )

    def test_an_attempt_in_progress_can_be_resumed(self, client, employee, module, quiz):
        read_all(employee, module)
        start_attempt(quiz=quiz, user=employee)
        client.force_login(employee)
        assert ">Resume</button>" in page_html(client, module)

    def test_after_a_failed_attempt_it_says_what_to_review_and_how_many_remain(
        self, client, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=False)
        client.force_login(employee)
        html = page_html(client, module)
        assert "What to review" in html
        for clause in ("ISO 9001 8.7", "ISO 9001 7.2", "ISO 9001 9.2", "ISO 19011 5.5"):
            assert f'<span class="tag">{clause}</span>' in html
        assert "You have 1 attempt left." in html
        assert "not passed" in html
        assert ">Try again</button>" in html

    def test_with_no_attempt_left_it_says_to_ask_the_manager(
        self, client, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=False)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=False)
        client.force_login(employee)
        html = page_html(client, module)
        assert "Ask your manager for one more attempt." in html
        assert "You have no attempts left." in html
        assert reverse("quiz_start", args=[quiz.pk]) not in html

    def test_once_passed_it_shows_the_pass_the_completion_and_the_certificate(
        self, client, employee, module, quiz, django_capture_on_commit_callbacks
    ):
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
        client.force_login(employee)
        html = page_html(client, module)
        completion = Completion.objects.get(user=employee, module=module)
        assert "You passed on" in html
        assert progress_text(html) == "3 of 3 steps done: 2 of 2 sections read, the quiz passed"
        assert reverse("certificate_pdf", args=[completion.pk]) in html
        assert "Download certificate" in html
        assert reverse("quiz_start", args=[quiz.pk]) not in html

    def test_a_preview_shows_the_quiz_without_buttons_or_attempts(self, comms, module, quiz):
        request = RequestFactory().get("/")
        request.user = comms
        response = module.make_preview_request(request, "")
        html = response.content.decode()
        assert "Quiz: Spill response check" in html
        assert "2 allowed" in html
        assert reverse("quiz_start", args=[quiz.pk]) not in html
        assert not Attempt.objects.exists()

    def test_a_module_without_a_quiz_has_no_quiz_part(self, client, employee):
        client.force_login(employee)
        html = page_html(client, make_module(sections=2))
        assert 'id="quiz"' not in html
        assert progress_text(html) == "0 of 2 sections done"

    def test_its_queries_are_fixed_whatever_the_attempts_and_questions(
        self,
        client,
        employee,
        quiz,
        module,
        django_capture_on_commit_callbacks,
        django_assert_max_num_queries,
    ):
        from tests.lms.test_module_page import queries_to_get
        from tests.quizzes.factories import standard_questions

        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=False)
        client.force_login(employee)
        baseline = queries_to_get(client, module.url)

        questions = [question for _ in range(4) for question in standard_questions()]
        bigger = make_quiz(questions=questions, max_attempts=None)
        other = make_module(sections=6, quiz=bigger)
        read_all(employee, other)
        for _ in range(3):
            take(employee, bigger, django_capture_on_commit_callbacks, passing=False)
        client.get(other.url)
        with django_assert_max_num_queries(baseline):
            assert client.get(other.url).status_code == 200


class TestGrantingOneMoreAttempt:
    @pytest.fixture
    def stuck(self, employee, module, quiz, django_capture_on_commit_callbacks):
        read_all(employee, module)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=False)
        take(employee, quiz, django_capture_on_commit_callbacks, passing=False)
        return quiz

    def test_it_lists_quizzes_the_person_is_out_of_attempts_at(self, employee, stuck):
        [row] = quizzes_out_of_attempts(user=employee)
        assert (row.quiz, row.used, row.allowed) == (stuck, 2, 2)

    def test_a_grant_or_a_pass_takes_the_quiz_off_the_list(
        self, employee, manager, stuck, django_capture_on_commit_callbacks
    ):
        grant_extra_attempt(quiz=stuck, user=employee, granted_by=manager)
        assert quizzes_out_of_attempts(user=employee) == []
        take(employee, stuck, django_capture_on_commit_callbacks, passing=True)
        assert quizzes_out_of_attempts(user=employee) == []

    def test_attempts_left_or_none_made_list_nothing(self, employee, quiz, module):
        assert quizzes_out_of_attempts(user=employee) == []
        start_attempt(quiz=quiz, user=employee)
        assert quizzes_out_of_attempts(user=employee) == []

    @pytest.mark.parametrize("viewer", ["manager", "hr"])
    def test_the_manager_and_hr_get_a_button_posting_back_to_the_person_page(
        self, client, employee, stuck, viewer, request
    ):
        client.force_login(request.getfixturevalue(viewer))
        url = reverse("person_detail", args=[employee.pk])
        html = client.get(url).content.decode()
        action = reverse("quiz_grant_extra_attempt", args=[stuck.pk, employee.pk])
        assert f'action="{action}"' in html
        assert f'name="next" value="{url}"' in html
        assert "Grant one more attempt" in html
        assert "2 of 2 attempts used, none passed." in html

    def test_the_person_themself_sees_no_grant_button(self, client, employee, stuck):
        client.force_login(employee)
        html = client.get(reverse("person_detail", args=[employee.pk])).content.decode()
        assert "Grant one more attempt" not in html

    def test_the_button_grants_the_attempt_and_the_module_page_offers_it(
        self, client, employee, manager, module, stuck
    ):
        client.force_login(manager)
        url = reverse("person_detail", args=[employee.pk])
        response = client.post(
            reverse("quiz_grant_extra_attempt", args=[stuck.pk, employee.pk]),
            {"next": url, "reason": "Missed the briefing"},
        )
        assert response.status_code == 302
        assert response["Location"] == url
        client.force_login(employee)
        assert ">Try again</button>" in page_html(client, module)


def test_a_completion_is_dated_now_and_keeps_the_revision_live_then(
    employee, module, quiz, django_capture_on_commit_callbacks
):
    read_all(employee, module)
    before = timezone.now()
    take(employee, quiz, django_capture_on_commit_callbacks, passing=True)
    completion = Completion.objects.get(user=employee, module=module)
    assert before <= completion.completed_at <= timezone.now() + datetime.timedelta(seconds=1)
    assert completion.revision_id == module.live_revision_id
