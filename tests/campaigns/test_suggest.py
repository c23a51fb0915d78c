"""The suggestion box from the author's side: posting anonymously or signed, what is (not) kept,
the logs, the limits that stop a flood, and following a signed suggestion."""

import logging
import re
import sys
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from campaigns import logging as box_logging
from campaigns.models import Suggestion, SuggestionEvent
from campaigns.services import suggestions as services
from lms.models import User
from tests.factories import DepartmentFactory, UserFactory

IP = "203.0.113.77"
USER_AGENT = "SuggestionBoxProbe/7.31 (anonymity check; distinctive)"
# A fixed moment with a recognisable time of day; the date is today's, so sessions stay valid.
MOMENT = datetime.combine(timezone.localdate(), time(3, 17, 29, 654321), tzinfo=UTC)
MOMENT_TRACES = ["03:17", "3:17", "0317", "03.17", str(int(MOMENT.timestamp()))[:8]]
# The session and the person; the header's manager check, permissions (2) and unread count; then
# the count, the page and its events.
MY_SUGGESTIONS_QUERIES = 9
SUGGESTION_COLUMNS = {
    "id",
    "category",
    "text",
    "department",
    "submitted_on",
    "author",
    "status",
    "owner",
    "action",
    "decline_reason",
    "outcome",
    "status_changed_on",
}


@pytest.fixture
def at_moment(monkeypatch):
    """Time stands at MOMENT (limits count per hour and minute: no boundary mid-test)."""
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    return MOMENT


@pytest.fixture
def prober(db):
    return UserFactory(
        email="box.probe.7731@example.com",
        first_name="Probefirst",
        last_name="Probelast",
        employee_id="PROBE-7731",
        department=DepartmentFactory(name="Probe unit"),
    )


def _form(**overrides):
    return {
        "category": "safety",
        "text": "Put a second handrail on the **mezzanine** stairs.",
        "department": "",
        "identity": "anonymous",
        **overrides,
    }


def _post(client, data=None, **extra):
    return client.post(
        reverse("suggest"),
        data if data is not None else _form(),
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=USER_AGENT,
        **extra,
    )


def _identity_of(client, person: User) -> list[str]:
    return [
        person.email,
        person.first_name,
        person.last_name,
        person.get_full_name(),
        person.employee_id,
        client.session.session_key,
        IP,
        USER_AGENT,
    ]


def _column_values(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


# --- The page


def test_the_box_explains_what_anonymous_means_and_is_anonymous_by_default(client, employee):
    client.force_login(employee)
    response = client.get(reverse("suggest"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What “anonymous” means here" in page
    assert "not the time of day" in page
    assert response.context["form"]["identity"].value() == "anonymous"
    assert re.search(r'value="anonymous"[^>]*checked', page)
    for category in ("Safety", "Quality", "Environment", "Process", "Other"):
        assert category in page


def test_the_box_and_its_thanks_page_sit_under_the_path_the_logs_leave_out():
    assert reverse("suggest").startswith(box_logging.SUGGESTION_BOX_PATH)
    assert reverse("suggest_thanks").startswith(box_logging.SUGGESTION_BOX_PATH)


# --- Anonymity, provably


def test_an_anonymous_suggestion_keeps_nothing_about_who_sent_it_or_when(client, prober, at_moment):
    client.force_login(prober)
    session_before = dict(client.session.items())
    identity = _identity_of(client, prober)

    response = _post(client)

    # Not even the suggestion's number goes back to the browser, to sit in its history.
    assert response.status_code == 302
    assert response["Location"] == reverse("suggest_thanks")
    suggestion = Suggestion.objects.get()
    columns = _column_values(suggestion)
    # A new column must be looked at here before it can pass.
    assert {field.name for field in Suggestion._meta.concrete_fields} == SUGGESTION_COLUMNS
    assert columns["author_id"] is None and columns["owner_id"] is None
    assert columns["department_id"] is None
    assert columns["submitted_on"] == at_moment.date()
    assert columns["status_changed_on"] is None
    for name, value in columns.items():
        assert not isinstance(value, (datetime, time)), name
        for trace in [*identity, *MOMENT_TRACES]:
            assert trace not in str(value), (name, trace)
    # The submission writes no event; any event there is must name nobody either.
    assert not SuggestionEvent.objects.exists()
    for event in SuggestionEvent.objects.all():
        assert event.by_id is None
    # Nor is it remembered in the person's session.
    assert dict(client.session.items()) == session_before


def test_no_table_anywhere_keeps_the_address_or_browser_of_a_suggestion(client, prober, at_moment):
    client.force_login(prober)
    _post(client)
    _post(client, _form(identity="signed"))
    assert Suggestion.objects.count() == 2
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump = repr(cursor.fetchall())
            assert IP not in dump, table
            assert USER_AGENT not in dump, table


def test_requests_to_the_box_leave_no_record_in_the_logs(
    client, prober, caplog, settings, at_moment
):
    settings.LMS_SUGGESTIONS_PER_PERSON_PER_HOUR = 1
    client.force_login(prober)
    caplog.set_level(logging.DEBUG)

    assert _post(client).status_code == 302  # stored
    assert client.get(reverse("suggest_thanks")).status_code == 200
    assert _post(client, _form(text="")).status_code == 400  # Django logs "Bad Request"
    assert _post(client).status_code == 429  # and "Too Many Requests"

    assert caplog.records == []
    for trace in [*_identity_of(client, prober), *MOMENT_TRACES]:
        assert trace not in caplog.text


def test_without_the_filter_the_same_request_would_be_logged_with_the_persons_address(
    client, prober, caplog, monkeypatch
):
    # The control: it is the filter, not luck, that keeps the records above out.
    monkeypatch.setattr(logging.getLogger("django.request"), "filters", [])
    client.force_login(prober)
    caplog.set_level(logging.DEBUG)
    _post(client, _form(text=""))
    (record,) = caplog.records
    assert record.request.META["REMOTE_ADDR"] == IP
    assert record.request.META["HTTP_USER_AGENT"] == USER_AGENT


def test_other_pages_are_still_logged(client, prober, caplog):
    client.force_login(prober)
    caplog.set_level(logging.DEBUG)
    client.get("/no-such-page-7731/")
    assert any(getattr(r, "request", None) for r in caplog.records)


def test_the_development_servers_lines_for_the_box_are_dropped_and_others_kept(caplog):
    caplog.set_level(logging.DEBUG)
    server = logging.getLogger("django.server")
    extra = {"request": object(), "server_time": "06/May/2031 03:17:29"}
    server.info('"%s" %s %s', "POST /suggest/ HTTP/1.1", "302", "0", extra=extra)
    server.info('"%s" %s %s', "GET /suggest/thanks/ HTTP/1.1", "200", "812", extra=extra)
    server.info('"%s" %s %s', "GET /learning/ HTTP/1.1", "200", "5120", extra=extra)
    assert [record.getMessage() for record in caplog.records] == [
        '"GET /learning/ HTTP/1.1" 200 5120'
    ]


def test_a_server_error_in_the_box_is_logged_without_the_request_details_or_time(caplog):
    caplog.set_level(logging.DEBUG)
    request = RequestFactory().post(
        "/suggest/", REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT, data={"text": "secret words"}
    )
    try:
        raise RuntimeError(f"failed for {IP} with secret words")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s",
            request.path,
            exc_info=sys.exc_info(),
            extra={"status_code": 500, "request": request},
        )
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.getMessage() == (
        "The suggestion box failed (RuntimeError); details are withheld to keep it anonymous."
    )
    assert not hasattr(record, "request")
    assert record.exc_info is None
    assert datetime.fromtimestamp(record.created).time() == time(0, 0)
    assert IP not in caplog.text and "secret words" not in caplog.text


def test_every_handler_and_the_loggers_that_carry_requests_hide_the_box():
    logging_config = django_settings.LOGGING
    for name, handler in logging_config["handlers"].items():
        assert "hide_suggestion_box" in handler["filters"], name
    for name in ("django.request", "django.server", "django.security.csrf"):
        assert "hide_suggestion_box" in logging_config["loggers"][name]["filters"], name
    # Django's own unfiltered default handlers are replaced, not kept alongside.
    live_handlers = [
        *logging.getLogger().handlers,
        *logging.getLogger("django").handlers,
        *logging.getLogger("django.server").handlers,
    ]
    # pytest's own capturing handlers are not part of the configuration.
    live_handlers = [h for h in live_handlers if not type(h).__module__.startswith("_pytest")]
    assert live_handlers
    for handler in live_handlers:
        assert any(isinstance(f, box_logging.HideSuggestionBoxRequests) for f in handler.filters), (
            handler
        )


# --- Signed suggestions and following them


def test_a_signed_suggestion_keeps_its_author_and_can_be_followed(client, employee, operations):
    client.force_login(employee)
    response = _post(client, _form(identity="signed", department=operations.pk))
    suggestion = Suggestion.objects.get()
    assert suggestion.author == employee
    assert suggestion.department == operations
    assert suggestion.submitted_on == timezone.localdate()
    assert response["Location"] == f"{reverse('suggest_thanks')}?signed={suggestion.pk}"

    thanks = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("my_suggestions")}#suggestion-{suggestion.pk}"' in thanks

    mine = client.get(reverse("my_suggestions"))
    assert mine.status_code == 200
    page = mine.content.decode()
    assert f'id="suggestion-{suggestion.pk}"' in page
    assert "<strong>mezzanine</strong>" in page
    assert "Status: <span" in page and ">New</span>" in page


def test_the_thanks_page_links_only_the_viewers_own_suggestion(client, employee, manager):
    theirs = Suggestion.objects.create(category="quality", text="Theirs", author=manager)
    client.force_login(employee)
    page = client.get(reverse("suggest_thanks"), {"signed": theirs.pk}).content.decode()
    assert f"#suggestion-{theirs.pk}" not in page
    assert "anonymously" in page


def test_anonymous_suggestions_never_appear_in_my_suggestions(client, employee):
    client.force_login(employee)
    _post(client, _form(text="An anonymous idea about lighting"))
    assert Suggestion.objects.get().author is None
    page = client.get(reverse("my_suggestions")).content.decode()
    assert "An anonymous idea about lighting" not in page
    assert "You have not signed any suggestion yet." in page


def test_my_suggestions_shows_only_the_viewers_own(client, employee, manager):
    Suggestion.objects.create(category="quality", text="The manager's own idea", author=manager)
    Suggestion.objects.create(category="quality", text="The employee's own idea", author=employee)
    client.force_login(employee)
    page = client.get(reverse("my_suggestions")).content.decode()
    assert "The employee's own idea" in page
    assert "The manager's own idea" not in page


def test_my_suggestions_shows_the_answer_and_history_but_not_who_triaged(
    client, employee, comms, hr
):
    declined = Suggestion.objects.create(
        category="process",
        text="Skip the weekly audit",
        author=employee,
        submitted_on=date(2025, 3, 3),
        status=Suggestion.Status.DECLINED,
        decline_reason="The audit is required by clause 9.2.",
        status_changed_on=date(2025, 3, 10),
    )
    done = Suggestion.objects.create(
        category="safety",
        text="Mark the forklift lanes",
        author=employee,
        submitted_on=date(2025, 4, 1),
        status=Suggestion.Status.DONE,
        owner=hr,
        action="Paint the lanes in the warehouse.",
        outcome="Lanes painted on 20 April.",
        status_changed_on=date(2025, 4, 21),
    )
    steps = {
        declined: [
            ("new", "under_review", date(2025, 3, 4)),
            ("under_review", "declined", date(2025, 3, 10)),
        ],
        done: [
            ("new", "under_review", date(2025, 4, 2)),
            ("under_review", "accepted", date(2025, 4, 3)),
            ("accepted", "done", date(2025, 4, 21)),
        ],
    }
    for suggestion, moves in steps.items():
        for from_status, to_status, on in moves:
            SuggestionEvent.objects.create(
                suggestion=suggestion,
                from_status=from_status,
                to_status=to_status,
                on=on,
                by=comms,
                note="Internal triage note 7731",
            )
    client.force_login(employee)
    page = client.get(reverse("my_suggestions")).content.decode()
    assert "The audit is required by clause 9.2." in page
    assert "Paint the lanes in the warehouse." in page
    assert "Lanes painted on 20 April." in page
    assert "10 March 2025</time>: Under review → Declined" in page
    assert "21 April 2025</time>: Accepted → Done" in page
    assert ">Declined</span>" in page and ">Done</span>" in page
    for staff in (comms, hr):
        assert staff.email not in page.replace(f"Signed in as {employee.email}", "")
        assert staff.get_full_name() not in page
    assert "Internal triage note 7731" not in page


def test_my_suggestions_runs_the_same_queries_however_many_there_are(
    client, employee, comms, django_assert_max_num_queries
):
    client.force_login(employee)

    def add(count):
        for number in range(count):
            suggestion = Suggestion.objects.create(
                category="other",
                text=f"Idea {number}",
                author=employee,
                department=employee.department,
            )
            for to_status in ("under_review", "declined"):
                SuggestionEvent.objects.create(
                    suggestion=suggestion, from_status="new", to_status=to_status, by=comms
                )

    add(2)
    client.get(reverse("my_suggestions"))  # warm the per-process caches
    with django_assert_max_num_queries(MY_SUGGESTIONS_QUERIES):
        assert client.get(reverse("my_suggestions")).status_code == 200
    add(40)
    with django_assert_max_num_queries(MY_SUGGESTIONS_QUERIES):
        response = client.get(reverse("my_suggestions"))
    assert len(response.context["entries"]) == 25


# --- Markdown


def test_markdown_is_sanitised_before_it_reaches_the_page(client, employee):
    client.force_login(employee)
    text = (
        "Fine *idea*\n\n<script>alert('box')</script>\n\n"
        "[click me](javascript:alert('box')) <img src=x onerror=alert(1)>"
    )
    _post(client, _form(text=text, identity="signed"))
    page = client.get(reverse("my_suggestions")).content.decode()
    assert "<em>idea</em>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page


# --- Bad input


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": ""}, "text", "Write your suggestion."),
        ({"text": "   \n  "}, "text", "Write your suggestion."),
        ({"category": "gossip"}, "category", "Choose one of the categories listed."),
        ({"category": ""}, "category", "Choose a category."),
        ({"text": "x" * 5_001}, "text", "Keep it to 5000 characters or fewer (it has 5001)."),
        ({"department": "999999"}, "department", "Choose a department from the list."),
        ({"identity": "both"}, "identity", "Choose whether to send it anonymously or signed."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    client, employee, overrides, field, message
):
    client.force_login(employee)
    response = _post(client, _form(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not Suggestion.objects.exists()


def test_text_of_exactly_the_limit_is_accepted(client, employee):
    client.force_login(employee)
    assert _post(client, _form(text="y" * 5_000)).status_code == 302
    assert len(Suggestion.objects.get().text) == 5_000


def test_the_service_refuses_what_the_form_would(employee):
    from django.core.exceptions import ValidationError

    for kwargs in ({"category": "gossip", "text": "x"}, {"category": "safety", "text": " "}):
        with pytest.raises(ValidationError):
            services.submit_suggestion(**kwargs, department=None, author=None)
    with pytest.raises(ValidationError):
        services.submit_suggestion(
            category="safety", text="x" * 5_001, department=None, author=employee
        )
    assert not Suggestion.objects.exists()


# --- Limits


def test_one_person_can_send_only_so_many_an_hour(client, employee, manager, settings, at_moment):
    settings.LMS_SUGGESTIONS_PER_PERSON_PER_HOUR = 2
    client.force_login(employee)
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    refused = _post(client, _form(text="A third idea"))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "You have sent 2 suggestions this hour" in page
    assert "Nothing was stored" in page
    assert "A third idea" in page  # the text is kept in the form
    assert Suggestion.objects.count() == 2
    # Someone else is not held back by it.
    client.force_login(manager)
    assert _post(client).status_code == 302
    assert Suggestion.objects.count() == 3


def test_signed_and_anonymous_suggestions_share_the_persons_limit(
    client, employee, settings, at_moment
):
    settings.LMS_SUGGESTIONS_PER_PERSON_PER_HOUR = 2
    client.force_login(employee)
    assert _post(client, _form(identity="signed")).status_code == 302
    assert _post(client).status_code == 302
    assert _post(client, _form(identity="signed")).status_code == 429
    assert Suggestion.objects.count() == 2


def test_the_box_takes_only_so_many_a_minute_from_everyone(client, personas, settings, at_moment):
    settings.LMS_SUGGESTIONS_PER_MINUTE = 3
    people = [personas[name] for name in ("employee", "manager", "hr", "comms")]
    for person in people[:3]:
        client.force_login(person)
        assert _post(client).status_code == 302
    client.force_login(people[3])
    refused = _post(client, _form(identity="signed"))
    assert refused.status_code == 429
    assert "receiving a great many suggestions right now" in refused.content.decode()
    assert Suggestion.objects.count() == 3


def test_the_limits_start_afresh_with_the_next_hour_and_minute(employee, settings):
    settings.LMS_SUGGESTIONS_PER_PERSON_PER_HOUR = 1
    settings.LMS_SUGGESTIONS_PER_MINUTE = 1
    services.reserve_suggestion_slot(person=employee, now=MOMENT)
    with pytest.raises(services.TooManySuggestions):
        services.reserve_suggestion_slot(person=employee, now=MOMENT + timedelta(seconds=20))
    next_hour = MOMENT.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    services.reserve_suggestion_slot(person=employee, now=next_hour)


def test_the_persons_count_is_kept_under_a_keyed_hash_and_nowhere_in_the_tables(
    client, employee, settings, at_moment
):
    from django.core.cache import cache

    client.force_login(employee)
    _post(client)
    hour = at_moment.replace(minute=0, second=0, microsecond=0)
    key = services.person_hour_key(person_id=employee.pk, hour=hour)
    assert cache.get(key) == 1
    digest = key.removeprefix("suggestions:person:")
    assert len(digest) == 64
    settings.SECRET_KEY = "another-secret-" + "x" * 40
    assert services.person_hour_key(person_id=employee.pk, hour=hour) != key
    # Only the cache holds it (the embedded default keeps its cache in a table of its own).
    cache_table = django_settings.CACHES["default"].get("LOCATION")
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table == cache_table:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert digest not in repr(cursor.fetchall()), table


def test_the_counters_expire_at_the_end_of_their_period(employee, monkeypatch):
    # An expiry taken from the moment of posting would keep the time of day in the cache.
    timeouts = []
    real_cache = services.cache

    class Recording:
        def add(self, key, value, timeout):
            timeouts.append((key, timeout))
            return real_cache.add(key, value, timeout)

        def touch(self, key, timeout):
            timeouts.append((key, timeout))
            return real_cache.touch(key, timeout)

        def incr(self, key):
            return real_cache.incr(key)

    monkeypatch.setattr(services, "cache", Recording())
    services.reserve_suggestion_slot(person=employee, now=MOMENT)
    services.reserve_suggestion_slot(person=employee, now=MOMENT + timedelta(seconds=5))
    end_of_hour = MOMENT.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    end_of_minute = MOMENT.replace(second=0, microsecond=0) + timedelta(minutes=1)
    assert len(timeouts) == 6  # add, add; then add, incr+touch for each counter
    for key, timeout in timeouts:
        end = end_of_hour if key.startswith("suggestions:person:") else end_of_minute
        assert any(
            abs((moment + timedelta(seconds=timeout)) - end) < timedelta(microseconds=1)
            for moment in (MOMENT, MOMENT + timedelta(seconds=5))
        ), key
