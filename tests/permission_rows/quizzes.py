"""Quizzes: the quiz page is open to every signed-in person; an attempt to its owner, their
managers and HR (anyone else gets 404); only the owner submits; managers and HR grant extra
attempts; item statistics are HR's."""

from quizzes.services.attempts import start_attempt, submit_attempt
from tests.permission_rows import signed_in
from tests.quizzes.factories import all_wrong, make_quiz


def _quiz(p):
    return [p["quiz"].pk]


def _attempt(p):
    return [p["quiz_attempt"].pk]


def _grant(p):
    return [p["quiz"].pk, p["employee"].pk]


MATRIX = {
    "quiz_detail": (_quiz, signed_in(200)),
    "quiz_attempt": (_attempt, signed_in(404, employee=200, manager=200, hr=200)),
    "quizzes_item_statistics": (
        _quiz,
        # Wagtail sends a signed-in person without CMS access back to its login.
        signed_in(403, employee=302, manager=302, other_manager=302, outsider=302, hr=200),
    ),
    # POST-only actions answer a GET with 405; their POST rows are in POST_MATRIX.
    "quiz_start": (_quiz, signed_in(405)),
    "quiz_submit": (_attempt, signed_in(405)),
    "quiz_grant_extra_attempt": (_grant, signed_in(405)),
}

POST_MATRIX = {
    "quiz_start": (_quiz, signed_in(302)),
    # The owner's second submit goes back to the result; a manager or HR may look, not answer.
    "quiz_submit": (_attempt, signed_in(404, employee=302, manager=403, hr=403)),
    # The employee cannot grant themselves one; someone who cannot see them does not find them.
    "quiz_grant_extra_attempt": (_grant, signed_in(404, employee=403, manager=302, hr=302)),
}


def things(personas):
    quiz = make_quiz(title="Permission rows quiz", max_attempts=1)
    attempt = start_attempt(quiz=quiz, user=personas["employee"])
    attempt = submit_attempt(attempt=attempt, answers=all_wrong(attempt))
    return {"quiz": quiz, "quiz_attempt": attempt}
