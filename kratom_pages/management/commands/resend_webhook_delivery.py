"""Send a logged webhook delivery again (the same event, a new delivery row)."""

from django.core.management.base import BaseCommand, CommandError

from kratom_pages.models import WebhookDelivery
from kratom_pages.publishing.webhooks import resend


class Command(BaseCommand):
    help = "Resend a webhook delivery by its id (see Webhook deliveries in the admin)."

    def add_arguments(self, parser):
        parser.add_argument("delivery_id", type=int)

    def handle(self, *args, delivery_id, **options):
        delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
        if delivery is None:
            raise CommandError(f"No webhook delivery with id {delivery_id}.")
        copy = resend(delivery)
        copy.refresh_from_db()
        self.stdout.write(
            f"Delivery {copy.pk} ({copy.action} to {copy.endpoint_url}): "
            f"{copy.get_status_display()} after {copy.attempts} attempt(s)."
        )
