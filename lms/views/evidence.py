"""Person competence files (page and PDF) and the audit evidence pack.

A person's file is for the person, their managers (direct or indirect) and HR; anyone else gets
404, as for the competence profile. The evidence pack is for HR only (403 for anyone else).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lms.exports import streaming_zip
from lms.models import Department, IsoClause, IsoStandard, User
from lms.selectors.people import can_view_person, people_with_org, sees_everyone
from lms.selectors.person_file import person_file
from lms.services.evidence_pack import PackFilters, evidence_pack, pack_filename
from lms.services.person_file import person_file_filename, render_person_file_pdf


def _visible_person(request: HttpRequest, pk: int) -> User:
    person = people_with_org().filter(pk=pk).first()
    if person is None or not can_view_person(viewer=request.user, person=person):
        raise Http404("No such person.")
    return person


@login_required
def person_competence_file(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    context = {
        "file": person_file(person=person),
        "person": person,
        "mine": person.pk == request.user.pk,
    }
    return render(request, "lms/competences/person_file.html", context)


@login_required
def person_competence_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    response = HttpResponse(
        render_person_file_pdf(person_file=person_file(person=person)),
        content_type="application/pdf",
    )
    filename = f"competence-file-{person_file_filename(person)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class EvidencePackForm(forms.Form):
    standard = forms.ModelChoiceField(
        queryset=IsoStandard.objects.all(),
        empty_label="Choose a standard",
        error_messages={
            "required": "Choose the standard the auditor asks about.",
            "invalid_choice": "That standard does not exist; choose one from the list.",
        },
    )
    clause = forms.ModelChoiceField(
        queryset=IsoClause.objects.select_related("standard").order_by(
            "standard__name", "sort_order", "number"
        ),
        empty_label="Choose a clause",
        error_messages={
            "required": "Choose the clause of the standard, for example 7.2.",
            "invalid_choice": "That clause does not exist; choose one from the list.",
        },
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        required=False,
        empty_label="Every department",
        help_text="Includes its sub-departments.",
        error_messages={"invalid_choice": "That department does not exist."},
    )
    date_from = forms.DateField(
        label="Records from",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="A record counts when it was achieved or recorded within the dates.",
    )
    date_to = forms.DateField(
        label="Records to",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="This day included.",
    )

    def clean(self):
        data = super().clean()
        standard, clause = data.get("standard"), data.get("clause")
        if standard and clause and clause.standard_id != standard.pk:
            self.add_error("clause", f"Clause {clause} is not part of {standard}.")
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end of the range comes before its start.")
        return data

    def filters(self) -> PackFilters:
        """The filters chosen; call only once the form is valid."""
        data = self.cleaned_data
        return PackFilters(
            standard=data["standard"],
            clause=data["clause"],
            department=data.get("department"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


@login_required
def report_evidence_pack(request: HttpRequest) -> HttpResponse:
    if not sees_everyone(request.user):
        raise PermissionDenied("The audit evidence pack is for HR.")
    form = EvidencePackForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "lms/reports/evidence_pack.html", {"form": form}, status=400)
    if form.is_bound and request.GET.get("download") == "1":
        filters = form.filters()
        now = timezone.localtime()
        return streaming_zip(
            filename=pack_filename(filters=filters, at=now),
            chunks=evidence_pack(filters=filters, generated_by=request.user, now=now),
        )
    return render(request, "lms/reports/evidence_pack.html", {"form": form})
