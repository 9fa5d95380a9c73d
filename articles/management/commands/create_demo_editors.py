import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = [("editor", "Editor"), ("chief", "Chief editor")]


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts 'editor' and 'chief' and print their passwords."

    def handle(self, *args, **options):
        for username, group_name in DEMO_ACCOUNTS:
            password = self._reset_account(username, group_name)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{group_name}: username '{username}', password '{password}'"
                )
            )

    def _reset_account(self, username, group_name):
        user, _ = get_user_model().objects.get_or_create(username=username)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=group_name)])
        return password
