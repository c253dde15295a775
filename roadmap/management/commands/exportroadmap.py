"""`manage.py exportroadmap SLUG`: print a roadmap in the YAML format loadroadmap reads."""

from django.core.management.base import BaseCommand, CommandError

from roadmap.content import export_roadmap
from roadmap.models import Roadmap


class Command(BaseCommand):
    help = "Print a roadmap as YAML, in the format that loadroadmap reads back."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, slug, **options):
        try:
            self.stdout.write(export_roadmap(slug), ending="")
        except Roadmap.DoesNotExist:
            raise CommandError(f"No roadmap with the slug “{slug}”.") from None
