"""Assignment services and what triggers them: rules follow the org chart, managers and HR assign
by hand, refreshers come round, and nothing is ever assigned twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms import tasks
from lms.models import Assignment, Completion, ManagementLevel, User
from lms.services import assignments
from lms.services.assignments import (
    apply_rule,
    apply_rules_for_module,
    assign_module,
    assign_to_people,
    assign_to_team,
    create_refresher_assignments,
    reconcile_all_rules,
    sync_assignments_for_people,
    withdraw_outside_audience,
)
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory
from tests.lms.factories_training import (
    days_from_today,
    make_assignment,
    make_completion,
    make_module,
    make_rule,
)
from tests.lms.test_cms_people import edit_person_url, person_form_data
from tests.lms.test_roster_admin_page import upload
from tests.lms.test_roster_service import as_csv, person

pytestmark = pytest.mark.django_db

OPEN, WITHDRAWN = Assignment.Status.OPEN, Assignment.Status.WITHDRAWN


def open_for(module) -> set[int]:
    return set(
        Assignment.objects.filter(module=module, status=OPEN).values_list("user_id", flat=True)
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def module(db):
    return make_module(title="Forklift safety")


@pytest.fixture
def logistics(db):
    return DepartmentFactory(name="Logistics")


# --- Applying a rule


def test_a_rule_for_a_management_level_assigns_only_people_at_that_level(module):
    middle = UserFactory(management_level=ManagementLevel.MIDDLE)
    UserFactory(management_level=ManagementLevel.STAFF)
    rule = make_rule(module=module, audience_levels=[ManagementLevel.MIDDLE])

    assert apply_rule(rule=rule) == 1

    assert open_for(module) == {middle.pk}


def test_a_rule_for_a_department_includes_its_sub_departments(module, logistics):
    warehouse = DepartmentFactory(name="Warehouse", parent=logistics)
    in_logistics = UserFactory(department=logistics)
    in_warehouse = UserFactory(department=warehouse)
    UserFactory(department=DepartmentFactory(name="Finance"))
    rule = make_rule(module=module, audience_departments=[logistics])

    apply_rule(rule=rule)

    assert open_for(module) == {in_logistics.pk, in_warehouse.pk}


def test_a_rule_for_a_job_role_assigns_only_its_holders(module):
    driver = JobRoleFactory(name="Forklift Driver")
    holder = UserFactory(job_role=driver)
    UserFactory(job_role=JobRoleFactory(name="Buyer"))
    rule = make_rule(module=module, audience_job_roles=[driver])

    apply_rule(rule=rule)

    assert open_for(module) == {holder.pk}


def test_a_rule_with_an_empty_audience_assigns_every_active_person(module):
    people = UserFactory.create_batch(3)
    UserFactory(is_active=False)

    assert apply_rule(rule=make_rule(module=module)) == 3

    assert open_for(module) == {p.pk for p in people}


def test_the_assignment_records_the_rule_its_due_date_and_whether_it_is_mandatory(module, today):
    person = UserFactory()
    rule = make_rule(module=module, due_in_days=14, mandatory=False)

    apply_rule(rule=rule)

    assignment = Assignment.objects.get(user=person)
    assert (assignment.rule, assignment.due_on, assignment.mandatory) == (
        rule,
        today + timedelta(days=14),
        False,
    )
    assert assignment.assigned_by is None
    assert assignment.status == OPEN


def test_applying_a_rule_twice_creates_no_duplicates(module):
    UserFactory.create_batch(3)
    rule = make_rule(module=module)

    assert apply_rule(rule=rule) == 3
    assert apply_rule(rule=rule) == 0

    assert Assignment.objects.count() == 3


def test_an_open_assignment_made_by_hand_is_kept_as_it_is(module, manager, employee, today):
    mine = make_assignment(user=employee, module=module, due_on=today, assigned_by=manager)

    apply_rule(rule=make_rule(module=module, due_in_days=60))

    assert list(Assignment.objects.filter(user=employee)) == [mine]
    mine.refresh_from_db()
    assert (mine.due_on, mine.rule) == (today, None)


def test_an_inactive_rule_assigns_nothing(module):
    UserFactory()

    assert apply_rule(rule=make_rule(module=module, is_active=False)) == 0
    assert not Assignment.objects.exists()


def test_a_rule_for_an_unpublished_module_assigns_nothing(db):
    UserFactory()
    draft = make_module(live=False)

    assert apply_rule(rule=make_rule(module=draft)) == 0
    assert not Assignment.objects.exists()


def test_a_completed_module_without_refreshers_is_not_assigned_again(module):
    done, not_done = UserFactory(), UserFactory()
    make_completion(user=done, module=module, completed_at=days_from_today(-3000, as_datetime=True))

    apply_rule(rule=make_rule(module=module))

    assert open_for(module) == {not_done.pk}


def test_a_rule_assigns_again_when_the_last_completion_is_older_than_its_interval(db):
    module = make_module(refresher_months=12)
    stale, fresh = UserFactory(), UserFactory()
    make_completion(user=stale, module=module, completed_at=days_from_today(-400, as_datetime=True))
    make_completion(user=fresh, module=module, completed_at=days_from_today(-300, as_datetime=True))

    apply_rule(rule=make_rule(module=module))

    assert open_for(module) == {stale.pk}


def test_the_rules_interval_wins_over_the_modules(db):
    module = make_module(refresher_months=24)
    person = UserFactory()
    make_completion(
        user=person, module=module, completed_at=days_from_today(-400, as_datetime=True)
    )

    apply_rule(rule=make_rule(module=module, recur_every_months=12))

    assert open_for(module) == {person.pk}


def test_apply_rule_costs_the_same_queries_for_ten_and_a_hundred_people(
    module, django_assert_num_queries
):
    department = DepartmentFactory(name="Operations")
    role = JobRoleFactory(name="Operator")
    UserFactory.create_batch(10, department=department, job_role=role)
    rule = make_rule(module=module, audience_departments=[department], audience_job_roles=[role])
    rule = assignments.rules_with_audience().get(pk=rule.pk)
    with CaptureQueriesContext(connection) as ten:
        assert apply_rule(rule=rule) == 10

    Assignment.objects.all().delete()
    UserFactory.create_batch(90, department=department, job_role=role)
    rule = assignments.rules_with_audience().get(pk=rule.pk)
    with django_assert_num_queries(len(ten.captured_queries)):
        assert apply_rule(rule=rule) == 100


def test_publishing_applies_every_active_rule_of_the_module(db):
    draft = make_module(live=False)
    staff = UserFactory(management_level=ManagementLevel.STAFF)
    top = UserFactory(management_level=ManagementLevel.TOP)
    make_rule(module=draft, audience_levels=[ManagementLevel.STAFF])
    make_rule(module=draft, audience_levels=[ManagementLevel.TOP], is_active=False)
    draft.save_revision().publish()
    draft.refresh_from_db()

    assert apply_rules_for_module(module=draft) == 1

    assert open_for(draft) == {staff.pk}
    assert top.pk not in open_for(draft)


# --- People who join or move


def test_a_person_who_moves_out_of_the_rules_department_has_it_withdrawn_with_the_reason(
    module, operations, employee, logistics
):
    apply_rule(
        rule=make_rule(name="Forklift drivers", module=module, audience_departments=[operations])
    )
    employee.department = logistics
    employee.save()

    synced = sync_assignments_for_people(user_ids=[employee.pk])

    assert synced == (0, 1)
    assignment = Assignment.objects.get(user=employee)
    assert assignment.status == WITHDRAWN
    assert assignment.withdrawn_at is not None
    assert assignment.withdrawn_reason == (
        "No longer in the audience of rule 'Forklift drivers' (moved to Logistics)."
    )


def test_the_reason_names_a_new_level_and_job_role(module, employee):
    operator = JobRoleFactory(name="Operator")
    employee.job_role = operator
    employee.save()
    rule = make_rule(
        name="Operators",
        module=module,
        audience_levels=[ManagementLevel.STAFF],
        audience_job_roles=[operator],
    )
    apply_rule(rule=rule)
    employee.management_level = ManagementLevel.FRONTLINE
    employee.job_role = JobRoleFactory(name="Team Leader")
    employee.save()

    sync_assignments_for_people(user_ids=[employee.pk])

    assert Assignment.objects.get(user=employee).withdrawn_reason == (
        "No longer in the audience of rule 'Operators' (now frontline management; now Team Leader)."
    )


def test_a_person_who_moves_into_a_rules_audience_is_assigned(module, employee, logistics, today):
    make_rule(module=module, audience_departments=[logistics], due_in_days=10)
    employee.department = logistics
    employee.save()

    assert sync_assignments_for_people(user_ids=[employee.pk]) == (1, 0)

    assignment = Assignment.objects.get(user=employee)
    assert (assignment.status, assignment.due_on) == (OPEN, today + timedelta(days=10))


def test_assignments_made_by_hand_are_never_withdrawn(
    module, operations, employee, manager, logistics
):
    make_rule(module=module, audience_departments=[operations])
    by_hand = make_assignment(user=employee, module=module, assigned_by=manager)
    employee.department = logistics
    employee.save()

    sync_assignments_for_people(user_ids=[employee.pk])

    by_hand.refresh_from_db()
    assert by_hand.status == OPEN


def test_advised_rule_assignments_are_left_open(module, operations, employee, logistics):
    apply_rule(rule=make_rule(module=module, audience_departments=[operations], mandatory=False))
    employee.department = logistics
    employee.save()

    sync_assignments_for_people(user_ids=[employee.pk])

    assert Assignment.objects.get(user=employee).status == OPEN


def test_completions_are_kept_when_a_person_leaves_the_audience(operations, employee, logistics):
    done, pending = make_module(title="Done"), make_module(title="Pending")
    for module in (done, pending):
        apply_rule(rule=make_rule(module=module, audience_departments=[operations]))
    completion = make_completion(
        user=employee, module=done, assignment=Assignment.objects.get(module=done, user=employee)
    )
    employee.department = logistics
    employee.save()

    sync_assignments_for_people(user_ids=[employee.pk])

    assert list(Completion.objects.filter(user=employee)) == [completion]
    assert Assignment.objects.get(module=done, user=employee).status == "completed"
    assert Assignment.objects.get(module=pending, user=employee).status == WITHDRAWN


def test_an_assignment_another_rule_still_requires_moves_to_that_rule_keeping_its_due_date(
    module, operations, employee, logistics
):
    first = make_rule(module=module, audience_departments=[operations], due_in_days=5)
    second = make_rule(module=module, audience_departments=[logistics], due_in_days=50)
    apply_rule(rule=first)
    due_on = Assignment.objects.get(user=employee).due_on
    employee.department = logistics
    employee.save()

    assert sync_assignments_for_people(user_ids=[employee.pk]) == (0, 0)

    assignment = Assignment.objects.get(user=employee)
    assert (assignment.status, assignment.rule, assignment.due_on) == (OPEN, second, due_on)


def test_a_deactivated_person_has_their_open_rule_assignments_withdrawn(module, employee):
    apply_rule(rule=make_rule(name="Everyone", module=module))
    employee.is_active = False
    employee.save()

    sync_assignments_for_people(user_ids=[employee.pk])

    assignment = Assignment.objects.get(user=employee)
    assert assignment.status == WITHDRAWN
    assert assignment.withdrawn_reason == (
        "No longer in the audience of rule 'Everyone' (account deactivated)."
    )


def test_syncing_twice_changes_nothing_the_second_time(module, operations, employee, logistics):
    make_rule(module=module, audience_departments=[logistics])
    apply_rule(rule=make_rule(module=make_module(), audience_departments=[operations]))
    employee.department = logistics
    employee.save()

    assert sync_assignments_for_people(user_ids=[employee.pk]) == (1, 1)
    assert sync_assignments_for_people(user_ids=[employee.pk]) == (0, 0)


def test_syncing_costs_the_same_queries_for_five_people_as_for_fifty(
    operations, logistics, django_assert_num_queries
):
    ops_rules = [make_rule(module=make_module(), audience_departments=[operations]) for _ in "ab"]
    for _ in "cd":
        make_rule(module=make_module(), audience_departments=[logistics])

    def move(count: int) -> list[int]:
        people = UserFactory.create_batch(count, department=operations)
        for rule in ops_rules:
            apply_rule(rule=rule)
        User.objects.filter(pk__in=[p.pk for p in people]).update(department=logistics)
        return [p.pk for p in people]

    few = move(5)
    with CaptureQueriesContext(connection) as queries:
        assert sync_assignments_for_people(user_ids=few) == (10, 10)
    many = move(50)
    with django_assert_num_queries(len(queries.captured_queries)):
        assert sync_assignments_for_people(user_ids=many) == (100, 100)


def test_narrowing_a_rules_audience_withdraws_those_left_outside(module, employee, manager):
    rule = make_rule(name="Leaders and staff", module=module)
    apply_rule(rule=rule)
    rule.audience_levels = [ManagementLevel.MIDDLE]
    rule.save()

    assert withdraw_outside_audience(rule=rule) == 1

    assert open_for(module) == {manager.pk}
    assert Assignment.objects.get(user=employee).withdrawn_reason == (
        "No longer in the audience of rule 'Leaders and staff' (now staff)."
    )


def test_the_nightly_reconcile_catches_a_move_nobody_announced(
    module, operations, employee, logistics
):
    make_rule(module=module, audience_departments=[logistics])
    other = make_module()
    apply_rule(rule=make_rule(module=other, audience_departments=[operations]))
    User.objects.filter(pk=employee.pk).update(department=logistics)

    assert reconcile_all_rules() == (1, 1)
    assert open_for(module) == {employee.pk}
    assert Assignment.objects.get(module=other, user=employee).status == WITHDRAWN


def test_a_rule_that_now_assigns_another_module_withdraws_the_old_ones(module, employee):
    rule = make_rule(name="Induction", module=module)
    apply_rule(rule=rule)
    rule.module = make_module(title="Induction 2027")
    rule.save()

    withdraw_outside_audience(rule=rule)

    assert Assignment.objects.get(user=employee, module=module).withdrawn_reason == (
        "Rule 'Induction' now assigns 'Induction 2027' instead."
    )


def test_a_long_reason_is_cut_to_fit_with_an_ellipsis(module, employee, logistics):
    employee.department = logistics
    employee.save()
    apply_rule(rule=make_rule(name="R" * 200, module=module, audience_departments=[logistics]))
    employee.department = DepartmentFactory(name="F" * 100)
    employee.save()

    sync_assignments_for_people(user_ids=[employee.pk])

    reason = Assignment.objects.get(user=employee).withdrawn_reason
    assert len(reason) == 300
    assert reason.endswith("…")


def test_a_concurrent_run_that_missed_an_open_assignment_adds_no_duplicate(module, employee):
    make_assignment(user=employee, module=module)

    added = assignments._insert_assignments(
        people=User.objects.filter(pk=employee.pk),
        module_id=module.pk,
        due_on=timezone.localdate(),
        mandatory=True,
        rule_id=None,
        assigned_by_id=None,
        now=timezone.now(),
    )

    assert added == 0
    assert Assignment.objects.filter(user=employee).count() == 1


# --- Refreshers


def test_a_refresher_is_assigned_once_the_modules_interval_has_passed(today):
    module = make_module(refresher_months=12)
    person = UserFactory()
    first = make_assignment(user=person, module=module, mandatory=True)
    make_completion(
        user=person,
        module=module,
        assignment=first,
        completed_at=days_from_today(-370, as_datetime=True),
    )

    assert create_refresher_assignments() == 1

    refresher = Assignment.objects.get(user=person, status=OPEN)
    assert refresher.due_on == today + timedelta(days=30)
    assert refresher.mandatory is True
    assert refresher.rule is None


def test_a_refresher_of_training_taken_without_an_assignment_is_advised_only(db):
    module = make_module(refresher_months=12)
    person = UserFactory()
    make_completion(
        user=person, module=module, completed_at=days_from_today(-370, as_datetime=True)
    )

    create_refresher_assignments()

    assert Assignment.objects.get(user=person).mandatory is False


def test_no_refresher_before_the_interval_has_passed(db):
    module = make_module(refresher_months=12)
    make_completion(
        user=UserFactory(), module=module, completed_at=days_from_today(-330, as_datetime=True)
    )

    assert create_refresher_assignments() == 0
    assert not Assignment.objects.exists()


def test_only_the_latest_completion_counts(db):
    module = make_module(refresher_months=12)
    person = UserFactory()
    make_completion(
        user=person,
        module=module,
        completed_at=days_from_today(-800, as_datetime=True),
        assignment=make_assignment(user=person, module=module),
    )
    make_completion(
        user=person,
        module=module,
        completed_at=days_from_today(-10, as_datetime=True),
        assignment=make_assignment(user=person, module=module),
    )

    assert create_refresher_assignments() == 0


def test_a_rules_recurrence_assigns_again_with_the_rules_due_days(today):
    module = make_module()
    person = UserFactory()
    rule = make_rule(module=module, recur_every_months=6, due_in_days=7)
    make_completion(
        user=person, module=module, completed_at=days_from_today(-200, as_datetime=True)
    )

    assert create_refresher_assignments() == 1

    refresher = Assignment.objects.get(user=person, status=OPEN)
    assert (refresher.rule, refresher.due_on) == (rule, today + timedelta(days=7))


def test_no_refresher_for_someone_with_the_module_open_already(db):
    module = make_module(refresher_months=12)
    person = UserFactory()
    make_completion(
        user=person, module=module, completed_at=days_from_today(-400, as_datetime=True)
    )
    make_assignment(user=person, module=module)

    assert create_refresher_assignments() == 0
    assert Assignment.objects.filter(user=person).count() == 1


def test_a_refresher_goes_only_to_people_still_in_the_modules_audience(logistics):
    module = make_module(refresher_months=12, audience_departments=[logistics])
    stayed = UserFactory(department=logistics)
    moved = UserFactory(department=DepartmentFactory(name="Finance"))
    for someone in (stayed, moved):
        make_completion(
            user=someone, module=module, completed_at=days_from_today(-400, as_datetime=True)
        )

    create_refresher_assignments()

    assert open_for(module) == {stayed.pk}


def test_refreshers_run_twice_assign_once(db):
    module = make_module(refresher_months=12)
    make_rule(module=make_module(), recur_every_months=1)
    make_completion(
        user=UserFactory(), module=module, completed_at=days_from_today(-400, as_datetime=True)
    )

    first = create_refresher_assignments()

    assert create_refresher_assignments() == 0
    assert Assignment.objects.count() == first


# --- By hand


def test_assign_module_returns_the_open_assignment_instead_of_a_second_one(module, employee, today):
    first = assign_module(user=employee, module=module, due_on=today)

    again = assign_module(user=employee, module=module, due_on=today + timedelta(days=9))

    assert again == first
    assert again.due_on == today
    assert Assignment.objects.count() == 1


def test_assign_module_may_assign_a_completed_module_again(module, employee, today):
    make_completion(user=employee, module=module)

    assignment = assign_module(user=employee, module=module, due_on=today)

    assert assignment.status == OPEN


def test_a_manager_assigns_to_their_direct_reports_only_unless_asked(
    module, manager, employee, today
):
    indirect = UserFactory(manager=employee)

    assert assign_to_team(manager=manager, module=module, due_on=today) == (1, 0)
    assert open_for(module) == {employee.pk}

    assert assign_to_team(manager=manager, module=module, due_on=today, include_indirect=True) == (
        1,
        1,
    )
    assert open_for(module) == {employee.pk, indirect.pk}
    assert set(Assignment.objects.values_list("assigned_by", flat=True)) == {manager.pk}


def test_a_manager_cannot_assign_to_someone_outside_their_team(
    module, manager, employee, other_manager, today
):
    other_report = other_manager.reports.get()

    with pytest.raises(PermissionDenied):
        assign_to_team(
            manager=manager, module=module, due_on=today, user_ids=[employee.pk, other_report.pk]
        )

    assert not Assignment.objects.exists()


def test_hr_assigns_to_anyone(module, hr, employee, other_manager, today):
    outcome = assign_to_people(
        assigned_by=hr, module=module, due_on=today, user_ids=[employee.pk, other_manager.pk]
    )

    assert outcome == (2, 0)
    assert open_for(module) == {employee.pk, other_manager.pk}


def test_only_hr_may_assign_to_anyone(module, manager, employee, today):
    with pytest.raises(PermissionDenied):
        assign_to_people(assigned_by=manager, module=module, due_on=today, user_ids=[employee.pk])
    assert not Assignment.objects.exists()


def test_assigning_by_hand_counts_those_who_already_had_it(module, hr, employee, manager, today):
    make_assignment(user=employee, module=module)

    outcome = assign_to_people(
        assigned_by=hr, module=module, due_on=today, user_ids=[employee.pk, manager.pk]
    )

    assert outcome == (1, 1)


@pytest.mark.parametrize(
    ("live", "days", "message"),
    [
        (True, -1, "The due date is in the past; choose today or a later day."),
        (False, 5, "'Draft' is not published, so nobody can take it yet."),
    ],
)
def test_assigning_by_hand_refuses_a_past_date_or_a_draft(hr, employee, today, live, days, message):
    module = make_module(title="Draft", live=live)

    with pytest.raises(ValidationError) as refused:
        assign_to_people(
            assigned_by=hr,
            module=module,
            due_on=today + timedelta(days=days),
            user_ids=[employee.pk],
        )

    assert refused.value.messages == [message]
    assert not Assignment.objects.exists()


# --- Triggers: each takes effect once the triggering change commits


def test_publishing_a_module_applies_its_rules(django_capture_on_commit_callbacks):
    draft = make_module(live=False)
    person = UserFactory()
    make_rule(module=draft)

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()

    assert open_for(draft) == {person.pk}


def test_a_new_person_in_the_roster_import_is_assigned(
    client, hr, module, django_capture_on_commit_callbacks
):
    logistics = DepartmentFactory(name="Logistics")
    make_rule(module=module, audience_departments=[logistics])
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cms/roster/import/", upload(as_csv(person("E1", department="Logistics"))))

    assert open_for(module) == {User.objects.get(employee_id="E1").pk}


def test_a_roster_import_moving_a_person_withdraws_and_assigns(
    module, django_capture_on_commit_callbacks, tmp_path
):
    operations, logistics = (
        DepartmentFactory(name="Operations"),
        DepartmentFactory(name="Logistics"),
    )
    stays = make_module(title="Stays")
    make_rule(module=module, audience_departments=[logistics])
    make_rule(name="Ops", module=stays, audience_departments=[operations])
    roster = tmp_path / "roster.csv"
    roster.write_bytes(as_csv(person("E1", department="Operations")))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_roster", roster, "--no-invite")
    moved = User.objects.get(employee_id="E1")
    assert open_for(stays) == {moved.pk}

    roster.write_bytes(as_csv(person("E1", department="Logistics")))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_roster", roster, "--no-invite")

    assert open_for(module) == {moved.pk}
    withdrawn = Assignment.objects.get(module=stays)
    assert (
        withdrawn.withdrawn_reason
        == "No longer in the audience of rule 'Ops' (moved to Logistics)."
    )


def test_a_roster_import_that_changes_only_names_syncs_nobody(db):
    from lms.services.roster import import_roster, read_roster_csv

    import_roster(rows=read_roster_csv(data=as_csv(person("E1"))), invite_new_people=False)
    renamed = import_roster(
        rows=read_roster_csv(data=as_csv(person("E1", first_name="Renamed"))),
        invite_new_people=False,
    )

    assert renamed.updated == 1
    assert renamed.affected_user_ids == []


def test_people_a_roster_import_deactivates_are_synced_too(db):
    from lms.services.roster import import_roster, read_roster_csv

    import_roster(rows=read_roster_csv(data=as_csv(person("E1"), person("E2"))))
    result = import_roster(rows=read_roster_csv(data=as_csv(person("E1"))), deactivate_missing=True)

    assert result.affected_user_ids == [User.objects.get(employee_id="E2").pk]


def test_syncing_after_an_import_is_split_into_batches_sent_on_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks, "SYNC_BATCH", 2)
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: sent.append((task, args)))

    with django_capture_on_commit_callbacks(execute=True):
        tasks.sync_assignments_later([5, 1, 3, 3, 4])
        assert sent == []

    assert sent == [
        (tasks.sync_assignments_for_people, ([1, 3],)),
        (tasks.sync_assignments_for_people, ([4, 5],)),
    ]


def test_the_rule_task_does_nothing_for_a_rule_deleted_since(db):
    assert tasks.apply_assignment_rule(123456) == 0


def test_editing_a_persons_department_in_the_cms_moves_their_assignments(
    client, hr, module, operations, employee, logistics, django_capture_on_commit_callbacks
):
    make_rule(module=module, audience_departments=[logistics])
    ops_rule = make_rule(module=make_module(), audience_departments=[operations])
    apply_rule(rule=ops_rule)
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_person_url(employee), person_form_data(employee, department=logistics.pk)
        )

    assert response.status_code == 302
    assert open_for(module) == {employee.pk}
    assert Assignment.objects.get(rule=ops_rule, user=employee).status == WITHDRAWN


def test_creating_a_person_in_the_cms_assigns_their_rules(
    client, hr, module, logistics, django_capture_on_commit_callbacks
):
    make_rule(module=module, audience_departments=[logistics])
    client.force_login(hr)
    data = {
        "email": "new.starter@example.com",
        "first_name": "New",
        "last_name": "Starter",
        "password1": "a-long-enough-password-42",
        "password2": "a-long-enough-password-42",
        "is_active": "on",
        "employee_id": "N1",
        "department": logistics.pk,
        "management_level": ManagementLevel.STAFF,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailusers_users:add"), data)

    assert response.status_code == 302, response.context["form"].errors
    assert open_for(module) == {User.objects.get(employee_id="N1").pk}
