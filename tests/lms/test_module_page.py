"""The learner's module page and the catalogue, and editing and previewing modules in the CMS."""

import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.models import Completion, ManagementLevel, ModuleStart, SectionDone
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory
from tests.lms.factories_training import (
    for_audience,
    make_case_study,
    make_catalogue,
    make_clause,
    make_module,
    make_standard,
    md,
    section,
)

pytestmark = pytest.mark.django_db

FOR_MIDDLE = "Open the weekly meeting with one quality result."
FOR_OPERATIONS = "In Operations the start-up meeting is at six."
FOR_ROLE = "Forklift drivers check the mast chains."


def done_url(module, section_id):
    return reverse("module_section_done", args=[module.pk, section_id])


def queries_to_get(client, url) -> int:
    """Queries to serve `url` once Wagtail's site cache is warm: the bound for larger data."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def progress_text(response) -> str:
    return re.search(r'id="progress-text"[^>]*>([^<]*)<', response.content.decode()).group(1)


@pytest.fixture
def module():
    clause = make_clause(
        standard=make_standard(name="ISO 9001:2015"), number="7.3", title="Awareness"
    )
    return make_module(
        title="Quality awareness",
        summary="What the quality policy asks of you.",
        estimated_minutes=20,
        refresher_months=12,
        clauses=[clause],
        body=[
            section("What the system is", md("The way we work, written down.")),
            section("Your part", md("Know the policy.")),
        ],
    )


class TestModulePage:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client, module):
        response = client.get(module.url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={module.url}"
        assert not ModuleStart.objects.exists()

    def test_opening_it_records_the_start_once(self, client, employee, module):
        client.force_login(employee)
        client.get(module.url)
        client.get(module.url)
        assert ModuleStart.objects.filter(user=employee, module=module).count() == 1

    def test_it_shows_summary_minutes_clauses_and_progress(self, client, employee, module):
        client.force_login(employee)
        response = client.get(module.url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "What the quality policy asks of you." in html
        assert "About 20 minutes" in html
        assert "ISO 9001:2015 7.3</span> Awareness" in html
        assert '<progress class="module-progress__bar" max="2" value="0"' in html
        assert progress_text(response) == "0 of 2 sections done"

    def test_each_section_has_an_h2_and_a_done_button_posting_to_its_url(
        self, client, employee, module
    ):
        client.force_login(employee)
        html = client.get(module.url).content.decode()
        for section_id, title in zip(
            module.section_ids(), ["What the system is", "Your part"], strict=True
        ):
            assert f'id="section-{section_id}-title">{title}</h2>' in html
            action = done_url(module, section_id)
            assert f'<form class="module-section__done" method="post" action="{action}">' in html
        assert html.count("Mark this section as done") == 2
        assert html.count('name="csrfmiddlewaretoken"') >= 2

    def test_marking_a_section_done_returns_to_its_anchor_and_shows_it_done(
        self, client, employee, module
    ):
        client.force_login(employee)
        first = module.section_ids()[0]
        response = client.post(done_url(module, first))
        assert response.status_code == 302
        assert response["Location"] == f"{module.url}#section-{first}"
        page = client.get(module.url)
        assert progress_text(page) == "1 of 2 sections done"
        assert page.content.decode().count("Mark this section as done") == 1
        assert "You marked this section as done." in page.content.decode()

    def test_the_last_section_completes_the_module_and_the_page_says_when(
        self, client, employee, module
    ):
        client.force_login(employee)
        for section_id in module.section_ids():
            response = client.post(done_url(module, section_id))
        assert response["Location"] == module.url
        page = client.get(module.url)
        html = page.content.decode()
        today = timezone.localdate()
        assert "You completed “Quality awareness”. Well done." in html
        assert f"Completed on {today:%-d %B %Y}." in html
        due = (
            today.replace(year=today.year + 1)
            if not (today.month == 2 and today.day == 29)
            else None
        )
        if due:
            assert f"A refresher is due by {due:%-d %B %Y}." in html
        assert "Mark this section as done" not in html
        assert Completion.objects.filter(user=employee, module=module).count() == 1

    def test_an_unknown_section_gets_a_400_with_a_message_and_changes_nothing(
        self, client, employee, module
    ):
        client.force_login(employee)
        response = client.post(done_url(module, "no-such-section"))
        assert response.status_code == 400
        assert "has no section with the id" in response.content.decode()
        assert not SectionDone.objects.exists()

    def test_a_draft_module_cannot_be_progressed(self, client, employee):
        draft = make_module(title="Draft", live=False)
        client.force_login(employee)
        response = client.post(done_url(draft, draft.section_ids()[0]))
        assert response.status_code == 404
        assert not SectionDone.objects.exists()

    def test_marking_done_needs_a_post_with_a_csrf_token(self, employee, module):
        client = Client(enforce_csrf_checks=True)
        client.force_login(employee)
        url = done_url(module, module.section_ids()[0])
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 403
        assert not SectionDone.objects.exists()

    def test_anonymous_cannot_mark_a_section_done(self, client, module):
        response = client.post(done_url(module, module.section_ids()[0]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not SectionDone.objects.exists()

    def test_its_queries_do_not_grow_with_the_number_of_sections(
        self, client, employee, django_assert_max_num_queries
    ):
        client.force_login(employee)
        baseline = queries_to_get(client, make_module(sections=1, clauses=[make_clause()]).url)
        for sections in (3, 9):
            module = make_module(sections=sections, clauses=[make_clause(), make_clause()])
            client.get(module.url)  # the first visit also records the start
            with django_assert_max_num_queries(baseline):
                assert client.get(module.url).status_code == 200


class TestAudienceSections:
    """An audience section's text is absent from the HTML sent to anyone outside its audience."""

    @pytest.fixture
    def forklift(self):
        return JobRoleFactory(name="Forklift Driver")

    @pytest.fixture
    def targeted(self, operations, forklift):
        return make_module(
            title="Leading quality",
            body=[
                section(
                    "In your team",
                    md("For everyone."),
                    for_audience(md(FOR_MIDDLE), levels=(ManagementLevel.MIDDLE,)),
                    for_audience(md(FOR_OPERATIONS), departments=(operations,)),
                    for_audience(md(FOR_ROLE), job_roles=(forklift,)),
                ),
                section("Wrap-up"),
            ],
        )

    def page_for(self, user, module) -> str:
        client = Client()
        client.force_login(user)
        response = client.get(module.url)
        assert response.status_code == 200
        return response.content.decode()

    def test_by_level(self, targeted, manager, other_manager):
        assert FOR_MIDDLE in self.page_for(manager, targeted)
        assert FOR_MIDDLE not in self.page_for(other_manager, targeted)

    def test_by_department_including_sub_departments(self, targeted, operations, outsider):
        line_2 = DepartmentFactory(name="Line 2", parent=operations)
        assert FOR_OPERATIONS in self.page_for(UserFactory(department=line_2), targeted)
        assert FOR_OPERATIONS in self.page_for(UserFactory(department=operations), targeted)
        assert FOR_OPERATIONS not in self.page_for(outsider, targeted)

    def test_by_job_role(self, targeted, forklift, employee):
        assert FOR_ROLE in self.page_for(UserFactory(job_role=forklift), targeted)
        assert FOR_ROLE not in self.page_for(employee, targeted)

    def test_a_staff_member_elsewhere_gets_none_of_them(self, targeted, outsider):
        html = self.page_for(outsider, targeted)
        assert "For everyone." in html
        for secret in (FOR_MIDDLE, FOR_OPERATIONS, FOR_ROLE):
            assert secret not in html


class TestPreview:
    @pytest.fixture
    def targeted(self):
        return make_module(
            title="Previewed",
            body=[
                section(
                    "Leading",
                    md("Shared text."),
                    for_audience(md(FOR_MIDDLE), levels=(ManagementLevel.MIDDLE,)),
                    for_audience(md("Top only."), levels=(ManagementLevel.TOP,)),
                ),
            ],
        )

    def preview(self, module, user, mode) -> str:
        request = RequestFactory().get("/")
        request.user = user
        response = module.make_preview_request(request, mode)
        assert response.status_code == 200
        return response.content.decode()

    def test_the_modes_offer_each_management_level(self, targeted):
        modes = dict(targeted.preview_modes)
        assert modes["middle"] == "As middle management"
        assert set(ManagementLevel.values) < set(modes)

    def test_previewing_as_a_level_shows_only_that_levels_sections(self, targeted, comms):
        as_middle = self.preview(targeted, comms, "middle")
        assert FOR_MIDDLE in as_middle
        assert "Top only." not in as_middle
        assert "Preview as middle management." in as_middle
        as_top = self.preview(targeted, comms, "top")
        assert "Top only." in as_top
        assert FOR_MIDDLE not in as_top

    def test_previewing_as_yourself_applies_your_own_audience(self, targeted, comms):
        html = self.preview(targeted, comms, "")
        assert "Shared text." in html
        assert FOR_MIDDLE not in html
        assert "Top only." not in html

    def test_previewing_every_audience_shows_them_all_and_records_nothing(self, targeted, comms):
        html = self.preview(targeted, comms, "every-audience")
        assert FOR_MIDDLE in html
        assert "Top only." in html
        assert "Mark this section as done" not in html
        assert not ModuleStart.objects.exists()


class TestCatalogue:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        catalogue = make_catalogue()
        response = client.get(catalogue.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_it_lists_modules_for_the_viewer_first_and_the_others_apart(
        self, client, employee, operations
    ):
        clause = make_clause(number="7.2", title="Competence")
        for_all = make_module(title="For all staff", estimated_minutes=12, clauses=[clause])
        for_middle = make_module(
            title="For middle managers", audience_levels=[ManagementLevel.MIDDLE]
        )
        for_ops = make_module(title="For Operations", audience_departments=[operations])
        make_module(title="Unpublished draft", live=False)
        client.force_login(employee)
        response = client.get(make_catalogue().url)
        listing = response.context["listing"]
        assert {m.pk for m in listing.for_you} == {for_all.pk, for_ops.pk}
        assert [m.pk for m in listing.others] == [for_middle.pk]
        html = response.content.decode()
        assert (
            html.index("For Operations")
            < html.index("Other modules")
            < html.index("For middle managers")
        )
        assert "About 12 minutes" in html
        assert "ISO 9001:2015 7.2</span> Competence" in html
        assert "Unpublished draft" not in html

    def test_it_marks_modules_started_and_completed(self, client, employee):
        started = make_module(title="Started one")
        completed = make_module(title="Completed one")
        ModuleStart.objects.create(user=employee, module=started)
        Completion.objects.create(user=employee, module=completed)
        client.force_login(employee)
        html = client.get(make_catalogue().url).content.decode()
        started_card = html[html.index("Started one") :][:600]
        completed_card = html[html.index("Completed one") :][:600]
        assert 'tag--started">Started' in started_card
        assert 'tag--done">Completed' in completed_card

    def test_it_shows_case_studies_of_the_viewers_department(self, client, employee, operations):
        make_case_study(title="Elsewhere", department=DepartmentFactory(name="Finance"))
        ours = make_case_study(title="Ours", department=operations)
        client.force_login(employee)
        response = client.get(make_catalogue().url)
        assert response.context["case_studies"][0] == ours
        assert "Case studies for you" in response.content.decode()

    def test_its_queries_are_fixed_whatever_the_number_of_modules(
        self, client, employee, operations, django_assert_max_num_queries
    ):
        client.force_login(employee)
        standard = make_standard()
        url = make_catalogue().url

        def add(count):
            for n in range(count):
                make_module(
                    clauses=[make_clause(standard=standard)],
                    audience_departments=[operations] if n % 2 else [],
                    audience_levels=[ManagementLevel.MIDDLE] if n % 3 == 0 else None,
                )
                make_case_study(department=operations, standard=standard)

        add(1)
        baseline = queries_to_get(client, url)
        for more in (2, 6):
            add(more)
            with django_assert_max_num_queries(baseline):
                assert client.get(url).status_code == 200


class TestEditingInTheCms:
    def test_communications_can_open_a_module_in_the_page_editor(self, client, comms, module):
        client.force_login(comms)
        response = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "As middle management" in html
        assert "<script>" not in html.replace(" ", "")

    def test_hr_keeps_standards_clauses_and_competences(self, client, hr):
        standard = make_standard(name="ISO 14001:2015")
        make_clause(standard=standard, number="6.1.2", title="Environmental aspects")
        client.force_login(hr)
        for name in ("isostandard", "isoclause", "competence"):
            assert client.get(reverse(f"wagtailsnippets_lms_{name}:list")).status_code == 200
        edit = client.get(reverse("wagtailsnippets_lms_isostandard:edit", args=[standard.pk]))
        assert "Environmental aspects" in edit.content.decode()

    def test_the_clause_chooser_lists_clauses_by_standard(self, client, comms):
        make_clause(standard=make_standard(name="ISO 9001:2015"), number="7.2", title="Competence")
        make_clause(
            standard=make_standard(name="ISO 14001:2015"), number="8.2", title="Emergencies"
        )
        client.force_login(comms)
        response = client.get(reverse("wagtailsnippetchoosers_lms_isoclause:choose"))
        html = response.content.decode()
        assert response.status_code == 200
        assert html.index("ISO 14001:2015 8.2 Emergencies") < html.index(
            "ISO 9001:2015 7.2 Competence"
        )
