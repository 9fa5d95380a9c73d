"""The two newsroom roles exist from the first migrate."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ENTITY_MODELS = {
    "relations": [
        "country", "organization", "person", "position", "event", "participation",
        "agreement", "bilateralrelation", "milestone", "topic",
    ],
    "articles": ["source", "article", "articleimage"],
}
EDITOR_ACTIONS = ["add", "change", "view"]
CHIEF_ACTIONS = ["add", "change", "delete", "view"]


def ensure_permissions(apps):
    # Permissions are normally created after all migrations (post_migrate); the
    # groups below need them now, on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permission_codenames(actions):
    return {
        (app, f"{action}_{model}")
        for app, models in ENTITY_MODELS.items()
        for model in models
        for action in actions
    }


def grant(apps, group_name, codenames):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in sorted(codenames):
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def grant_newsroom_groups(apps):
    """Create both groups with their permissions (which must already exist)."""
    grant(apps, "Editor", permission_codenames(EDITOR_ACTIONS))
    chief = permission_codenames(CHIEF_ACTIONS) | {("articles", "publish_article")}
    grant(apps, "Chief editor", chief)


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    grant_newsroom_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Chief editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0002_initial"),
        ("relations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
