"""Open Badges 2.0 documents against the specification's required fields, the recipient's hash
against their e-mail and salt, and every id resolving to the document it names.
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html"""

import datetime
import hashlib
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from recognition.models import BadgeCriterion
from recognition.services.badges import revoke_award
from tests.lms.factories_training import make_clause, make_standard
from tests.recognition.factories import BadgeAwardFactory, BadgeFactory

pytestmark = pytest.mark.django_db

CONTEXT = "https://w3id.org/openbadges/v2"
# The specification's required properties of each class (Profile: those an Issuer needs).
ASSERTION_REQUIRED = {"id", "type", "recipient", "badge", "verification", "issuedOn"}
RECIPIENT_REQUIRED = {"type", "identity"}
BADGE_CLASS_REQUIRED = {"id", "type", "name", "description", "image", "criteria", "issuer"}
ISSUER_REQUIRED = {"id", "type", "name", "url", "email"}


@pytest.fixture
def badge(db):
    badge = BadgeFactory(
        name="Competent in role",
        slug="competent-in-role",
        criterion=BadgeCriterion.ROLE_COMPETENCES_HELD,
        criteria_narrative="Hold every competence your role requires.",
    )
    badge.clauses = [make_clause(standard=make_standard(), number="7.2", title="Competence")]
    badge.save()
    return badge


@pytest.fixture
def award(badge, employee):
    return BadgeAwardFactory(
        badge=badge,
        user=employee,
        expires_at=timezone.now() + datetime.timedelta(days=365),
        evidence_narrative="Holds all 3 competences required of their role.",
        evidence_path="/learning/competences/",
    )


def _get(client, url):
    """GET an absolute id through the test client, by its path."""
    response = client.get(urlsplit(url).path)
    return response


def test_the_assertion_has_every_required_field_and_its_hash_verifies(client, award, employee):
    response = client.get(f"/badges/assertions/{award.uid}.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == CONTEXT
    assert document.keys() >= ASSERTION_REQUIRED
    assert document["type"] == "Assertion"
    assert document["verification"] == {"type": "hosted"}
    recipient = document["recipient"]
    assert recipient.keys() >= RECIPIENT_REQUIRED
    assert recipient["type"] == "email" and recipient["hashed"] is True
    assert recipient["salt"] == award.salt
    expected = hashlib.sha256((employee.email + award.salt).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert employee.email not in response.content.decode()
    assert datetime.datetime.fromisoformat(document["issuedOn"]) == award.awarded_at
    assert datetime.datetime.fromisoformat(document["expires"]) == award.expires_at
    assert document["evidence"] == [
        {
            "id": "http://127.0.0.1:8000/learning/competences/",
            "narrative": "Holds all 3 competences required of their role.",
        }
    ]


def test_the_badge_class_has_every_required_field_and_its_alignment(client, badge):
    response = client.get("/badges/competent-in-role.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == CONTEXT
    assert document.keys() >= BADGE_CLASS_REQUIRED
    assert document["type"] == "BadgeClass"
    assert document["name"] == "Competent in role"
    assert document["image"].startswith("http://127.0.0.1:8000/static/")
    assert document["criteria"]["narrative"] == "Hold every competence your role requires."
    assert document["alignment"] == [
        {
            "targetName": "ISO 9001 7.2",
            "targetDescription": "Competence",
            "targetCode": "7.2",
            "targetFramework": "ISO 9001:2015",
        }
    ]
    assert document["tags"] == ["Every competence of my role held"]


def test_the_issuer_profile_has_every_field_an_issuer_needs(client, settings):
    settings.LMS_OPEN_BADGES_ISSUER_NAME = "Acme Manufacturing"
    settings.LMS_OPEN_BADGES_ISSUER_EMAIL = "quality@acme.example"

    response = client.get("/badges/issuer.json")

    document = response.json()
    assert response["Content-Type"] == "application/ld+json"
    assert document.keys() >= ISSUER_REQUIRED
    assert document["type"] == "Issuer"
    assert document["name"] == "Acme Manufacturing"
    assert document["email"] == "quality@acme.example"
    assert document["url"] == "http://127.0.0.1:8000"


def test_every_id_resolves_to_the_document_it_names(client, award):
    assertion = client.get(f"/badges/assertions/{award.uid}.json").json()

    assert _get(client, assertion["id"]).json() == assertion
    badge_class = _get(client, assertion["badge"]).json()
    assert badge_class["type"] == "BadgeClass"
    assert _get(client, badge_class["id"]).json() == badge_class
    issuer = _get(client, badge_class["issuer"]).json()
    assert issuer["type"] == "Issuer"
    assert _get(client, issuer["id"]).json() == issuer
    criteria = _get(client, badge_class["criteria"]["id"])
    assert criteria.status_code == 200
    assert "Hold every competence your role requires." in criteria.content.decode()
    evidence = _get(client, assertion["evidence"][0]["id"])
    assert evidence.status_code in (200, 302)  # the holder's own record: a login first


def test_a_revoked_assertion_answers_gone_with_the_reason(client, award, hr):
    revoke_award(award=award, reason="Awarded by mistake.", by=hr)

    response = client.get(f"/badges/assertions/{award.uid}.json")

    assert response.status_code == 410
    assert response["Content-Type"] == "application/ld+json"
    assert response.json() == {
        "@context": CONTEXT,
        "id": f"http://127.0.0.1:8000/badges/assertions/{award.uid}.json",
        "type": "Assertion",
        "revoked": True,
        "revocationReason": "Awarded by mistake.",
    }


def test_an_unknown_assertion_or_badge_is_not_found(client, db):
    assert (
        client.get("/badges/assertions/5f0c6a4e-4b8e-4d5b-9d7e-1b2c3d4e5f60.json").status_code
        == 404
    )
    assert client.get("/badges/no-such-badge.json").status_code == 404
