"""The OpenAPI 3 schema of the API: valid, served at /api/v1/schema/, listing every endpoint and
every query parameter each one accepts, and generated without a warning by the command line."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from lms.api.filters import (
    CompetenceRecordQuery,
    CompletionQuery,
    MatrixQuery,
    PeopleQuery,
    QueryForm,
)

pytestmark = pytest.mark.django_db

SCHEMA = reverse("api_schema")
# Each operation of the API and the form that reads its query.
OPERATIONS = {
    "/api/v1/people/": PeopleQuery,
    "/api/v1/people/{id}/": QueryForm,
    "/api/v1/competence-records/": CompetenceRecordQuery,
    "/api/v1/completions/": CompletionQuery,
    "/api/v1/matrix/": MatrixQuery,
}


@pytest.fixture
def schema(client, hr):
    client.force_login(hr)
    response = client.get(SCHEMA)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_the_schema_lists_every_endpoint_and_nothing_else(schema):
    assert set(schema["paths"]) == set(OPERATIONS)
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())


@pytest.mark.parametrize(("path", "form_class"), OPERATIONS.items())
def test_the_schema_lists_every_query_parameter_each_endpoint_accepts(schema, path, form_class):
    parameters = schema["paths"][path]["get"]["parameters"]
    in_query = {p["name"] for p in parameters if p["in"] == "query"}

    assert in_query == set(form_class.base_fields)
    assert all(p.get("description") for p in parameters if p["in"] == "query")


def test_the_schema_gives_the_values_a_choice_accepts(schema):
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/matrix/"]["get"]["parameters"]
    }

    assert "expiring" in parameters["status"]["enum"]
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 1000}
    assert parameters["department"]["type"] == "integer"


def test_the_schema_names_both_ways_to_authenticate(schema):
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def test_the_schema_comes_in_yaml_when_asked(client, hr):
    client.force_login(hr)

    response = client.get(SCHEMA, {"format": "yaml"})

    assert response.status_code == 200
    assert set(yaml.safe_load(response.content)["paths"]) == set(OPERATIONS)


def test_the_schema_refuses_an_unknown_parameter(client, hr):
    client.force_login(hr)

    response = client.get(SCHEMA, {"version": "2"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]


def test_the_command_line_generates_and_validates_the_schema_without_a_warning(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert set(yaml.safe_load(target.read_text())["paths"]) == set(OPERATIONS)
