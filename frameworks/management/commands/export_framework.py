"""Write a framework version as a YAML or JSON file (the format import_framework reads)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.io import dump_version
from frameworks.models import FrameworkVersion


class Command(BaseCommand):
    help = "Export a framework version (default: the latest published one) as YAML or JSON."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version picks a framework version; it replaces Django's --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("code", help="Framework code, e.g. SF")
        parser.add_argument("--version", dest="number", type=int, help="Version number")
        parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
        parser.add_argument("--output", help="File to write (default: standard output)")

    def handle(self, *args, code, number=None, format="yaml", output=None, **options):
        versions = FrameworkVersion.objects.select_related("framework").filter(framework__code=code)
        if number is not None:
            version = versions.filter(number=number).first()
            if version is None:
                raise CommandError(f"{code} has no version {number}.")
        else:
            version = (
                versions.filter(status=FrameworkVersion.Status.PUBLISHED)
                .order_by("-number")
                .first()
            )
            if version is None:
                raise CommandError(f"{code} has no published version; pass --version.")
        text = dump_version(version, format)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {code} version {version.number} to {output}")
        else:
            self.stdout.write(text, ending="")
