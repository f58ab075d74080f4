"""Redaktion may create topics (a new topic stays hidden until an article in it is published)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("newsroom")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="newsroom", codename="add_topic")
    for group in Group.objects.filter(name="Redaktion"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="newsroom", codename="add_topic").first()
    for group in Group.objects.filter(name="Redaktion"):
        if permission is not None:
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0016_corrections"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, revoke)]
