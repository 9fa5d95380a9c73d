import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_ACCOUNTS = [("editor", "Editor"), ("chief", "Chief editor")]


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo accounts 'editor' and 'chief' and print their "
        "new passwords."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            passwords = [
                (username, group_name, reset_account(username, group_name))
                for username, group_name in DEMO_ACCOUNTS
            ]
        for username, group_name, password in passwords:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{group_name}: username '{username}', password '{password}'"
                )
            )
        self.stdout.write("Sign in at /admin/.")


def reset_account(username, group_name):
    """Give `username` a fresh random password and exactly one newsroom group."""
    try:
        group = Group.objects.get(name=group_name)
    except Group.DoesNotExist:
        raise CommandError(
            f"The group '{group_name}' is missing: run 'manage.py migrate' first."
        ) from None
    user, _ = get_user_model().objects.get_or_create(username=username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    # Staff to reach the admin; never superuser, so the groups decide what it may do.
    user.is_staff, user.is_active, user.is_superuser = True, True, False
    user.save()
    user.groups.set([group])
    return password
