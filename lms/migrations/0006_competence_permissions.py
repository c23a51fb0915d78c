"""Let HR keep the competence framework, record assessments and certificates, and run quizzes:
edit them, read their item statistics, see every attempt and grant extra attempts."""

from django.db import migrations

HR_PERMISSIONS = {
    "lms": [
        "add_competencerequirement",
        "change_competencerequirement",
        "delete_competencerequirement",
        "view_competencerequirement",
        "view_competencerecord",
        "record_competence",
        "view_certificate",
    ],
    "quizzes": [
        "add_quiz",
        "change_quiz",
        "delete_quiz",
        "view_quiz",
        "view_quiz_statistics",
        "view_attempt",
        "add_extraattempt",
    ],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    hr, _ = Group.objects.get_or_create(name="HR")
    for app_label, codenames in HR_PERMISSIONS.items():
        hr.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("lms", "0005_competence_framework"), ("quizzes", "0001_quizzes")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
