"""Reactions to other apps' signals; connected in LmsConfig.ready(). Each enqueues a task, except
where the learner waits for the answer."""

from wagtail.signals import page_published

from lms import tasks
from lms.models import TrainingModule, User
from lms.services import xapi
from lms.services.progress import complete_modules_after_quiz
from lms.signals import module_completed
from quizzes.signals import attempt_submitted


def apply_rules_to_published_module(sender, instance, **kwargs) -> None:
    # Rules may name a draft; publishing is when their audience can start it.
    tasks.enqueue_on_commit(tasks.apply_rules_for_module, instance.pk)


def complete_modules_after_passed_quiz(sender, user_id, quiz_id, passed, **kwargs) -> None:
    # Done here rather than in a task: the learner goes back to the module straight after
    # passing and should find it completed.
    person = User.objects.filter(pk=user_id).first() if passed else None
    if person is not None:
        complete_modules_after_quiz(user=person, quiz_id=quiz_id)


def issue_certificate_of_completion(sender, completion_id, **kwargs) -> None:
    tasks.enqueue_on_commit(tasks.issue_certificate, completion_id)


def record_competences_of_completion(sender, completion_id, **kwargs) -> None:
    tasks.enqueue_on_commit(tasks.record_competences_for_completion, completion_id)


# The statement is written here, not in a task, so a broker that is down loses nothing: the
# periodic send delivers what is in the outbox.
def send_completion_to_lrs(sender, completion_id, **kwargs) -> None:
    if xapi.record_completion(completion_id=completion_id) is not None:
        tasks.enqueue_on_commit(tasks.send_pending_xapi_statements)


def send_attempt_to_lrs(sender, attempt_id, **kwargs) -> None:
    if xapi.record_attempt(attempt_id=attempt_id) is not None:
        tasks.enqueue_on_commit(tasks.send_pending_xapi_statements)


def connect() -> None:
    page_published.connect(
        apply_rules_to_published_module,
        sender=TrainingModule,
        dispatch_uid="lms.apply_rules_to_published_module",
    )
    attempt_submitted.connect(
        complete_modules_after_passed_quiz, dispatch_uid="lms.complete_modules_after_passed_quiz"
    )
    module_completed.connect(
        issue_certificate_of_completion, dispatch_uid="lms.issue_certificate_of_completion"
    )
    module_completed.connect(
        record_competences_of_completion, dispatch_uid="lms.record_competences_of_completion"
    )
    module_completed.connect(send_completion_to_lrs, dispatch_uid="lms.send_completion_to_lrs")
    attempt_submitted.connect(send_attempt_to_lrs, dispatch_uid="lms.send_attempt_to_lrs")
