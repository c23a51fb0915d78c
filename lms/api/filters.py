"""The query parameters of each endpoint, read with Django forms. Every parameter must be known,
given once and valid, or the request is answered 400 with the parameter named in `errors`;
nothing is ignored and nothing falls back to a default.

Ids of people are never checked against anyone's scope: a person outside it, or one who does not
exist, matches nothing, so an answer never tells who exists. Ids of the reference data everyone
shares (departments, job roles, competences, modules, standards, clauses) must exist: an unknown
one is a 400.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import from_current_timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from lms.forms import MatrixFilterForm
from lms.models import (
    Competence,
    CompetenceRecord,
    Completion,
    Department,
    JobRole,
    ManagementLevel,
    TrainingModule,
    User,
)
from lms.selectors.matrix import MatrixFilters, narrowed

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
ISO_8601 = (
    "an ISO 8601 date and time such as 2025-01-31T08:00:00Z; without an offset it is read in "
    "the site's time zone (in a URL, write + as %2B)"
)


class BadQuery(APIException):
    status_code = 400
    default_code = "bad_query"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        names = ", ".join(errors)
        plural = "s" if len(errors) > 1 else ""
        super().__init__(
            {"detail": f"Check the query parameter{plural}: {names}.", "errors": errors}
        )


def check_page(*, number: int, last: int) -> None:
    """Refuse a page past the last one (the first page exists even when it is empty)."""
    if number > max(last, 1):
        raise BadQuery({"page": [f"There is no page {number}: the last one is {max(last, 1)}."]})


# --- Fields


def _reference(queryset: QuerySet, noun: str, help_text: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=queryset,
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": f"No {noun} has the id %(value)s."},
    )


def _person() -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        required=False,
        help_text="Id of a person. A person outside your scope matches nothing.",
    )


class IsoDateTimeField(forms.DateTimeField):
    """ISO 8601 only. The site's input formats would also take 01/02/2025, and read it by the
    locale; a system calling the API must not be guessed at."""

    default_error_messages = {"invalid": f"Give {ISO_8601}."}

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return from_current_timezone(moment)


def _since(help_text: str) -> IsoDateTimeField:
    return IsoDateTimeField(required=False, help_text=f"{help_text}: {ISO_8601}.")


class YesNoField(forms.TypedChoiceField):
    """`true` or `false`, nothing else: a boolean field would read any other word as empty."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            empty_value=None,
            required=False,
            **kwargs,
        )


# --- The forms


class QueryForm(forms.Form):
    """What every endpoint accepts."""

    format = forms.ChoiceField(
        choices=[("json", "json")],
        required=False,
        help_text="The format of the answer: JSON, the only one offered.",
    )

    def filter(self, queryset: QuerySet) -> QuerySet:
        return queryset


class ListQuery(QueryForm):
    """What every list accepts: the page and its size."""

    page = forms.IntegerField(
        min_value=1, required=False, help_text="The page number, from 1 (the default)."
    )
    page_size = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        help_text=f"Results per page: {PAGE_SIZE} unless given, at most {MAX_PAGE_SIZE}.",
    )


class PeopleQuery(ListQuery):
    department = _reference(
        Department.objects.all(), "department", "Id of a department; includes its sub-departments."
    )
    job_role = _reference(JobRole.objects.all(), "job role", "Id of a job role.")
    management_level = forms.ChoiceField(
        choices=ManagementLevel.choices, required=False, help_text="A management level."
    )
    is_active = YesNoField(
        help_text="true for the people still active, false for the people who have left."
    )

    def filter(self, people: QuerySet[User]) -> QuerySet[User]:
        data = self.cleaned_data
        people = narrowed(
            people,
            filters=MatrixFilters(
                department=data["department"],
                job_role=data["job_role"],
                management_level=data["management_level"] or "",
            ),
        )
        if data["is_active"] is not None:
            people = people.filter(is_active=data["is_active"])
        return people


class CompetenceRecordQuery(ListQuery):
    person = _person()
    competence = _reference(Competence.objects.all(), "competence", "Id of a competence.")
    updated_since = _since("Records recorded at or after this moment")
    kind = forms.ChoiceField(
        choices=CompetenceRecord.Kind.choices, required=False, help_text="An award or a revocation."
    )
    source = forms.ChoiceField(
        choices=CompetenceRecord.Source.choices,
        required=False,
        help_text="What the record rests on.",
    )

    def filter(self, records: QuerySet[CompetenceRecord]) -> QuerySet[CompetenceRecord]:
        data = self.cleaned_data
        if data["person"] is not None:
            records = records.filter(user_id=data["person"])
        if data["competence"] is not None:
            records = records.filter(competence=data["competence"])
        if data["updated_since"] is not None:
            records = records.filter(recorded_at__gte=data["updated_since"])
        if data["kind"]:
            records = records.filter(kind=data["kind"])
        if data["source"]:
            records = records.filter(source=data["source"])
        return records


class CompletionQuery(ListQuery):
    person = _person()
    module = _reference(
        TrainingModule.objects.all(), "training module", "Id of a training module (its page id)."
    )
    completed_since = _since("Completions at or after this moment")
    on_time = YesNoField(
        help_text="true for completions by the due date, false for late ones; completions "
        "without an assignment match neither."
    )

    def filter(self, completions: QuerySet[Completion]) -> QuerySet[Completion]:
        data = self.cleaned_data
        if data["person"] is not None:
            completions = completions.filter(user_id=data["person"])
        if data["module"] is not None:
            completions = completions.filter(module=data["module"])
        if data["completed_since"] is not None:
            completions = completions.filter(completed_at__gte=data["completed_since"])
        if data["on_time"] is not None:
            completions = completions.filter(on_time=data["on_time"])
        return completions


class MatrixQuery(MatrixFilterForm, ListQuery):
    """The matrix page's filters, and its pages counted in people."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # The only check across fields is whether the clause belongs to the standard.
            self.add_error("clause", error)
            return self.cleaned_data


class SchemaQuery(QueryForm):
    format = forms.ChoiceField(
        choices=[("json", "json"), ("yaml", "yaml")],
        required=False,
        help_text="The format of the schema: JSON unless yaml is asked for.",
    )


# --- Reading a request

Query = TypeVar("Query", bound=QueryForm)


def read_query(request: Request, form_class: type[Query]) -> Query:
    """The request's query parameters read by `form_class`, valid, or BadQuery naming each
    parameter that is unknown, repeated or wrong."""
    params = request.query_params
    form = form_class(params)
    errors: dict[str, list[str]] = {}
    for name in params:
        if name not in form.fields:
            errors[name] = ["Unknown query parameter."]
        elif len(params.getlist(name)) > 1:
            errors[name] = ["Give this parameter once."]
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, list(messages))
    if errors:
        raise BadQuery(errors)
    return form


def query_parameters(form_class: type[QueryForm]) -> list[OpenApiParameter]:
    """The OpenAPI description of every parameter `form_class` accepts."""
    return [_parameter(name, field) for name, field in form_class.base_fields.items()]


def _parameter(name: str, field: forms.Field) -> OpenApiParameter:
    enum = None
    if isinstance(field, forms.ModelChoiceField):
        schema = OpenApiTypes.INT
    elif isinstance(field, YesNoField):
        schema = OpenApiTypes.BOOL
    elif isinstance(field, forms.ChoiceField):
        schema = OpenApiTypes.STR
        enum = [str(value) for value, _ in field.choices if value]
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
    elif isinstance(field, forms.DateTimeField):
        schema = OpenApiTypes.DATETIME
    else:
        schema = OpenApiTypes.STR
    return OpenApiParameter(
        name, schema, OpenApiParameter.QUERY, description=_description(name, field), enum=enum
    )


def _description(name: str, field: forms.Field) -> str:
    help_text = str(field.help_text)
    if isinstance(field, forms.ModelChoiceField) and "Id of" not in help_text:
        lead = f"The {field.queryset.model._meta.verbose_name}, by id."
    elif field.label:
        lead = f"{field.label}."
    elif not help_text:
        lead = f"{name.replace('_', ' ').capitalize()}."
    else:
        lead = ""
    return " ".join(part for part in (lead, help_text) if part)
