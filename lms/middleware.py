from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from lms.selectors.people import sees_everyone

# Paths a person must still reach while being sent to set up their authenticator.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")


class RequireMultiFactorMiddleware:
    """With LMS_REQUIRE_MFA_FOR_STAFF on, HR and administrators must add an authenticator app
    before they can use anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LMS_REQUIRE_MFA_FOR_STAFF and self._must_enrol(request):
            messages.warning(
                request, "Your role needs two-factor authentication: add an authenticator app."
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_enrol(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            return False
        if not (user.is_superuser or sees_everyone(user)):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
