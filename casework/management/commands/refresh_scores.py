"""Re-store every assessment's scores from its answers (after a bulk import, or to repair)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from casework import readmodel


class Command(BaseCommand):
    help = "Re-score every assessment (or only the stale ones) and store the result."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale", action="store_true", help="only assessments written since their last scoring"
        )

    @transaction.atomic
    def handle(self, *args, stale=False, **options):
        if stale:
            ids = readmodel.stale_assessments().values_list("pk", flat=True)
            count = readmodel.scores_refresh(assessment_ids=list(ids))
        else:
            count = readmodel.scores_refresh_all()
        self.stdout.write(f"Stored the scores of {count} assessments.")
