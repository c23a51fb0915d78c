"""Build (or bring back up to date) the demo organisation. Running it twice changes nothing."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns.demo import seed_suggestions
from campaigns.demo_campaigns import seed_campaigns
from campaigns.models import CampaignPage, Suggestion
from lms.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, SUB_DEPARTMENTS, demo_roster
from lms.demo.api import SERVICE_ACCOUNT, seed_api_service_account
from lms.demo.competence import seed_competence_framework, seed_competence_records
from lms.demo.progress import seed_assignments_and_progress
from lms.demo.quizzes import seed_quizzes
from lms.demo.training import seed_training_content
from lms.models import Assignment, CompetenceRecord, Department, TrainingModule, User
from lms.services.roster import import_roster
from recognition.demo import seed_recognition
from recognition.models import Kudos, PointsEntry


class Command(BaseCommand):
    help = "Seed the demo organisation, its training and its demo accounts (iso-demo-2026)."

    @transaction.atomic
    def handle(self, *args, **options):
        result = import_roster(rows=demo_roster(), invite_new_people=False)
        for child, parent in SUB_DEPARTMENTS.items():
            Department.objects.filter(name=child).update(parent=Department.objects.get(name=parent))
        for email, (group_name, is_superuser) in DEMO_ACCOUNTS.items():
            user = User.objects.get(email=email)
            if is_superuser and not user.is_superuser:
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
        seed_training_content()
        assigned = sum(seed_assignments_and_progress().values())
        # Quizzes after the progress: completions made before a module had a quiz stand.
        quizzes = seed_quizzes()
        seed_competence_framework()
        recorded = seed_competence_records()
        token = seed_api_service_account()
        suggested = seed_suggestions()
        campaigned = seed_campaigns()
        # Last: it pays for what the steps above left in place.
        recognised = seed_recognition()
        people = User.objects.filter(is_active=True, employee_id__isnull=False).count()
        self.stdout.write(
            f"Demo organisation: {people} people "
            f"({result.created} new, {result.updated} updated), "
            f"{TrainingModule.objects.live().count()} training modules, "
            f"{Assignment.objects.count()} assignments ({assigned} new), {len(quizzes)} quizzes, "
            f"{CompetenceRecord.objects.count()} competence records ({recorded} new), "
            f"{Suggestion.objects.count()} suggestions ({suggested} new), "
            f"{CampaignPage.objects.live().count()} campaigns ({campaigned} new), "
            f"{PointsEntry.objects.count()} points entries and {Kudos.objects.count()} kudos "
            f"({recognised} new recognition rows). "
            f"Log in as {', '.join(DEMO_ACCOUNTS)} with the password {DEMO_PASSWORD}.\n"
            f"The HR system's API account {SERVICE_ACCOUNT} reads /api/v1/ with the header "
            f'"Authorization: Token {token.key}".'
        )
