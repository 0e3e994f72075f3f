"""The search index: one row per piece of user text, kept current by the services.

On SQLite a FTS5 table (`search_searchentry_fts`, external content, synchronised by triggers)
indexes `text`; on PostgreSQL a GIN index on `to_tsvector('simple', text)`. Both are created by
the migration (casework/search/backends.py has the SQL); `manage.py reindex_search` re-creates
them and rebuilds every row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Assessment, Case


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", _("Case")
        ANSWER = "answer", _("Evidence and notes")
        FINDING = "finding", _("Dimension findings")
        RISK = "risk", _("Risk")
        INDICATOR = "indicator", _("Indicator")
        CONCLUSION = "conclusion", _("Conclusion")
        LESSONS = "lessons", _("Lessons")
        ACTION = "action", _("Action")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The row the text comes from: a case, answer, finding, risk, indicator, action, or the
    # assessment itself for its conclusion and lessons.
    object_id = models.PositiveBigIntegerField(_("object"))
    # Who may see the entry is decided through its case, by casework.access, as for the case.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    item_code = models.CharField(_("item"), max_length=30, blank=True)
    dimension_code = models.CharField(_("dimension"), max_length=30, blank=True)
    category = models.CharField(_("category"), max_length=20, blank=True)
    # Risk status, indicator met/missed, action status, "problem" for a problem found.
    outcome = models.CharField(_("outcome"), max_length=12, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    # The text as written, for snippets; and as the index reads it (casework/search/segment.py).
    body = models.TextField(_("text"))
    text = models.TextField(_("indexed text"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")
        ]
        indexes = [models.Index(fields=["outcome"], name="search_entry_outcome")]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.kind} {self.object_id}"
