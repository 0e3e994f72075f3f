"""Load fixtures/frameworks/*.yaml: each file becomes a published version, once."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from frameworks.io import FrameworkFileError, parse_framework_file
from frameworks.models import FrameworkVersion
from frameworks.services import framework_import, framework_version_publish


class Command(BaseCommand):
    help = "Load and publish the framework files; a file whose label is already loaded is skipped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            default=None,
            help="Folder with the *.yaml files (default: fixtures/frameworks)",
        )

    def handle(self, *args, path=None, **options):
        folder = Path(path) if path else Path(settings.BASE_DIR) / "fixtures" / "frameworks"
        files = sorted(folder.glob("*.yaml"))
        if not files:
            raise CommandError(f"No framework files (*.yaml) in {folder}")
        for file in files:
            try:
                data = parse_framework_file(file.read_bytes(), filename=file.name)
            except FrameworkFileError as exc:
                raise CommandError(f"{file.name}:\n" + "\n".join(exc.errors)) from exc
            code, label = data["framework"]["code"], data["version"]["label"]
            existing = FrameworkVersion.objects.filter(framework__code=code, label=label).first()
            if existing is not None:
                self.stdout.write(
                    f"{file.name}: skipped, {code} {label} is already loaded as version {existing.number}"
                )
                continue
            with transaction.atomic():
                version = framework_version_publish(version=framework_import(data=data))
            self.stdout.write(
                self.style.SUCCESS(
                    f"{file.name}: loaded {code} {label} as version {version.number} (published)"
                )
            )
