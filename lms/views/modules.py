"""The learner's way into the catalogue and through a module: marking a section as done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lms.models import TrainingCatalogue, TrainingModule
from lms.services.progress import mark_section_done


@login_required
@require_POST
def section_done(request: HttpRequest, page_id: int, section_id: str) -> HttpResponse:
    # Any signed-in, active person may open any live module: audiences decide what is assigned
    # and which sections show, not who may read. Wagtail's own page privacy still applies.
    module = get_object_or_404(TrainingModule.objects.live(), pk=page_id)
    for restriction in module.get_view_restrictions():
        if not restriction.accept_request(request):
            raise PermissionDenied("This module is restricted.")
    try:
        completion = mark_section_done(user=request.user, module=module, section_id=section_id)
    except ValueError as error:
        return render(
            request,
            "lms/pages/section_done_error.html",
            {"module": module, "message": str(error)},
            status=400,
        )
    if completion is not None:
        # Back to the top, where the message and the completion date are.
        messages.success(request, f"You completed “{module.title}”. Well done.")
        return redirect(module.get_url(request))
    return redirect(f"{module.get_url(request)}#section-{section_id}")


@login_required
def training_catalogue(request: HttpRequest) -> HttpResponse:
    """The header links here rather than to the catalogue page, so no page has to look up the
    catalogue's address on every request."""
    catalogue = TrainingCatalogue.objects.live().first()
    if catalogue is None:
        raise Http404("No training catalogue has been published yet.")
    return redirect(catalogue.get_url(request))
