"""Recognition listens to the facts the other apps announce (DESIGN.md: it imports none of
their services). Points are paid straight after the sender's commit; the badges a fact may have
earned are evaluated by a task. Nothing is paid for merely viewing or logging in."""

from django.db.models.signals import post_save


def register_signal_handlers() -> None:
    from campaigns.signals import campaign_acknowledged, suggestion_accepted, suggestion_done
    from lms.signals import effectiveness_check_answered, module_completed
    from quizzes.signals import attempt_submitted
    from recognition.models import Kudos
    from recognition.services import points

    # suggestion_done pays as acceptance does, with the same source and rule: nothing more
    # after an acceptance that paid, and what a lost acceptance signal missed otherwise.
    for signal, pay, uid in [
        (module_completed, points.pay_module_completed, "points_module_completed"),
        (attempt_submitted, points.pay_quiz_passed, "points_quiz_passed"),
        (campaign_acknowledged, points.pay_campaign_acknowledged, "points_acknowledged"),
        (suggestion_accepted, points.pay_suggestion_accepted, "points_suggestion_accepted"),
        (suggestion_done, points.pay_suggestion_accepted, "points_suggestion_done"),
        (effectiveness_check_answered, points.pay_effectiveness_check, "points_check"),
    ]:
        signal.connect(points.on_signal(pay), weak=False, dispatch_uid=uid)

    # A completed module may also complete the learner's manager's team.
    module_completed.connect(
        _evaluate_badges_of(["user_id"], with_manager=True),
        weak=False,
        dispatch_uid="badges_module_completed",
    )
    for signal, id_names, uid in [
        (attempt_submitted, ["user_id"], "badges_attempt_submitted"),
        (campaign_acknowledged, ["user_id"], "badges_acknowledged"),
        (suggestion_accepted, ["author_id"], "badges_suggestion_accepted"),
        (suggestion_done, ["author_id"], "badges_suggestion_done"),
        (effectiveness_check_answered, ["answered_by_id", "person_id"], "badges_check"),
    ]:
        signal.connect(_evaluate_badges_of(id_names), weak=False, dispatch_uid=uid)
    post_save.connect(
        _evaluate_badges_of_kudos_receiver, sender=Kudos, dispatch_uid="badges_kudos_received"
    )


def _evaluate_badges_of(id_names: list[str], *, with_manager: bool = False):
    """A receiver that enqueues the badge evaluation of the people the signal names (an
    anonymous suggestion names nobody)."""

    def receiver(sender, **kwargs) -> None:
        from lms.tasks import enqueue_on_commit
        from recognition.tasks import evaluate_badges_for_person

        for name in id_names:
            if kwargs.get(name) is not None:
                enqueue_on_commit(
                    evaluate_badges_for_person, kwargs[name], with_manager=with_manager
                )

    return receiver


def _evaluate_badges_of_kudos_receiver(sender, instance, created: bool, **kwargs) -> None:
    from lms.tasks import enqueue_on_commit
    from recognition.tasks import evaluate_badges_for_person

    if created:
        enqueue_on_commit(evaluate_badges_for_person, instance.receiver_id)
