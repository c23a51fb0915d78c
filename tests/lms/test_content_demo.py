"""The demo training content: real standards and modules, seeded once however often it runs."""

import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import Page, Revision, Site

from lms.demo.training import seed_training_content
from lms.models import (
    CaseStudy,
    CaseStudyMetric,
    Competence,
    IsoClause,
    IsoStandard,
    ManagementLevel,
    TrainingCatalogue,
    TrainingModule,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())
    return seed_training_content()


def counts() -> dict[str, int]:
    models = [Page, Revision, IsoStandard, IsoClause, Competence, CaseStudyMetric]
    return {model.__name__: model.objects.count() for model in models}


def test_running_it_twice_creates_nothing_new(seeded):
    before = counts()
    again = seed_training_content()
    assert counts() == before
    assert {slug: page.pk for slug, page in again.items()} == {
        slug: page.pk for slug, page in seeded.items()
    }


def test_it_runs_before_the_demo_organisation_exists():
    pages = seed_training_content()
    assert TrainingModule.objects.live().count() >= 8
    assert pages["document-control-in-practice"].audience_departments.count() == 0


def test_it_creates_the_four_standards_with_real_clause_numbers(seeded):
    assert set(IsoStandard.objects.values_list("name", flat=True)) >= {
        "ISO 9001:2015",
        "ISO 14001:2015",
        "ISO 45001:2018",
        "ISO/IEC 27001:2022",
    }
    clauses = {(c.standard.name, c.number): c.title for c in IsoClause.objects.select_related()}
    assert clauses[("ISO 9001:2015", "7.2")] == "Competence"
    assert clauses[("ISO 9001:2015", "10.2")] == "Nonconformity and corrective action"
    assert clauses[("ISO 14001:2015", "8.2")] == "Emergency preparedness and response"
    assert clauses[("ISO 45001:2018", "5.4")] == "Consultation and participation of workers"
    assert clauses[("ISO/IEC 27001:2022", "5.2")] == "Policy"
    assert Competence.objects.count() >= 3


def test_the_catalogue_and_case_study_index_sit_under_the_site_root(seeded):
    root = Site.objects.get(is_default_site=True).root_page
    for slug in ("training", "case-studies"):
        assert seeded[slug].get_parent().pk == root.pk
        assert seeded[slug].live
    assert TrainingCatalogue.objects.count() == 1


def test_every_module_is_published_with_two_to_five_sections_and_clauses(seeded):
    modules = TrainingModule.objects.child_of(seeded["training"]).live()
    assert modules.count() >= 8
    for module in modules:
        assert 2 <= len(module.section_ids()) <= 5, module.title
        assert module.live_revision_id is not None, module.title
        assert module.clauses.exists(), module.title
        assert module.summary and module.estimated_minutes


def test_every_management_level_has_an_audience_section_somewhere(seeded):
    levels = set()
    for module in TrainingModule.objects.all():
        for section in module.body:
            for child in section.value["content"]:
                if child.block_type == "audience_section":
                    levels |= set(child.value["levels"])
    assert levels == set(ManagementLevel.values)


def test_audiences_name_demo_departments(seeded):
    document_control = seeded["document-control-in-practice"]
    names = set(document_control.audience_departments.values_list("name", flat=True))
    assert names == {"Production", "Quality Assurance", "Logistics"}


def test_three_case_studies_with_metrics_in_demo_departments(seeded):
    studies = CaseStudy.objects.live().select_related("department")
    assert studies.count() == 3
    assert {s.department.name for s in studies} <= {
        "Production",
        "Logistics",
        "Quality Assurance",
        "Health and Safety",
    }
    for study in studies:
        assert study.metrics.count() >= 2
        assert all(m.improvement_percent is not None for m in study.metrics.all())


@pytest.mark.parametrize("email", ["employee@demo.example", "manager@demo.example"])
def test_each_page_renders_for_a_demo_learner(seeded, client, email):
    client.force_login(User.objects.get(email=email))
    for slug, page in seeded.items():
        response = client.get(page.url)
        assert response.status_code == 200, slug


def test_each_module_previews_as_every_level(seeded):
    editor = User.objects.get(email="comms@demo.example")
    for module in TrainingModule.objects.all():
        for mode, _label in module.preview_modes:
            request = RequestFactory().get("/")
            request.user = editor
            assert module.make_preview_request(request, mode).status_code == 200
