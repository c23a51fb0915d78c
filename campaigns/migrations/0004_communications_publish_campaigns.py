"""Let the Communications group publish campaigns and answer their feedback; nobody else may
publish a campaign (CampaignPage.permissions_for_user asks for campaigns.publish_campaign)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "publish_campaign",
    "view_campaignfeedback",
    "change_campaignfeedback",
    "view_delivery",
    "view_acknowledgement",
]


def _permissions(apps):
    # Permissions are normally created after all migrations run; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="campaigns", codename__in=CODENAMES)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    communications, _ = Group.objects.get_or_create(name="Communications")
    communications.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Communications"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_campaign_pages_and_delivery"),
        ("lms", "0002_hr_and_communications_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
