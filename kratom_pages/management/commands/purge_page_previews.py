"""Delete stored draft previews older than the preview token lifetime (run it daily)."""

from django.core.management.base import BaseCommand

from kratom_pages.publishing.preview import purge_expired_previews


class Command(BaseCommand):
    help = "Delete expired headless preview drafts."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_expired_previews()} expired previews.")
