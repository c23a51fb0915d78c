"""Search across live training modules and case studies, filtered by standard and by level."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lms.models import IsoStandard, ManagementLevel
from lms.selectors.content import search_content


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, max_length=200)
    standard = forms.ModelChoiceField(
        queryset=IsoStandard.objects.order_by("name"),
        required=False,
        empty_label="Any standard",
        error_messages={"invalid_choice": "Choose a standard from the list."},
    )
    level = forms.ChoiceField(
        label="For management level",
        choices=[("", "Any level"), *ManagementLevel.choices],
        required=False,
        help_text="Narrows the modules; case studies are for everyone.",
        error_messages={"invalid_choice": "Choose a management level from the list."},
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    # Every live module and case study is open to every signed-in person: nothing to hide here.
    form = SearchForm(request.GET or None)
    outcome = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"].strip() or data["standard"] or data["level"]:
            outcome = search_content(
                query=data["q"].strip(),
                standard_id=data["standard"].pk if data["standard"] else None,
                level=data["level"] or None,
            )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request, "lms/pages/search.html", {"form": form, "outcome": outcome}, status=status
    )
