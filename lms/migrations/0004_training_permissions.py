"""Let HR run training: assignment rules, the ISO standards and competences, and training pages."""

from django.db import migrations

HR_MODEL_PERMISSIONS = {
    "assignmentrule": ["add", "change", "delete", "view"],
    "isostandard": ["add", "change", "delete", "view"],
    "isoclause": ["add", "change", "delete", "view"],
    "competence": ["add", "change", "delete", "view"],
}
COMMUNICATIONS_MODEL_PERMISSIONS = {
    "isostandard": ["view"],
    "isoclause": ["view"],
    "competence": ["view"],
}
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# Modules use image and document blocks, so whoever edits them must be able to add and choose both.
HR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def _grant(apps, group_name, model_permissions):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for model, actions in model_permissions.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="lms",
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )
    return group


def grant(apps, schema_editor):
    hr = _grant(apps, "HR", HR_MODEL_PERMISSIONS)
    _grant(apps, "Communications", COMMUNICATIONS_MODEL_PERMISSIONS)
    Page = apps.get_model("wagtailcore", "Page")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codename in HR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=hr,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    root_page = Page.objects.filter(depth=1).first()
    if root_page is None:
        return
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=hr,
            page=root_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_training")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
