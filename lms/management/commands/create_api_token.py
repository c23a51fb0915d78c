"""Print the API token of an account, for the HR system that calls /api/v1/ as it."""

from django.core.management.base import BaseCommand, CommandError

from lms.api.tokens import api_token
from lms.models import User
from lms.selectors.people import sees_everyone


class Command(BaseCommand):
    help = (
        "Print the API token of an active account, making one if it has none. Give the account "
        "lms.view_all_people (the HR group) for it to read everyone on the roster."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's e-mail address.")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the token with a new one; the old one stops working at once.",
        )

    def handle(self, *args, email: str, rotate: bool, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {email}.")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is deactivated: reactivate it first.")
        self.stdout.write(api_token(user=user, rotate=rotate))
        if not sees_everyone(user):
            self.stderr.write(
                f"{user.email} does not hold lms.view_all_people: the API shows it only itself "
                "and the people below it in the org chart."
            )
