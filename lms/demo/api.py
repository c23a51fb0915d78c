"""The demo's service account for HR systems, with the token it reads /api/v1/ with."""

from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token

from lms.models import User

SERVICE_ACCOUNT = "hr-system@demo.example"


def seed_api_service_account() -> Token:
    """A service account that sees everyone (and cannot sign in to the site), and its token."""
    account, created = User.objects.get_or_create(
        email=SERVICE_ACCOUNT, defaults={"first_name": "HR system", "last_name": "(API)"}
    )
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    account.user_permissions.add(
        Permission.objects.get(content_type__app_label="lms", codename="view_all_people")
    )
    token, _ = Token.objects.get_or_create(user=account)
    return token
