"""Who may see and change whose attempts. The engine knows nothing of teams or HR: the project
subclasses this adapter and names it in `LMS_QUIZ_ADAPTER`."""


class QuizAdapter:
    def can_view_attempt(self, *, viewer, attempt) -> bool:
        """The person who made it, or someone who may view every attempt."""
        return viewer.pk == attempt.user_id or viewer.has_perm("quizzes.view_attempt")

    def can_grant_extra_attempt(self, *, granter, person) -> bool:
        return granter.has_perm("quizzes.add_extraattempt")
