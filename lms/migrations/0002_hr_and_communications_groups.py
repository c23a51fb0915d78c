"""Create the HR and Communications groups with what each role needs to do its work."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("lms", "user", "view_user"),
    ("lms", "user", "add_user"),
    ("lms", "user", "change_user"),
    ("lms", "user", "import_roster"),
    ("lms", "user", "view_all_people"),
    ("lms", "department", "view_department"),
    ("lms", "department", "add_department"),
    ("lms", "department", "change_department"),
    ("lms", "jobrole", "view_jobrole"),
    ("lms", "jobrole", "add_jobrole"),
    ("lms", "jobrole", "change_jobrole"),
]
COMMUNICATIONS_PERMISSIONS = [("wagtailadmin", "admin", "access_admin")]
COMMUNICATIONS_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
COMMUNICATIONS_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]


def _permission(apps, app_label, model, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    hr, _ = Group.objects.get_or_create(name="HR")
    hr.permissions.add(*[_permission(apps, *spec) for spec in HR_PERMISSIONS])

    communications, _ = Group.objects.get_or_create(name="Communications")
    communications.permissions.add(
        *[_permission(apps, *spec) for spec in COMMUNICATIONS_PERMISSIONS]
    )
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in COMMUNICATIONS_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=communications,
                page=root_page,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, model, codenames in COMMUNICATIONS_COLLECTION_PERMISSIONS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=communications,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["HR", "Communications"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
