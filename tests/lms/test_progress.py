"""A learner's progress: starting a module, marking sections done, and completing it once."""

import datetime

import pytest
from django.utils import timezone

from lms.models import Assignment, Completion, ModuleStart, SectionDone
from lms.selectors.content import module_progress
from lms.services.progress import (
    complete_module,
    mark_section_done,
    module_requirements_met,
    start_module,
)
from lms.signals import module_completed
from tests.lms.factories_training import make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return make_module(title="Spill response", sections=3)


@pytest.fixture
def sent():
    """Every module_completed signal sent during the test, as its keyword arguments."""
    received = []

    def receiver(sender, **kwargs):
        kwargs.pop("signal")
        received.append(kwargs)

    module_completed.connect(receiver, weak=False)
    yield received
    module_completed.disconnect(receiver)


def assign(user, module, *, due_in_days=10):
    return Assignment.objects.create(
        user=user, module=module, due_on=timezone.localdate() + datetime.timedelta(days=due_in_days)
    )


def finish(user, module, ids=None):
    completion = None
    for section_id in ids or module.section_ids():
        completion = (
            mark_section_done(user=user, module=module, section_id=section_id) or completion
        )
    return completion


def test_starting_a_module_is_recorded_once(employee, module):
    start_module(user=employee, module=module)
    start_module(user=employee, module=module)
    assert ModuleStart.objects.filter(user=employee, module=module).count() == 1


def test_marking_a_section_done_records_it_and_starts_the_module(employee, module):
    first = module.section_ids()[0]
    assert mark_section_done(user=employee, module=module, section_id=first) is None
    assert SectionDone.objects.filter(user=employee, module=module, section_id=first).exists()
    assert ModuleStart.objects.filter(user=employee, module=module).exists()
    assert module_progress(user=employee, module=module).done == {first}


def test_marking_the_same_section_twice_changes_nothing(employee, module):
    first = module.section_ids()[0]
    mark_section_done(user=employee, module=module, section_id=first)
    before = SectionDone.objects.get(user=employee, section_id=first).done_at
    assert mark_section_done(user=employee, module=module, section_id=first) is None
    assert SectionDone.objects.filter(user=employee, module=module).count() == 1
    assert SectionDone.objects.get(user=employee, section_id=first).done_at == before


def test_an_unknown_section_is_refused_with_a_clear_message_and_nothing_recorded(employee, module):
    with pytest.raises(ValueError, match="has no section with the id 'nope'"):
        mark_section_done(user=employee, module=module, section_id="nope")
    assert not SectionDone.objects.exists()
    assert not ModuleStart.objects.exists()


def test_the_module_is_not_complete_until_every_section_is_done(employee, module):
    ids = module.section_ids()
    finish(employee, module, ids[:-1])
    assert not module_requirements_met(user=employee, module=module)
    assert not Completion.objects.exists()


def test_doing_the_last_section_completes_the_module_with_the_live_revision(employee, module):
    completion = finish(employee, module)
    assert completion is not None
    assert module_requirements_met(user=employee, module=module)
    assert completion.revision_id == module.live_revision_id
    assert completion.assignment is None
    assert completion.on_time is None
    assert Completion.objects.filter(user=employee, module=module).count() == 1


def test_the_revision_recorded_is_the_one_live_when_completing_not_when_loading(employee, module):
    stale = type(module).objects.get(pk=module.pk)
    newer = module.save_revision()
    newer.publish()
    completion = finish(employee, stale)
    assert completion.revision_id == newer.pk


def test_completing_closes_the_open_assignment_on_time(employee, module):
    assignment = assign(employee, module, due_in_days=0)
    completion = finish(employee, module)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.COMPLETED
    assert assignment.completed_at == completion.completed_at
    assert completion.assignment == assignment
    assert completion.on_time is True


def test_completing_after_the_due_date_is_recorded_as_late(employee, module):
    assign(employee, module, due_in_days=-1)
    assert finish(employee, module).on_time is False


def test_completion_is_announced_after_commit_with_ids(
    employee, module, sent, django_capture_on_commit_callbacks
):
    assign(employee, module)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        completion = finish(employee, module)
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [
        {
            "completion_id": completion.pk,
            "user_id": employee.pk,
            "module_id": module.pk,
            "on_time": True,
        }
    ]


def test_completing_twice_records_and_announces_nothing_twice(
    employee, module, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = finish(employee, module)
        second = complete_module(user=employee, module=module)
        again = mark_section_done(user=employee, module=module, section_id=module.section_ids()[0])
    assert second == first
    assert again is None
    assert Completion.objects.count() == 1
    assert len(sent) == 1


def test_a_completed_module_with_a_new_section_is_not_completed_again(employee, module):
    finish(employee, module)
    module.body.append(("section", {"title": "Added later", "content": []}))
    module.save_revision().publish()
    module.refresh_from_db()
    new_id = module.section_ids()[-1]
    assert mark_section_done(user=employee, module=module, section_id=new_id) is None
    assert Completion.objects.count() == 1


def test_a_refresher_assignment_asks_for_every_section_again(employee, module):
    first = finish(employee, module)
    refresher = assign(employee, module)
    progress = module_progress(user=employee, module=module)
    assert progress.done == set()
    assert not progress.is_completed
    second = finish(employee, module)
    assert second is not None
    assert second.pk != first.pk
    assert second.assignment == refresher
    assert SectionDone.objects.filter(user=employee, module=module).count() == 3


def test_another_persons_progress_is_their_own(employee, manager, module):
    finish(employee, module)
    progress = module_progress(user=manager, module=module)
    assert progress.done == set()
    assert progress.completion is None
