"""The competence framework in the CMS, and HR's read-only listing of competence records."""

import pytest
from django.urls import NoReverseMatch, reverse

from lms.models import Competence, CompetenceRecord, CompetenceRequirement, ProficiencyLevel
from tests.factories import JobRoleFactory
from tests.lms.factories_training import make_clause, make_competence, make_standard

pytestmark = pytest.mark.django_db
ADD_URL = "/cms/snippets/lms/competence/add/"


def competence_form(*requirements, **fields):
    data = {
        "name": "Internal auditing",
        "description": "Plans and runs internal audits.",
        "standard": "",
        "validity_months": "36",
        "effectiveness_check_days": "90",
        "requirements-TOTAL_FORMS": str(len(requirements)),
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for number, (job_role, level, min_level) in enumerate(requirements):
        data[f"requirements-{number}-job_role"] = job_role.pk if job_role else ""
        data[f"requirements-{number}-management_level"] = level
        data[f"requirements-{number}-min_level"] = str(min_level)
        data[f"requirements-{number}-id"] = ""
    return data


def test_hr_adds_a_competence_with_its_clauses_and_requirements(client, hr):
    auditor = JobRoleFactory(name="Internal auditor")
    clause = make_clause(standard=make_standard(), number="9.2", title="Internal audit")
    client.force_login(hr)

    form = client.get(ADD_URL).content.decode()
    assert "ISO 9001:2015 9.2 Internal audit" in form
    response = client.post(
        ADD_URL,
        competence_form(
            (auditor, "", ProficiencyLevel.COMPETENT),
            (None, "middle", ProficiencyLevel.UNDER_SUPERVISION),
            clauses=[clause.pk],
        ),
    )

    assert response.status_code == 302
    competence = Competence.objects.get(name="Internal auditing")
    assert list(competence.clauses.all()) == [clause]
    assert (competence.validity_months, competence.effectiveness_check_days) == (36, 90)
    assert set(
        competence.requirements.values_list("job_role_id", "management_level", "min_level")
    ) == {(auditor.pk, "", 2), (None, "middle", 1)}


def test_a_requirement_naming_neither_role_nor_level_is_refused_in_words(client, hr):
    client.force_login(hr)

    # A row left at its defaults is an unused row; this one sets a level but names nobody.
    row = (None, "", ProficiencyLevel.UNDER_SUPERVISION)
    response = client.post(ADD_URL, competence_form(row))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a job role, a management level, or both." in html
    assert "requirement_names_a_role_or_level" not in html
    assert not Competence.objects.exists()


def test_two_requirements_for_the_same_role_and_level_are_refused(client, hr):
    auditor = JobRoleFactory(name="Internal auditor")
    client.force_login(hr)

    response = client.post(
        ADD_URL,
        competence_form(
            (auditor, "staff", ProficiencyLevel.COMPETENT),
            (auditor, "staff", ProficiencyLevel.CAN_TRAIN_OTHERS),
        ),
    )

    assert response.status_code == 200
    assert "Another requirement names the same job role" in response.content.decode()
    assert not CompetenceRequirement.objects.exists()


def test_the_competence_list_counts_requirements(client, hr):
    competence = make_competence(name="Calibration")
    CompetenceRequirement.objects.create(competence=competence, management_level="staff")
    CompetenceRequirement.objects.create(competence=competence, management_level="middle")
    client.force_login(hr)

    response = client.get("/cms/snippets/lms/competence/")

    assert response.status_code == 200
    row = response.content.decode().split("Calibration", 1)[1].split("</tr>", 1)[0]
    assert ">2<" in row.replace(" ", "").replace("\n", "")
    found = client.get("/cms/snippets/lms/competence/", {"q": "calib"}).content.decode()
    assert "Calibration" in found


# --- Competence records, read-only


@pytest.fixture
def records(employee, manager):
    first = make_competence(name="Permit to work")
    second = make_competence(name="First aid")
    return [
        CompetenceRecord.objects.create(
            user=employee,
            competence=first,
            level=ProficiencyLevel.COMPETENT,
            source=CompetenceRecord.Source.ASSESSMENT,
            assessor=manager,
            notes="Seen at work.",
        ),
        CompetenceRecord.objects.create(
            user=manager,
            competence=second,
            level=ProficiencyLevel.COMPETENT,
            source=CompetenceRecord.Source.CERTIFICATE,
            certificate_issuer="Red Cross",
        ),
    ]


def test_hr_lists_filters_and_searches_records(client, hr, records, employee):
    client.force_login(hr)
    index = reverse("competence_records:index")

    # The evidence column names what each record rests on, and nothing else on the page does.
    assessed, certified = "Assessed by Line Manager", "Certificate from Red Cross"
    everything = client.get(index).content.decode()
    assert assessed in everything and certified in everything
    by_source = client.get(index, {"source": "certificate"}).content.decode()
    assert certified in by_source and assessed not in by_source
    by_person = client.get(index, {"q": employee.last_name}).content.decode()
    assert assessed in by_person and certified not in by_person
    inspect = client.get(reverse("competence_records:inspect", args=[records[0].pk]))
    assert inspect.status_code == 200
    assert "Seen at work." in inspect.content.decode()


def test_records_cannot_be_added_edited_or_deleted_in_the_cms(client, hr, records):
    for name, args in (("add", []), ("edit", [records[0].pk]), ("delete", [records[0].pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"competence_records:{name}", args=args)
    client.force_login(hr)
    html = client.get(reverse("competence_records:index")).content.decode()
    assert "/cms/competence_records/new/" not in html
    assert client.get("/cms/competence_records/new/").status_code == 404


def test_only_people_allowed_to_view_records_reach_the_listing(client, comms, hr, records):
    client.force_login(comms)  # may use the CMS, may not see records
    response = client.get(reverse("competence_records:index"))
    assert response.status_code in (302, 403)
    assert "Permit to work" not in response.content.decode()
