"""A "Reply moderators" group that can moderate reader replies without editing pages.

Not "Moderators": Wagtail's own migrations already create a group of that name, which may
edit and publish pages.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Reply moderators"
REPLY_PERMISSIONS = ["view_readerreply", "change_readerreply", "delete_readerreply"]


def create_moderators_group(apps, schema_editor):
    # Model permissions are normally made after all migrations; make ours now.
    app_config = apps.get_app_config("kratom_pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="kratom_pages", codename__in=REPLY_PERMISSIONS
        )
    ) + list(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    group.permissions.add(*permissions)


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kratom_pages", "0002_reader_replies"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
