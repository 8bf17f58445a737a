"""Create (or reset) the demo superuser and the demo medical reviewer, and print how to
log in as each.

Passwords come from DEMO_ADMIN_PASSWORD and DEMO_REVIEWER_PASSWORD, else fresh random
ones are generated and printed: a demo should never ship a well-known password. The
reviewer belongs to the "Medical reviewers" group and signs as the demo Reviewer, so the
admin edits and submits a page and the reviewer approves it (nobody approves their own
revision). Each account has a first and last name: Wagtail's Account form requires them,
so without them saving any account setting (such as the admin language) fails.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from example_site.demo import content
from example_site.demo.review_workflow import reviewers_group
from kratom_pages.models import Reviewer


class Command(BaseCommand):
    help = "Create or reset the demo admin user and print its credentials."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DEMO_ADMIN_USER", "admin"))
        parser.add_argument(
            "--reviewer-username", default=os.environ.get("DEMO_REVIEWER_USER", "reviewer")
        )

    def handle(self, *args, username, reviewer_username, **options):
        self._user(
            username, "DEMO_ADMIN_PASSWORD", "demo admin user", ("Demo", "Admin"), superuser=True
        )
        reviewer_user = self._user(
            reviewer_username,
            "DEMO_REVIEWER_PASSWORD",
            "demo medical reviewer",
            ("Demo", "Reviewer"),
            superuser=False,
        )
        reviewer_user.groups.add(reviewers_group())
        reviewer, _created = Reviewer.objects.get_or_create(
            name=content.REVIEWER["name"], defaults=content.REVIEWER
        )
        Reviewer.objects.filter(user=reviewer_user).exclude(pk=reviewer.pk).update(user=None)
        reviewer.user = reviewer_user
        reviewer.save(update_fields=["user"])
        self.stdout.write(f"  signs medical reviews as: {reviewer}")

    def _user(
        self,
        username: str,
        password_variable: str,
        label: str,
        name: tuple[str, str],
        superuser: bool,
    ):
        password = os.environ.get(password_variable) or secrets.token_urlsafe(12)
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        # A name someone gave the account since is kept; only blanks are filled.
        user.first_name = user.first_name or name[0]
        user.last_name = user.last_name or name[1]
        user.is_staff = superuser
        user.is_superuser = superuser
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(self.style.SUCCESS(f"{verb} {label}."))
        self.stdout.write(f"  username: {username}")
        self.stdout.write(f"  password: {password}")
        return user
