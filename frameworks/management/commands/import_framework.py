"""Import a framework file (YAML or JSON) as a new draft version."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from frameworks.io import FrameworkFileError, parse_framework_file
from frameworks.services import framework_import


class Command(BaseCommand):
    help = "Import a framework file as a new draft version and print its number."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .yaml or .json framework file")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                # One byte over the limit is enough for the parser to refuse the file.
                raw = handle.read(settings.FRAMEWORK_IMPORT_MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Can't read {file}: {exc.strerror}") from exc
        try:
            version = framework_import(data=parse_framework_file(raw, filename=path.name))
        except FrameworkFileError as exc:
            raise CommandError(f"{path.name}:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"Imported {version.framework.code} {version.label} as draft version {version.number}"
        )
