"""Rebuild the search index from the data (after a bulk import, a restore, or to repair)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from casework.search.services import search_install, search_reindex_all


class Command(BaseCommand):
    help = "Re-create the full-text index and rebuild every search entry."

    @transaction.atomic
    def handle(self, *args, **options):
        search_install()
        count = search_reindex_all()
        self.stdout.write(f"Indexed {count} texts.")
