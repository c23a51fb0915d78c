"""Let the Communications group triage the suggestion box."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["triage_suggestion", "view_suggestion"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    communications, _ = Group.objects.get_or_create(name="Communications")
    communications.permissions.add(
        *Permission.objects.filter(content_type__app_label="campaigns", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Communications"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="campaigns", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_suggestion_box"),
        ("lms", "0002_hr_and_communications_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
