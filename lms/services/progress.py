"""A learner's way through a module: opening it, marking its sections done, completing it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.models import Assignment, Completion, ModuleStart, SectionDone, TrainingModule, User
from lms.selectors.content import module_progress
from lms.signals import module_completed


def start_module(*, user: User, module: TrainingModule) -> None:
    """Record the first time `user` opened `module`; later visits change nothing."""
    ModuleStart.objects.get_or_create(user=user, module=module)


def module_requirements_met(*, user: User, module: TrainingModule) -> bool:
    """Whether `user` has done all that `module` asks in their current pass: every section read
    and, when it has a quiz, an attempt at it passed since the pass began.

    `LearnerProgress.requirements_met` decides it: `mark_section_done` and
    `complete_modules_after_quiz` ask it before calling `complete_module`.
    """
    return module_progress(user=user, module=module).requirements_met


def complete_modules_after_quiz(*, user: User, quiz_id: int) -> list[Completion]:
    """Complete each live module with this quiz whose requirements `user` now meets and which is
    not already completed in this pass; returns the completions made. Safe to call twice: the
    second call finds every module completed.

    Called when `user` passed the quiz: with every section already done, passing is the last
    step of the module.
    """
    completions = []
    for module in TrainingModule.objects.live().filter(quiz_id=quiz_id).select_related("quiz"):
        progress = module_progress(user=user, module=module)
        if progress.is_completed or not progress.requirements_met:
            continue
        completions.append(complete_module(user=user, module=module))
    return completions


def mark_section_done(*, user: User, module: TrainingModule, section_id: str) -> Completion | None:
    """Record that `user` finished one section; returns the completion when this completed the
    module, else None. Marking a section already done in this pass changes nothing.

    Raises ValueError when the module has no such section (it may have been removed since the
    learner loaded the page).
    """
    if section_id not in module.section_ids():
        raise ValueError(
            f"“{module.title}” has no section with the id {section_id!r}: it may have been "
            "removed or replaced since you opened the page. Reload the page and try again."
        )
    with transaction.atomic():
        progress = module_progress(user=user, module=module)
        if section_id in progress.done:
            return None
        now = timezone.now()
        done, created = SectionDone.objects.get_or_create(
            user=user, module=module, section_id=section_id, defaults={"done_at": now}
        )
        if not created:
            # Done in an earlier pass, before a refresher asked for the module again.
            SectionDone.objects.filter(pk=done.pk).update(done_at=now)
        start_module(user=user, module=module)
        if progress.is_completed or not module_requirements_met(user=user, module=module):
            return None
        return complete_module(user=user, module=module)


def complete_module(*, user: User, module: TrainingModule) -> Completion:
    """Record that `user` completed `module`, as evidence of the revision live now; callers first
    check `module_requirements_met`.

    The open assignment, if any, is closed with it (on time when completed on or before its due
    date). Without one, a second call returns the existing completion: a person completes a
    module once until an assignment asks for it again. `lms.signals.module_completed` is sent
    after the transaction commits.
    """
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .filter(user=user, module=module, status=Assignment.Status.OPEN)
            .first()
        )
        if assignment is None:
            existing = (
                Completion.objects.filter(user=user, module=module)
                .order_by("-completed_at")
                .first()
            )
            if existing is not None:
                return existing
        now = timezone.now()
        on_time = None
        if assignment is not None:
            on_time = timezone.localdate(now) <= assignment.due_on
            assignment.status = Assignment.Status.COMPLETED
            assignment.completed_at = now
            assignment.save(update_fields=["status", "completed_at"])
        # The revision live at this moment, read fresh: the instance may have been loaded before
        # an editor published.
        revision_id = (
            TrainingModule.objects.filter(pk=module.pk)
            .values_list("live_revision_id", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                completion = Completion.objects.create(
                    user=user,
                    module=module,
                    revision_id=revision_id,
                    completed_at=now,
                    assignment=assignment,
                    on_time=on_time,
                )
        except IntegrityError:
            # Another request completed it without an assignment between our read and insert.
            return Completion.objects.get(user=user, module=module, assignment__isnull=True)
        transaction.on_commit(
            lambda: module_completed.send(
                sender=Completion,
                completion_id=completion.pk,
                user_id=user.pk,
                module_id=module.pk,
                on_time=on_time,
            )
        )
    return completion
