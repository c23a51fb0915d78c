"""API tokens of service accounts."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from lms.models import User


def api_token(*, user: User, rotate: bool = False) -> str:
    """The API token of `user`, made if they have none. With `rotate`, a new token replaces
    theirs and the old one stops working at once."""
    with transaction.atomic():
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
    return token.key
