"""The triage of the suggestion box: new → under review → accepted (owner and action) or declined
(reason) → done (outcome), each step an event, the signed author told, acceptance and completion
announced once the transaction commits; the list and detail pages for the Communications team;
and the demo suggestions."""

import datetime
import io
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.demo import SUGGESTIONS, seed_suggestions
from campaigns.models import Suggestion, SuggestionEvent
from campaigns.services.triage import NEXT_STEPS, move_suggestion
from campaigns.signals import suggestion_accepted, suggestion_done
from lms.demo import demo_roster
from lms.models import Notification
from lms.services.roster import import_roster
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Suggestion.Status
NEW, REVIEW, ACCEPTED, DECLINED, DONE = Status.values


def suggestion_in(status=NEW, *, author=None, owner=None, **fields):
    """A suggestion standing in `status`, with what that status needs."""
    data = {
        "category": Suggestion.Category.SAFETY,
        "text": "Fit a guard on the bench grinder.",
        "author": author,
        "status": status,
    }
    if status in (ACCEPTED, DONE):
        data |= {"owner": owner or UserFactory(), "action": "Order and fit the guard."}
    if status == DECLINED:
        data["decline_reason"] = "A new grinder with a guard is already on order."
    if status == DONE:
        data["outcome"] = "Guard fitted."
    return Suggestion.objects.create(**(data | fields))


STEP_ARGUMENTS = {
    REVIEW: {},
    ACCEPTED: {"action": "Order and fit the guard."},
    DECLINED: {"reason": "A new grinder is on order."},
    DONE: {"outcome": "Guard fitted on the 3rd."},
}


def step(suggestion, to_status, by, **overrides):
    arguments = dict(STEP_ARGUMENTS.get(to_status, {}))
    if to_status == ACCEPTED:
        arguments["owner"] = overrides.pop("owner", None) or UserFactory()
    return move_suggestion(
        suggestion=suggestion, to_status=to_status, by=by, **arguments | overrides
    )


def stored(suggestion) -> dict:
    return Suggestion.objects.values().get(pk=suggestion.pk)


@pytest.fixture
def heard():
    """What the two signals announced, in order."""
    received = []

    def listener(signal, sender, **kwargs):
        received.append((signal, kwargs))

    for signal in (suggestion_accepted, suggestion_done):
        signal.connect(listener, dispatch_uid="triage-test")
    yield received
    for signal in (suggestion_accepted, suggestion_done):
        signal.disconnect(dispatch_uid="triage-test")


# --- The workflow


ALLOWED = [(start, to) for start, steps in NEXT_STEPS.items() for to in steps]
REFUSED = [
    (start, to)
    for start, to in itertools.product(Status.values, Status.values)
    if start != to and (start, to) not in ALLOWED
]


def test_the_workflow_allows_exactly_the_four_steps_of_the_triage():
    assert set(ALLOWED) == {(NEW, REVIEW), (REVIEW, ACCEPTED), (REVIEW, DECLINED), (ACCEPTED, DONE)}
    assert (NEW, DONE) in REFUSED
    assert (DECLINED, ACCEPTED) in REFUSED
    assert {to for start, to in REFUSED if start == DONE} == {NEW, REVIEW, ACCEPTED, DECLINED}


@pytest.mark.parametrize(("start", "to_status"), ALLOWED)
def test_an_allowed_step_moves_it_dates_it_and_writes_the_event(comms, start, to_status):
    suggestion = suggestion_in(start, status_changed_on=datetime.date(2020, 1, 1))
    owner = UserFactory()
    move = step(suggestion, to_status, comms, owner=owner, note="  Seen at the weekly meeting. ")
    assert move.moved is True
    row = stored(suggestion)
    assert row["status"] == to_status
    assert row["status_changed_on"] == timezone.localdate()
    event = SuggestionEvent.objects.get(suggestion=suggestion)
    assert (event.from_status, event.to_status, event.by, event.on) == (
        start,
        to_status,
        comms,
        timezone.localdate(),
    )
    assert event.note == "Seen at the weekly meeting."
    assert type(event.on) is datetime.date
    if to_status == ACCEPTED:
        assert (row["owner_id"], row["action"]) == (owner.pk, "Order and fit the guard.")
    if to_status == DECLINED:
        assert row["decline_reason"] == "A new grinder is on order."
    if to_status == DONE:
        assert row["outcome"] == "Guard fitted on the 3rd."


@pytest.mark.parametrize(("start", "to_status"), REFUSED)
def test_any_other_move_is_refused_and_changes_nothing(comms, start, to_status):
    suggestion = suggestion_in(start)
    before = stored(suggestion)
    with pytest.raises(ValidationError) as refused:
        step(suggestion, to_status, comms)
    assert "cannot be" in refused.value.messages[0]
    assert stored(suggestion) == before
    assert not SuggestionEvent.objects.exists()
    assert not Notification.objects.exists()


def test_the_refusal_says_what_may_come_next_or_that_the_triage_is_over(comms):
    with pytest.raises(ValidationError) as early:
        step(suggestion_in(NEW), DONE, comms)
    assert early.value.messages == [
        "A suggestion that is new cannot be marked done; it can only be put under review next."
    ]
    with pytest.raises(ValidationError) as late:
        step(suggestion_in(DECLINED), ACCEPTED, comms)
    assert late.value.messages == [
        "A suggestion that is declined cannot be accepted: its triage is over."
    ]


def test_the_stored_status_decides_not_a_stale_copy(comms):
    suggestion = suggestion_in(REVIEW)
    stale = Suggestion.objects.get(pk=suggestion.pk)
    step(suggestion, DECLINED, comms)
    with pytest.raises(ValidationError):
        step(stale, ACCEPTED, comms)
    assert stored(suggestion)["status"] == DECLINED


@pytest.mark.parametrize(
    ("to_status", "missing", "field"),
    [
        (ACCEPTED, {"owner": None}, "owner"),
        (ACCEPTED, {"action": "   "}, "action"),
        (DECLINED, {"reason": ""}, "reason"),
        (DONE, {"outcome": "\n"}, "outcome"),
    ],
)
def test_a_step_without_what_it_needs_is_refused(comms, to_status, missing, field):
    suggestion = suggestion_in(ACCEPTED if to_status == DONE else REVIEW)
    before = stored(suggestion)
    arguments = dict(STEP_ARGUMENTS[to_status], **missing)
    if to_status == ACCEPTED:
        arguments.setdefault("owner", UserFactory())
    with pytest.raises(ValidationError) as refused:
        move_suggestion(suggestion=suggestion, to_status=to_status, by=comms, **arguments)
    assert field in refused.value.message_dict
    assert stored(suggestion) == before
    assert not SuggestionEvent.objects.exists()


def test_a_person_who_has_left_cannot_own_the_action(comms):
    suggestion = suggestion_in(REVIEW)
    with pytest.raises(ValidationError) as refused:
        step(suggestion, ACCEPTED, comms, owner=UserFactory(is_active=False))
    assert "owner" in refused.value.message_dict
    assert stored(suggestion)["status"] == REVIEW


def test_only_the_communications_team_may_triage(employee, hr):
    suggestion = suggestion_in(NEW)
    for person in (employee, hr):
        with pytest.raises(PermissionDenied):
            step(suggestion, REVIEW, person)
    assert stored(suggestion)["status"] == NEW


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ACCEPTED, "action": "Fit the guard."},
        {"status": ACCEPTED, "owner_id": "owner"},
        {"status": DECLINED},
    ],
)
def test_the_database_refuses_an_accepted_or_declined_row_without_its_reasons(fields):
    if fields.get("owner_id"):
        fields["owner_id"] = UserFactory().pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(category="safety", text="Fit a guard.", **fields)


def test_asking_for_the_status_it_already_has_changes_nothing(comms, heard):
    owner = UserFactory()
    suggestion = suggestion_in(ACCEPTED, author=UserFactory(), owner=owner)
    before = stored(suggestion)
    move = step(suggestion, ACCEPTED, comms, owner=UserFactory(), action="Something else.")
    assert move.moved is False
    assert stored(suggestion) == before
    assert not SuggestionEvent.objects.exists()
    assert not Notification.objects.exists()
    assert heard == []


# --- What is announced, and to whom


def test_accepting_announces_it_once_after_the_commit(
    comms, heard, employee, django_capture_on_commit_callbacks
):
    suggestion = suggestion_in(REVIEW, author=employee)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        step(suggestion, ACCEPTED, comms)
        assert heard == []
    # Listeners may queue work of their own after it; the app itself queues the one signal.
    assert sum(getattr(c, "func", None) == suggestion_accepted.send for c in callbacks) == 1
    assert heard == [
        (
            suggestion_accepted,
            {"suggestion_id": suggestion.pk, "author_id": employee.pk, "status": ACCEPTED},
        )
    ]


def test_marking_done_announces_it_once_after_the_commit_even_when_anonymous(
    comms, heard, django_capture_on_commit_callbacks
):
    suggestion = suggestion_in(ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        step(suggestion, DONE, comms)
        assert heard == []
    assert sum(getattr(c, "func", None) == suggestion_done.send for c in callbacks) == 1
    assert heard == [
        (suggestion_done, {"suggestion_id": suggestion.pk, "author_id": None, "status": DONE})
    ]


@pytest.mark.parametrize(("start", "to_status"), [(NEW, REVIEW), (REVIEW, DECLINED)])
def test_review_and_decline_announce_nothing(
    comms, heard, start, to_status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        step(suggestion_in(start), to_status, comms)
    assert callbacks == []
    assert heard == []


def test_nothing_is_announced_when_the_transaction_rolls_back(
    comms, heard, django_capture_on_commit_callbacks
):
    suggestion = suggestion_in(REVIEW)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        step(suggestion, ACCEPTED, comms)
        raise RuntimeError("rolled back")
    assert heard == []
    assert stored(suggestion)["status"] == REVIEW


def test_the_signed_author_is_told_of_every_step_in_the_app(comms, employee):
    suggestion = suggestion_in(NEW, author=employee, submitted_on=datetime.date(2026, 3, 2))
    owner = UserFactory(first_name="Plant", last_name="Engineer")
    step(suggestion, REVIEW, comms)
    step(suggestion, ACCEPTED, comms, owner=owner, action="Fit a guard by Friday.")
    step(suggestion, DONE, comms, outcome="Guard fitted.")
    notes = list(Notification.objects.filter(user=employee).order_by("pk"))
    assert [note.kind for note in notes] == [Notification.Kind.SUGGESTION] * 3
    assert [note.message for note in notes] == [
        "Your safety suggestion of 2 March 2026 is now under review",
        "Your safety suggestion of 2 March 2026 was accepted: Fit a guard by Friday.",
        "Your safety suggestion of 2 March 2026 is done: Guard fitted.",
    ]
    assert {note.url for note in notes} == {reverse("my_suggestions")}
    assert all(comms.get_full_name() not in note.message for note in notes)


def test_the_author_is_told_why_it_was_declined(comms, employee):
    suggestion = suggestion_in(REVIEW, author=employee)
    step(suggestion, DECLINED, comms, reason="Already covered by the new layout.")
    assert Notification.objects.get(user=employee).message.endswith(
        "was declined: Already covered by the new layout."
    )


def test_nobody_is_told_of_an_anonymous_suggestions_steps(comms):
    suggestion = suggestion_in(NEW)
    step(suggestion, REVIEW, comms)
    step(suggestion, ACCEPTED, comms)
    step(suggestion, DONE, comms)
    assert not Notification.objects.exists()


# --- The list page


def list_of(client, person, **params):
    client.force_login(person)
    return client.get(reverse("suggestion_triage"), params)


def test_the_list_puts_open_ones_first_then_newest_first(client, comms):
    today = timezone.localdate()
    done = suggestion_in(DONE, submitted_on=today)
    review = suggestion_in(REVIEW, submitted_on=today - datetime.timedelta(days=9))
    old_new = suggestion_in(NEW, submitted_on=today - datetime.timedelta(days=30))
    new = suggestion_in(NEW, submitted_on=today - datetime.timedelta(days=1))
    declined = suggestion_in(DECLINED, submitted_on=today - datetime.timedelta(days=2))
    accepted = suggestion_in(ACCEPTED, submitted_on=today - datetime.timedelta(days=3))
    listing = list_of(client, comms).context["listing"]
    assert list(listing.page.object_list) == [new, old_new, review, accepted, declined, done]


def test_the_author_column_names_a_signed_author_and_hides_an_anonymous_one(client, comms):
    author = UserFactory(first_name="Signed", last_name="Author")
    suggestion_in(NEW, author=author, text="Signed idea")
    suggestion_in(NEW, text="Anonymous idea")
    page = list_of(client, comms).content.decode()
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[2:]}
    assert "Signed Author" in rows["Signed idea"]
    assert "Anonymous" in rows["Anonymous idea"]
    assert "Signed Author" not in rows["Anonymous idea"]


def test_the_list_filters_by_status_and_category(client, comms):
    safety_new = suggestion_in(NEW)
    quality_new = suggestion_in(NEW, category=Suggestion.Category.QUALITY)
    safety_review = suggestion_in(REVIEW)
    safety_done = suggestion_in(DONE)

    def listed(**params):
        return set(list_of(client, comms, **params).context["listing"].page.object_list)

    assert listed(status=NEW) == {safety_new, quality_new}
    assert listed(status="open", category="safety") == {safety_new, safety_review}
    assert listed(category="safety") == {safety_new, safety_review, safety_done}
    assert listed(status=DONE, category="quality") == set()


def test_the_counts_per_status_follow_the_category_but_not_the_status(client, comms):
    for status in (NEW, NEW, REVIEW, DONE):
        suggestion_in(status)
    suggestion_in(NEW, category=Suggestion.Category.QUALITY)
    listing = list_of(client, comms, status=DONE, category="safety").context["listing"]
    assert [(entry.label, entry.count) for entry in listing.counts] == [
        ("New", 2),
        ("Under review", 1),
        ("Accepted", 0),
        ("Declined", 0),
        ("Done", 1),
    ]


def test_a_bad_filter_value_is_a_400_with_the_forms_error(client, comms):
    suggestion_in(NEW)
    response = list_of(client, comms, status="lost")
    assert response.status_code == 400
    assert response.context["form"].errors["status"]
    assert response.context["listing"] is None


def test_the_list_pages_by_fifty(client, comms):
    Suggestion.objects.bulk_create(
        Suggestion(category="safety", text=f"Idea {n}") for n in range(51)
    )
    first = list_of(client, comms).context["listing"].page
    assert len(first.object_list) == 50
    assert first.paginator.num_pages == 2
    assert len(list_of(client, comms, page=2).context["listing"].page.object_list) == 1


@pytest.mark.parametrize("size", [3, 60])
def test_the_list_costs_the_same_queries_whatever_the_size(
    client, comms, size, django_assert_max_num_queries
):
    authors = [UserFactory(department=DepartmentFactory()) for _ in range(3)]
    Suggestion.objects.bulk_create(
        Suggestion(
            category="safety",
            text=f"Idea {n}",
            author=authors[n % 3] if n % 2 else None,
            department=authors[n % 3].department,
        )
        for n in range(size)
    )
    client.force_login(comms)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("suggestion_triage"))
    assert response.status_code == 200


# --- The detail page


def detail_url(suggestion):
    return reverse("suggestion_triage_detail", args=[suggestion.pk])


def test_the_detail_renders_the_text_through_the_sanitising_markdown(client, comms):
    suggestion = suggestion_in(NEW, text="Use **two** people <script>alert(1)</script> to lift.")
    client.force_login(comms)
    page = client.get(detail_url(suggestion)).content.decode()
    assert "<strong>two</strong>" in page
    assert "<script>alert(1)" not in page


def test_the_detail_shows_the_history_with_who_took_each_step(client, comms):
    suggestion = suggestion_in(NEW)
    step(suggestion, REVIEW, comms, note="Raised at the safety committee.")
    client.force_login(comms)
    response = client.get(detail_url(suggestion))
    assert [event.to_status for event in response.context["history"]] == [REVIEW]
    page = response.content.decode()
    assert "new → under review" in page
    assert "Raised at the safety committee." in page


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (NEW, [REVIEW]),
        (REVIEW, [ACCEPTED, DECLINED]),
        (ACCEPTED, [DONE]),
        (DECLINED, []),
        (DONE, []),
    ],
)
def test_the_detail_offers_only_the_allowed_next_steps(client, comms, status, offered):
    client.force_login(comms)
    response = client.get(detail_url(suggestion_in(status)))
    assert [form.to_status for form in response.context["step_forms"]] == offered
    page = response.content.decode()
    for to_status in set(Status.values) - set(offered):
        assert f'name="to_status" value="{to_status}"' not in page


def test_the_owner_is_chosen_among_active_people_on_the_roster(client, comms):
    active = UserFactory()
    gone = UserFactory(is_active=False)
    service_account = UserFactory(employee_id=None)
    client.force_login(comms)
    response = client.get(detail_url(suggestion_in(REVIEW)))
    accept = next(f for f in response.context["step_forms"] if f.to_status == ACCEPTED)
    owners = set(accept.fields["owner"].queryset)
    assert active in owners
    assert gone not in owners
    assert service_account not in owners


def test_an_unknown_suggestion_is_a_404_for_the_team_and_a_403_for_others(client, comms, employee):
    url = reverse("suggestion_triage_detail", args=[999_999])
    client.force_login(comms)
    assert client.get(url).status_code == 404
    client.force_login(employee)
    assert client.get(url).status_code == 403


def test_a_superuser_may_triage(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    suggestion = suggestion_in(NEW)
    client.force_login(admin)
    response = client.post(detail_url(suggestion), {"to_status": REVIEW})
    assert response.status_code == 302
    assert stored(suggestion)["status"] == REVIEW


def accept_data(owner, **overrides):
    return {
        "to_status": ACCEPTED,
        "accepted-owner": owner.pk,
        "accepted-action": "Fit a guard by Friday.",
        "accepted-note": "",
    } | overrides


def test_posting_a_step_takes_it_and_comes_back_to_the_suggestion(
    client, comms, employee, heard, django_capture_on_commit_callbacks
):
    suggestion = suggestion_in(REVIEW, author=employee)
    owner = UserFactory()
    client.force_login(comms)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(suggestion), accept_data(owner))
    assert response.status_code == 302
    assert response["Location"] == detail_url(suggestion)
    row = stored(suggestion)
    assert (row["status"], row["owner_id"], row["action"]) == (
        ACCEPTED,
        owner.pk,
        "Fit a guard by Friday.",
    )
    assert len(heard) == 1
    assert "The suggestion is now accepted." in client.get(response["Location"]).content.decode()


def test_a_second_identical_post_changes_nothing_and_says_so(
    client, comms, employee, heard, django_capture_on_commit_callbacks
):
    suggestion = suggestion_in(REVIEW, author=employee)
    data = accept_data(UserFactory())
    client.force_login(comms)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(detail_url(suggestion), data)
        after_first = stored(suggestion)
        second = client.post(detail_url(suggestion), data, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "The suggestion was already accepted; nothing changed." in second.content.decode()
    assert stored(suggestion) == after_first
    assert SuggestionEvent.objects.filter(suggestion=suggestion).count() == 1
    assert Notification.objects.filter(user=employee).count() == 1
    assert len(heard) == 1


@pytest.mark.parametrize(
    ("status", "data", "message"),
    [
        (REVIEW, {"accepted-action": ""}, "Say what will be done."),
        (REVIEW, {"accepted-owner": ""}, "Choose who will carry out the action."),
        (REVIEW, {"to_status": DECLINED}, "Say why the suggestion is declined."),
        (ACCEPTED, {"to_status": DONE, "done-outcome": " "}, "Say what was done."),
        (NEW, {"to_status": DONE, "done-outcome": "Fitted."}, "cannot be marked done"),
        (DECLINED, {}, "cannot be accepted: its triage is over."),
        (NEW, {"to_status": "archived"}, "Choose one of the steps offered on this page"),
    ],
)
def test_a_bad_post_is_a_400_with_the_errors_and_changes_nothing(
    client, comms, employee, status, data, message
):
    suggestion = suggestion_in(status, author=employee)
    before = stored(suggestion)
    client.force_login(comms)
    response = client.post(detail_url(suggestion), accept_data(UserFactory()) | data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored(suggestion) == before
    assert not SuggestionEvent.objects.exists()
    assert not Notification.objects.exists()


def test_an_owner_who_has_left_is_refused_by_the_form(client, comms):
    suggestion = suggestion_in(REVIEW)
    client.force_login(comms)
    response = client.post(detail_url(suggestion), accept_data(UserFactory(is_active=False)))
    assert response.status_code == 400
    assert response.context["failed_form"].errors["owner"] == [
        "Choose an active person as the owner."
    ]
    assert stored(suggestion)["status"] == REVIEW


def test_an_empty_post_is_a_400(client, comms):
    suggestion = suggestion_in(NEW)
    client.force_login(comms)
    assert client.post(detail_url(suggestion)).status_code == 400
    assert stored(suggestion)["status"] == NEW


# --- Navigation


def test_the_suggestions_link_is_for_the_team_only(client, comms, employee, hr):
    def links_of(person):
        client.force_login(person)
        return {
            key: href
            for key, _label, href in client.get(reverse("my_learning")).context["nav_links"]
        }

    assert links_of(comms)["suggestions"] == reverse("suggestion_triage")
    assert "suggestions" not in links_of(employee)
    assert "suggestions" not in links_of(hr)


# --- The demo


@pytest.fixture
def demo_organisation(db):
    import_roster(rows=demo_roster(), invite_new_people=False)


def test_the_demo_seeds_every_state_once_however_often_it_runs(demo_organisation):
    def counts():
        return (
            Suggestion.objects.count(),
            SuggestionEvent.objects.count(),
            Notification.objects.count(),
        )

    assert seed_suggestions() == len(SUGGESTIONS)
    seeded = counts()
    assert seed_suggestions() == 0
    assert counts() == seeded
    assert seeded[0] == 14


def test_the_demo_covers_the_triage_as_people_would_meet_it(demo_organisation):
    seed_suggestions()
    today = timezone.localdate()
    suggestions = list(Suggestion.objects.select_related("author", "owner", "department"))
    statuses = [s.status for s in suggestions]
    assert set(statuses) == set(Status.values)
    assert min(statuses.count(status) for status in Status.values) >= 2
    assert any(s.is_anonymous for s in suggestions)
    assert {s.author.email for s in suggestions if s.author} >= {"employee@demo.example"}
    assert len({s.category for s in suggestions}) == len(Suggestion.Category.values)
    assert len({s.department_id for s in suggestions if s.department_id}) >= 3
    assert all(today - datetime.timedelta(days=183) <= s.submitted_on <= today for s in suggestions)
    for suggestion in suggestions:
        events = list(suggestion.events.order_by("on", "pk"))
        chain = [NEW, *(event.to_status for event in events)]
        assert [event.from_status for event in events] == chain[:-1]
        assert chain[-1] == suggestion.status
        assert all(suggestion.submitted_on <= event.on <= today for event in events)
        assert all(event.by.email == "comms@demo.example" for event in events)
        if suggestion.owner:
            assert suggestion.owner.reports.exists(), "owners are the demo's managers"
        if events:
            assert suggestion.status_changed_on == events[-1].on
    employee_notes = Notification.objects.filter(
        user__email="employee@demo.example", kind=Notification.Kind.SUGGESTION
    )
    assert (
        employee_notes.count()
        == SuggestionEvent.objects.filter(suggestion__author__email="employee@demo.example").count()
    )


def test_the_demo_command_seeds_the_suggestions_and_says_how_many(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"{len(SUGGESTIONS)} suggestions ({len(SUGGESTIONS)} new)" in out.getvalue()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"{len(SUGGESTIONS)} suggestions (0 new)" in out.getvalue()
