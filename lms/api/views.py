"""The read-only API for HR systems, under /api/v1/.

Service accounts authenticate with a token (`manage.py create_api_token`), people with their
session. Every answer is limited to the caller's scope (lms.api.scope) and every query parameter
is checked (lms.api.filters). Lists are paginated; each costs the same number of queries whatever
the size of the page or of the organisation.
"""

from django.db.models import F
from django.http import Http404
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from lms.api.filters import (
    PAGE_SIZE,
    CompetenceRecordQuery,
    CompletionQuery,
    MatrixQuery,
    PeopleQuery,
    QueryForm,
    SchemaQuery,
    check_page,
    query_parameters,
    read_query,
)
from lms.api.pagination import Pages
from lms.api.scope import competence_summaries, matrix_for, people_visible_to
from lms.api.serializers import (
    CompetenceRecordSerializer,
    CompletionSerializer,
    MatrixSerializer,
    PersonDetailSerializer,
    PersonSerializer,
)
from lms.models import CompetenceRecord, Completion, User
from lms.selectors.competence import competence_profile
from lms.selectors.matrix import PERSON_ORDER


class ApiRules:
    """What every view of the API shares: the rate limit per user, and a `format` it does not
    offer reported as a bad query parameter once the caller is known (not as a 404 before)."""

    throttle_classes = [UserRateThrottle]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force=force)
        except Http404:
            # Answer with the first renderer for now: authentication comes next (401 for a
            # stranger), then the query check names `format` (400).
            return super().perform_content_negotiation(request, force=True)


class ApiViewSet(ApiRules, viewsets.GenericViewSet):
    pagination_class = Pages
    query_form: type[QueryForm] = QueryForm

    def filter_queryset(self, queryset):
        form_class = self.query_form if self.action == "list" else QueryForm
        return read_query(self.request, form_class).filter(queryset)


@extend_schema_view(
    list=extend_schema(
        summary="People in your scope",
        parameters=query_parameters(PeopleQuery),
    ),
    retrieve=extend_schema(
        summary="One person in your scope, with each competence",
        parameters=query_parameters(QueryForm),
    ),
)
class PeopleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """People on the roster: everyone for HR and service accounts with `lms.view_all_people`;
    for anyone else, the people below them in the org chart and themself. A person outside
    your scope is a 404. Each comes with the counts of their required competences by status."""

    # The model the schema describes; the people answered come from get_queryset.
    queryset = User.objects.none()
    query_form = PeopleQuery

    def get_queryset(self):
        return (
            people_visible_to(self.request.user)
            .select_related("department", "job_role")
            .order_by(*PERSON_ORDER)
        )

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def list(self, request, *args, **kwargs):
        people = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        summaries = competence_summaries(people=people)
        context = {**self.get_serializer_context(), "summaries": summaries}
        return self.get_paginated_response(
            self.get_serializer(people, many=True, context=context).data
        )

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        context = {
            **self.get_serializer_context(),
            "summaries": competence_summaries(people=[person]),
            "profile": competence_profile(user=person),
        }
        return Response(self.get_serializer(person, context=context).data)


@extend_schema_view(
    list=extend_schema(
        summary="Competence records of the people in your scope",
        parameters=query_parameters(CompetenceRecordQuery),
    )
)
class CompetenceRecordViewSet(mixins.ListModelMixin, ApiViewSet):
    """Every competence record (awards and revocations, append-only) of the people in your
    scope, oldest first by `recorded_at` then id, with the ids of its evidence. Ask with
    `updated_since` set to the last `recorded_at` you hold to pick up what is new."""

    queryset = CompetenceRecord.objects.none()
    serializer_class = CompetenceRecordSerializer
    query_form = CompetenceRecordQuery

    def get_queryset(self):
        return (
            CompetenceRecord.objects.filter(user__in=people_visible_to(self.request.user))
            .annotate(employee_id=F("user__employee_id"), competence_name=F("competence__name"))
            .order_by("recorded_at", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Module completions of the people in your scope",
        parameters=query_parameters(CompletionQuery),
    )
)
class CompletionViewSet(mixins.ListModelMixin, ApiViewSet):
    """Every module completion of the people in your scope, oldest first, with the revision
    of the module the person trained on."""

    queryset = Completion.objects.none()
    serializer_class = CompletionSerializer
    query_form = CompletionQuery

    def get_queryset(self):
        return (
            Completion.objects.filter(user__in=people_visible_to(self.request.user))
            .annotate(employee_id=F("user__employee_id"), module_title=F("module__title"))
            .order_by("completed_at", "pk")
        )


class MatrixView(ApiRules, APIView):
    """The competence matrix of the active people in your scope: the columns (competences),
    one page of rows (people) with a cell per column, the totals of each column and the
    overall coverage over every page. The filters are those of the matrix page."""

    @extend_schema(
        summary="The competence matrix",
        parameters=query_parameters(MatrixQuery),
        responses=MatrixSerializer,
    )
    def get(self, request):
        query = read_query(request, MatrixQuery)
        number = query.cleaned_data["page"] or 1
        matrix = matrix_for(
            viewer=request.user,
            filters=query.filters(),
            page_number=number,
            per_page=query.cleaned_data["page_size"] or PAGE_SIZE,
        )
        check_page(number=number, last=matrix.page_count)
        url = request.build_absolute_uri()
        answer = {
            "count": matrix.row_count,
            "next": None,
            "previous": None,
            "columns": matrix.columns,
            "column_totals": matrix.column_totals,
            "overall": matrix.overall,
            "results": matrix.rows,
        }
        if number < matrix.page_count:
            answer["next"] = replace_query_param(url, "page", number + 1)
        if number > 1:
            answer["previous"] = (
                remove_query_param(url, "page")
                if number == 2
                else replace_query_param(url, "page", number - 1)
            )
        return Response(MatrixSerializer(answer).data)


class SchemaView(ApiRules, SpectacularAPIView):
    """The OpenAPI 3 schema of this API, in JSON unless YAML is asked for; for signed-in
    callers only, like the rest of the API."""

    permission_classes = [IsAuthenticated]
    # Plain application/json first, the type most HTTP clients ask for.
    renderer_classes = [
        OpenApiJsonRenderer2,
        OpenApiJsonRenderer,
        OpenApiYamlRenderer,
        OpenApiYamlRenderer2,
    ]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        read_query(request, SchemaQuery)
        return super().get(request, *args, **kwargs)
