"""How the quiz engine learns who may see whose attempts: the person, their managers, and HR."""

from lms.selectors.people import can_view_person, manages, sees_everyone
from quizzes.adapter import QuizAdapter


class LearningQuizAdapter(QuizAdapter):
    def can_view_attempt(self, *, viewer, attempt) -> bool:
        return can_view_person(viewer=viewer, person=attempt.user)

    def can_grant_extra_attempt(self, *, granter, person) -> bool:
        return sees_everyone(granter) or manages(manager=granter, person=person)
