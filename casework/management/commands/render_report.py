"""Render one assessment's report to a file: `render_report 12 --output report.pdf`.

The format is PDF, stand-alone print HTML or an editable Word document (`--format docx`);
without --format it follows the output file's suffix.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from casework.models import Assessment
from casework.reports import docx as report_docx
from casework.reports import render
from casework.reports.static_charts import ChartEngineUnavailable


class Command(BaseCommand):
    help = "Render the report of one assessment as PDF (default), print HTML or Word (docx)."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--output", "-o", required=True, help="file to write")
        parser.add_argument("--format", choices=("pdf", "html", "docx"), default=None)
        parser.add_argument("--language", choices=("zh-hans", "en"), default="zh-hans")

    def handle(self, *args, assessment_id, output, format, language, **options):
        output = Path(output)
        suffix = output.suffix.lower()
        kind = format or {".html": "html", ".htm": "html", ".docx": "docx"}.get(suffix, "pdf")
        assessment = (
            Assessment.objects.select_related(
                "case", "case__unit", "case__owner", "framework", "version"
            )
            .select_related("created_by", "reviewed_by")
            .filter(pk=assessment_id)
            .first()
        )
        if assessment is None:
            raise CommandError(f"There is no assessment with id {assessment_id}.")
        with translation.override(language):
            try:
                if kind == "pdf":
                    data = render.assessment_pdf(assessment)
                elif kind == "docx":
                    # Without Chromium the document comes without charts and says so.
                    data = report_docx.assessment_docx(assessment)
                else:
                    data = render.assessment_print_html(assessment).encode("utf-8")
            except ChartEngineUnavailable as error:
                raise CommandError(str(error)) from error
        output.write_bytes(data)
        self.stdout.write(f"Wrote {kind.upper()} report of assessment {assessment_id} to {output}")
