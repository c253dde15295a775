"""The Curators group: may edit roadmap content in the admin, but not users or learner data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from roadmap.permissions import CURATOR_PERMISSIONS, CURATORS


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, __ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="roadmap", codename__in=CURATOR_PERMISSIONS
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roadmap", "0004_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
