"""Write the API v3 OpenAPI document, which the demo frontend's types are generated from."""

import json

from django.core.management.base import BaseCommand
from django.test import Client


class Command(BaseCommand):
    help = "Print (or write with --output) /api/v3/openapi.json, keys sorted."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write instead of stdout.")

    def handle(self, *args, output=None, **options):
        response = Client(HTTP_HOST="127.0.0.1").get("/api/v3/openapi.json")
        text = json.dumps(response.json(), indent=2, sort_keys=True) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
