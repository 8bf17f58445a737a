"""Export every reader reply written with an email address, as JSON (subject access)."""

import json

from django.core.management.base import BaseCommand

from kratom_pages.models import ReaderReply


class Command(BaseCommand):
    help = "Print, as JSON, all reader replies left with the given email address."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)

    def handle(self, *args, email, **options):
        replies = ReaderReply.objects.filter(email__iexact=email.strip()).select_related("page")
        data = [
            {
                "id": reply.pk,
                "page": {"id": reply.page_id, "title": reply.page.title},
                "in_reply_to": reply.parent_id,
                "display_name": reply.display_name,
                "email": reply.email,
                "body": reply.body,
                "status": reply.status,
                "created_at": reply.created_at.isoformat(),
            }
            for reply in replies.order_by("created_at", "pk")
        ]
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
