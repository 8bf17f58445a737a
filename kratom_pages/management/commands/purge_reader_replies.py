"""Delete rejected and spam replies older than REPLY_RETENTION_DAYS (run it daily)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from kratom_pages import conf
from kratom_pages.models import ReaderReply


class Command(BaseCommand):
    help = "Purge rejected and spam reader replies past the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override the setting.")

    def handle(self, *args, days=None, **options):
        days = conf.get("REPLY_RETENTION_DAYS") if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        stale = ReaderReply.objects.filter(
            status__in=[ReaderReply.Status.REJECTED, ReaderReply.Status.SPAM],
            created_at__lt=cutoff,
        )
        count = stale.count()
        stale.delete()
        self.stdout.write(self.style.SUCCESS(f"Purged {count} rejected or spam replies."))
