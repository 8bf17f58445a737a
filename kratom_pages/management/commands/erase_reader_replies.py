"""Erase every reader reply written with an email address (right to erasure).

A reply that others have answered is blanked rather than deleted, so their replies stay;
every other reply is deleted.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from kratom_pages.models import ReaderReply

REMOVED = "[removed at the author's request]"


class Command(BaseCommand):
    help = "Delete (or blank, where others replied) all replies left with an email address."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    @transaction.atomic
    def handle(self, *args, email, dry_run=False, **options):
        replies = ReaderReply.objects.filter(email__iexact=email.strip())
        answered = (
            replies.filter(children__isnull=False)
            .exclude(children__email__iexact=email.strip())
            .distinct()
        )
        answered_ids = list(answered.values_list("pk", flat=True))
        to_delete = replies.exclude(pk__in=answered_ids)
        deleted_count = to_delete.count()
        if dry_run:
            self.stdout.write(
                f"Would delete {deleted_count} and blank {len(answered_ids)} replies."
            )
            return
        ReaderReply.objects.filter(pk__in=answered_ids).update(
            display_name="[removed]", email="", body=REMOVED, ip_hash="", moderation_note=""
        )
        to_delete.delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted_count} and blanked {len(answered_ids)} replies for that email."
            )
        )
