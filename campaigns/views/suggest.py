"""The suggestion box: posting (anonymously or signed), an author's own suggestions, and
"you said, we did".

Every page is for signed-in people only (the platform is internal). Anonymous posting still needs
the sign-in, for the per-person limit, but nothing about the person is stored with the suggestion
and requests here are kept out of the logs (campaigns/logging.py).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.forms.suggestions import CategoryFilterForm, SuggestionForm
from campaigns.models import Suggestion
from campaigns.selectors import suggestions as selectors
from campaigns.services.suggestions import (
    TooManySuggestions,
    reserve_suggestion_slot,
    submit_suggestion,
)
from lms.markdown import render_markdown

PER_PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _suggest_page(request, SuggestionForm())
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return _suggest_page(request, form, status=400)
    try:
        reserve_suggestion_slot(person=request.user)
    except TooManySuggestions as refusal:
        return _suggest_page(request, form, status=429, refusal=str(refusal))
    data = form.cleaned_data
    suggestion = submit_suggestion(
        category=data["category"],
        text=data["text"],
        department=data["department"],
        author=request.user if form.is_signed() else None,
    )
    thanks = reverse("suggest_thanks")
    if suggestion.author_id:
        return redirect(f"{thanks}?signed={suggestion.pk}")
    return redirect(thanks)


def _suggest_page(
    request: HttpRequest, form: SuggestionForm, *, status: int = 200, refusal: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "refusal": refusal,
        "per_person_limit": settings.LMS_SUGGESTIONS_PER_PERSON_PER_HOUR,
    }
    return render(request, "campaigns/suggest.html", context, status=status)


@login_required
@require_GET
def suggest_thanks(request: HttpRequest) -> HttpResponse:
    # Only the author's own signed suggestion is linked; any other number is ignored.
    signed = None
    if request.GET.get("signed", "").isdigit():
        signed = (
            Suggestion.objects.filter(pk=int(request.GET["signed"]), author=request.user)
            .values_list("pk", flat=True)
            .first()
        )
    return render(request, "campaigns/suggest_thanks.html", {"signed_pk": signed})


@login_required
@require_GET
def my_suggestions(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.suggestions_of(author=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    entries = [(suggestion, render_markdown(suggestion.text)) for suggestion in page]
    return render(request, "campaigns/my_suggestions.html", {"page": page, "entries": entries})


@login_required
@require_GET
def you_said_we_did(request: HttpRequest) -> HttpResponse:
    form = CategoryFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "page": None, "entries": [], "query": ""}
        return render(request, "campaigns/you_said_we_did.html", context, status=400)
    category = form.cleaned_data["category"]
    page = Paginator(selectors.you_said_we_did(category=category or None), PER_PAGE).get_page(
        request.GET.get("page")
    )
    entries = [(suggestion, render_markdown(suggestion.text)) for suggestion in page]
    context = {
        "form": form,
        "page": page,
        "entries": entries,
        # Kept on the pagination links, so a filtered list pages through the same filter.
        "query": f"category={category}&" if category else "",
    }
    return render(request, "campaigns/you_said_we_did.html", context)
