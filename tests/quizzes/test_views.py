import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Answer, Attempt, ExtraAttempt
from quizzes.services.attempts import grant_extra_attempt, start_attempt, submit_attempt
from tests.quizzes.factories import (
    all_right,
    all_wrong,
    form_data,
    make_quiz,
    multiple,
    question,
    single,
    standard_questions,
)

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _submitted(quiz, user, answers=all_wrong):
    attempt = start_attempt(quiz=quiz, user=user)
    return submit_attempt(attempt=attempt, answers=answers(attempt))


# --- The quiz page


def test_the_quiz_page_states_the_rules_in_words(client, employee):
    quiz = make_quiz(
        instructions="Read **the procedure** first.",
        pass_mark_percent=75,
        max_attempts=2,
        time_limit_minutes=15,
    )
    client.force_login(employee)
    html = client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    assert "Read <strong>the procedure</strong> first." in html
    assert "A score of 75% or more" in html
    assert "2 attempts; a manager can grant one more" in html
    assert "15 minutes from the start" in html
    assert "<dd>3</dd>" in html
    assert "Attempts used: 0 of 2; 2 left." in html
    assert "Start the quiz" in html


def test_the_quiz_page_lists_previous_attempts_and_offers_another(client, employee):
    quiz = make_quiz(max_attempts=3)
    _submitted(quiz, employee)
    client.force_login(employee)
    html = client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    assert "Attempt 1" in html
    assert "Not passed" in html
    assert "0%" in html
    assert "Try again" in html


def test_with_no_attempts_left_the_quiz_page_says_a_manager_can_grant_one(client, employee):
    quiz = make_quiz(max_attempts=1)
    _submitted(quiz, employee)
    client.force_login(employee)
    html = client.get(reverse("quiz_detail", args=[quiz.pk])).content.decode()
    assert "You have used all 1 attempt. Your manager can grant you one more." in html
    assert reverse("quiz_start", args=[quiz.pk]) not in html


def test_the_quiz_page_keeps_a_local_next_and_drops_any_other(client, employee):
    quiz = make_quiz()
    client.force_login(employee)
    url = reverse("quiz_detail", args=[quiz.pk])
    local = client.get(url, {"next": "/learning/modules/7/"}).content.decode()
    assert 'name="next" value="/learning/modules/7/"' in local
    for unsafe in ("https://elsewhere.example/", "//elsewhere.example/", "learning/"):
        assert 'name="next"' not in client.get(url, {"next": unsafe}).content.decode()


def test_the_quiz_page_has_a_fixed_number_of_queries(client, employee, manager):
    small, large = make_quiz(max_attempts=None), make_quiz(max_attempts=1)
    _submitted(small, employee)
    _submitted(large, employee)
    for _ in range(3):
        grant_extra_attempt(quiz=large, user=employee, granted_by=manager)
        _submitted(large, employee)
    client.force_login(employee)
    counts = []
    for quiz in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("quiz_detail", args=[quiz.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 15


def test_the_quiz_page_stays_within_its_queries(client, employee, django_assert_max_num_queries):
    quiz = make_quiz(max_attempts=None)
    for _ in range(5):
        _submitted(quiz, employee)
    client.force_login(employee)
    client.get(reverse("quiz_detail", args=[quiz.pk]))
    with django_assert_max_num_queries(15):
        client.get(reverse("quiz_detail", args=[quiz.pk]))


# --- Starting


def test_starting_opens_an_attempt_and_keeps_a_local_next_as_its_return_address(client, employee):
    quiz = make_quiz()
    client.force_login(employee)
    response = client.post(reverse("quiz_start", args=[quiz.pk]), {"next": "/learning/"})
    attempt = Attempt.objects.get()
    assert response.url == reverse("quiz_attempt", args=[attempt.pk])
    assert attempt.return_url == "/learning/"


@pytest.mark.parametrize(
    "unsafe", ["https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)"]
)
def test_starting_ignores_a_next_that_leads_off_the_site(client, employee, unsafe):
    quiz = make_quiz()
    client.force_login(employee)
    client.post(reverse("quiz_start", args=[quiz.pk]), {"next": unsafe})
    assert Attempt.objects.get().return_url == ""


def test_starting_with_no_attempts_left_says_so_and_starts_nothing(client, employee):
    quiz = make_quiz(max_attempts=1)
    _submitted(quiz, employee)
    client.force_login(employee)
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert response.url == reverse("quiz_detail", args=[quiz.pk])
    assert _messages(response) == [
        "You have used all 1 attempt at “Quality basics”. Your manager can grant you one more."
    ]
    assert Attempt.objects.count() == 1


# --- The form, and what it must not give away


def test_the_form_has_a_fieldset_per_question_with_radios_or_checkboxes(client, employee):
    quiz = make_quiz()
    attempt = start_attempt(quiz=quiz, user=employee)
    client.force_login(employee)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert html.count("<fieldset") == 3
    assert "Question 1 of 3</legend>" in html
    assert "Question 2 of 3: choose all that apply</legend>" in html
    single_q, multiple_q, true_false_q = attempt.paper["questions"]
    assert html.count(f'type="radio" name="q-{single_q["key"]}"') == 2
    assert html.count(f'type="checkbox" name="q-{multiple_q["key"]}"') == 3
    assert f'name="q-{true_false_q["key"]}" id="q3-1" value="true"' in html
    assert "quiz-timer.js" not in html


def test_a_timed_form_shows_the_time_left_for_the_timer_script(client, employee):
    attempt = start_attempt(quiz=make_quiz(time_limit_minutes=20), user=employee)
    client.force_login(employee)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert re.search(r'<time class="quiz-timer__clock" datetime="PT1[12]\d\dS"', html)
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in html
    assert 'src="/static/js/quiz-timer.js"' in html
    assert "<script>" not in html  # no inline script under the CSP


def _inputs_by_question(html):
    inputs = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        if name.startswith("q-"):
            inputs.setdefault(name, []).append(tag)
    return inputs


def test_nothing_on_the_open_form_tells_a_right_choice_from_a_wrong_one(client, employee):
    questions = [
        *standard_questions(),
        multiple("Pick the records", [("Training log", True), ("Rumour", False), ("Memo", True)]),
    ]
    quiz = make_quiz(questions=questions, shuffle_choices=True, show_correct_answers=True)
    attempt = start_attempt(quiz=quiz, user=employee)
    client.force_login(employee)
    response = client.get(reverse("quiz_attempt", args=[attempt.pk]))
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")

    assert "correct" not in html.lower()
    assert "application/json" not in html and "json" not in html.lower()
    for q in attempt.paper["questions"]:
        assert not q["explanation"] or q["explanation"] not in html
        for clause in q["clauses"]:
            assert clause not in html
    # Every data- attribute is the timer's (none here) or Django's; nothing about choices.
    assert re.findall(r"data-[\w-]+", html) == []
    # Each choice's input is the same markup but for its own key and position.
    inputs = _inputs_by_question(html)
    assert len(inputs) == 4
    for name, tags in inputs.items():
        key = name.removeprefix("q-")
        (q,) = [q for q in attempt.paper["questions"] if q["key"] == key]
        shapes = set()
        for tag, choice in zip(tags, q["choices"], strict=True):
            assert f'value="{choice["key"]}"' in tag
            shapes.add(re.sub(r'id="q\d+-\d+"', "ID", tag.replace(choice["key"], "KEY")))
        assert len(shapes) == 1, shapes


def test_the_preview_shows_the_questions_without_correctness(rf, hr):
    quiz = make_quiz(questions_to_draw=2)
    request = rf.get("/")
    request.user = hr
    response = quiz.make_preview_request(original_request=request)
    html = response.render().content.decode()
    assert response.status_code == 200
    assert "each attempt draws 2 at random" in html
    assert "Who may release a nonconforming product?" in html
    assert html.count("<fieldset") == 3
    assert "correct" not in html.lower()
    assert "Release needs recorded authority." not in html


# --- Submitting


def test_submitting_scores_on_the_server_and_shows_the_result(client, employee):
    quiz = make_quiz(pass_mark_percent=60)
    attempt = start_attempt(quiz=quiz, user=employee)
    client.force_login(employee)
    answers = all_right(attempt)
    answers[question(attempt, 2)["key"]] = ["true"]
    response = client.post(reverse("quiz_submit", args=[attempt.pk]), form_data(answers))
    assert response.url == reverse("quiz_attempt", args=[attempt.pk])
    html = client.get(response.url).content.decode()
    assert "You scored <strong>66.67%</strong>" in html
    assert "The pass mark is 60%, so this attempt passes." in html


def test_a_second_submit_shows_the_first_result_with_a_message(client, employee):
    quiz = make_quiz()
    attempt = start_attempt(quiz=quiz, user=employee)
    client.force_login(employee)
    url = reverse("quiz_submit", args=[attempt.pk])
    client.post(url, form_data(all_right(attempt)))
    response = client.post(url, form_data(all_wrong(attempt)))
    assert response.url == reverse("quiz_attempt", args=[attempt.pk])
    assert _messages(response) == [
        "This attempt was already submitted; your first submission counts."
    ]
    assert Answer.objects.filter(attempt=attempt).count() == 3
    attempt.refresh_from_db()
    assert attempt.passed is True


def test_a_stale_form_gets_a_400_page_with_the_message_and_nothing_is_recorded(client, employee):
    attempt = start_attempt(quiz=make_quiz(), user=employee)
    client.force_login(employee)
    response = client.post(
        reverse("quiz_submit", args=[attempt.pk]), {"q-a-question-since-removed": ["x"]}
    )
    assert response.status_code == 400
    assert "This form is out of date" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == "started"
    assert not Answer.objects.exists()


def test_a_submission_after_time_ran_out_shows_that_time_ran_out(client, employee):
    attempt = start_attempt(quiz=make_quiz(time_limit_minutes=5), user=employee)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(minutes=30),
        deadline=timezone.now() - timedelta(minutes=25),
    )
    client.force_login(employee)
    response = client.post(
        reverse("quiz_submit", args=[attempt.pk]), form_data(all_right(attempt)), follow=True
    )
    html = response.content.decode()
    assert "Time ran out before your answers arrived" in html
    assert "This attempt scores 0% and does not pass." in html
    assert not Answer.objects.exists()


def test_opening_an_attempt_whose_time_ran_out_shows_the_result(client, employee):
    attempt = start_attempt(quiz=make_quiz(time_limit_minutes=5), user=employee)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client.force_login(employee)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "Time ran out" in html
    assert "<fieldset" not in html


# --- The result


def test_a_failed_result_lists_what_to_review_and_offers_another_attempt(client, employee):
    quiz = make_quiz(max_attempts=3, show_feedback=False, show_correct_answers=False)
    attempt = start_attempt(quiz=quiz, user=employee, return_url="/learning/")
    answers = all_right(attempt)
    answers[question(attempt, 1)["key"]] = []
    answers[question(attempt, 2)["key"]] = ["true"]
    submit_attempt(attempt=attempt, answers=answers)
    client.force_login(employee)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "Not passed" in html
    review = html.split('id="review-heading"')[1].split("</section>")[0]
    assert "Which of these are records of competence?" in review
    assert "ISO 9001 7.2" in review
    assert "ISO 19011 5.5" in review
    assert "Who may release" not in review
    assert "Question by question" not in html
    assert "You have 2 attempts left." in html
    assert "Try again" in html
    assert 'name="next" value="/learning/"' in html
    assert '<a href="/learning/">Back to where you started the quiz</a>' in html


def test_feedback_shows_right_and_wrong_per_question_and_answers_only_when_allowed(
    client, employee
):
    quiz = make_quiz(show_feedback=True, show_correct_answers=False)
    attempt = _submitted(quiz, employee)
    client.force_login(employee)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert html.count("quiz-feedback__item--wrong") == 3
    assert "Whoever is on shift" in html  # what they picked
    assert "The person with documented authority" not in html
    assert "Release needs recorded authority." not in html

    quiz.show_correct_answers = True
    quiz.save()
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "The person with documented authority" in html
    assert "a right answer" in html
    assert "Release needs recorded authority." in html


def test_a_passed_result_offers_no_retry(client, employee):
    attempt = _submitted(make_quiz(), employee, all_right)
    client.force_login(employee)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "Passed" in html
    assert "What to review" not in html
    assert "Try again" not in html


def test_with_no_attempts_left_the_result_says_a_manager_can_grant_one(client, employee):
    attempt = _submitted(make_quiz(max_attempts=1), employee)
    client.force_login(employee)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "You have no attempts left. Your manager can grant you one more." in html
    assert "Try again" not in html


def test_a_manager_sees_a_report_s_result_read_only(client, employee, manager):
    attempt = _submitted(make_quiz(), employee)
    client.force_login(manager)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "Team Member scored <strong>0%</strong>" in html
    assert "Try again" not in html
    assert reverse("quiz_start", args=[attempt.quiz_id]) not in html


def test_a_manager_sees_only_the_status_of_a_report_s_open_attempt(client, employee, manager):
    attempt = start_attempt(quiz=make_quiz(), user=employee)
    client.force_login(manager)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "is in progress" in html
    assert "Who may release" not in html
    assert "<fieldset" not in html


def test_someone_who_may_not_see_the_person_gets_404(client, employee, other_manager):
    attempt = start_attempt(quiz=make_quiz(), user=employee)
    client.force_login(other_manager)
    assert client.get(reverse("quiz_attempt", args=[attempt.pk])).status_code == 404
    response = client.post(reverse("quiz_submit", args=[attempt.pk]), {})
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == "started"


def test_the_result_page_has_a_fixed_number_of_queries(client, employee):
    few = _submitted(make_quiz(), employee)
    many_questions = [single(f"Question {n}", [("A", True), ("B", False)]) for n in range(12)]
    many = _submitted(make_quiz(questions=many_questions, title="Long quiz"), employee)
    client.force_login(employee)
    counts = []
    for attempt in (few, many):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("quiz_attempt", args=[attempt.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Granting one more attempt


def test_a_manager_grants_a_report_one_more_attempt(client, employee, manager):
    quiz = make_quiz(max_attempts=1)
    _submitted(quiz, employee)
    client.force_login(manager)
    response = client.post(
        reverse("quiz_grant_extra_attempt", args=[quiz.pk, employee.pk]),
        {"reason": "Retrained on the floor", "next": "/learning/team/"},
    )
    assert response.url == "/learning/team/"
    assert _messages(response) == ["Team Member has one more attempt at “Quality basics”."]
    grant = ExtraAttempt.objects.get()
    assert (grant.user, grant.granted_by, grant.reason) == (
        employee,
        manager,
        "Retrained on the floor",
    )


def test_a_grant_that_is_not_needed_says_why_and_grants_nothing(client, employee, hr):
    quiz = make_quiz(max_attempts=2)
    _submitted(quiz, employee)
    client.force_login(hr)
    response = client.post(
        reverse("quiz_grant_extra_attempt", args=[quiz.pk, employee.pk]),
        {"next": "https://elsewhere.example/"},
    )
    assert response.url == reverse("quiz_detail", args=[quiz.pk])
    assert _messages(response) == ["Team Member still has 1 attempt left at “Quality basics”."]
    assert not ExtraAttempt.objects.exists()


def test_a_reason_too_long_is_refused(client, employee, manager):
    quiz = make_quiz(max_attempts=1)
    _submitted(quiz, employee)
    client.force_login(manager)
    response = client.post(
        reverse("quiz_grant_extra_attempt", args=[quiz.pk, employee.pk]), {"reason": "x" * 301}
    )
    assert _messages(response) == ["Keep the reason under 300 characters."]
    assert not ExtraAttempt.objects.exists()


def test_a_person_cannot_grant_themselves_an_attempt_and_strangers_cannot_find_them(
    client, employee, other_manager
):
    quiz = make_quiz(max_attempts=1)
    _submitted(quiz, employee)
    url = reverse("quiz_grant_extra_attempt", args=[quiz.pk, employee.pk])
    client.force_login(employee)
    assert client.post(url).status_code == 403
    client.force_login(other_manager)
    assert client.post(url).status_code == 404
    assert not ExtraAttempt.objects.exists()
