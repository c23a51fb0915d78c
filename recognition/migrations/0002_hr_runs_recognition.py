"""Let HR run recognition: the points rules, badges and appraisal periods in the CMS, points
corrections, everyone's appraisal summaries, and hiding kudos from the wall. Communications
sees the rules and badges."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_CODENAMES = [
    "add_pointsrule",
    "change_pointsrule",
    "view_pointsrule",
    "view_pointsentry",
    "correct_points",
    "add_badge",
    "change_badge",
    "view_badge",
    "view_badgeaward",
    "add_appraisalperiod",
    "change_appraisalperiod",
    "view_appraisalperiod",
    "close_appraisalperiod",
    "view_all_appraisals",
    "view_kudos",
    "moderate_kudos",
]
COMMUNICATIONS_CODENAMES = ["view_pointsrule", "view_badge"]


def _permissions(apps, codenames):
    # Permissions are normally created after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="recognition", codename__in=codenames)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in (("HR", HR_CODENAMES), ("Communications", COMMUNICATIONS_CODENAMES)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in (("HR", HR_CODENAMES), ("Communications", COMMUNICATIONS_CODENAMES)):
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_ledger_badges_kudos_appraisals"),
        ("lms", "0002_hr_and_communications_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
