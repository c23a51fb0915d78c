"""A person's own points."""

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.template.response import TemplateResponse

from recognition.models import PointsEntry


@login_required
def recognition_home(request):
    entries = PointsEntry.objects.filter(user=request.user)
    total = entries.aggregate(total=Sum("points"))["total"] or 0
    return TemplateResponse(
        request,
        "recognition/home.html",
        {"total": total, "entries": entries.select_related("rule")[:50]},
    )
