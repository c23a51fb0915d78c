from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms.services.health import service_states


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    states = service_states()
    healthy = all(state.startswith("ok") for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "services": states},
        status=200 if healthy else 503,
    )
