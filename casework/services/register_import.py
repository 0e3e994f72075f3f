"""Rows pasted or uploaded into a register, written all together once the analyst confirms."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from casework.models import Assessment
from casework.register_import import MAX_ROWS, recheck
from casework.services.assessments import assessment_touch
from casework.services.locks import ensure_editable
from casework.services.registers import register_model


@transaction.atomic
def register_rows_import(*, assessment: Assessment, register: str, user, rows: list[dict]) -> list:
    """Append `rows` (raw cells by column, as the preview kept them) after checking them again.

    All or nothing: one row with an error and no row is written, so that the corrected sheet
    can be pasted again without doubling the rows that were fine.
    """
    ensure_editable(assessment)
    model = register_model(register)
    if not rows:
        raise ValidationError(_("There are no rows to import."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("There are more than %(limit)s rows: import at most %(limit)s at a time.")
            % {"limit": MAX_ROWS}
        )
    preview = recheck(register, rows)
    if not preview.ok:
        raise ValidationError(
            ngettext(
                "%(count)s row has errors: nothing was imported.",
                "%(count)s rows have errors: nothing was imported.",
                preview.error_count,
            )
            % {"count": preview.error_count}
        )
    # The assessment's row lock keeps two imports (or an import and an add) from taking the
    # same order numbers.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    last = model.objects.filter(assessment=assessment).aggregate(m=Max("order"))["m"] or 0
    rows = [
        model(assessment=assessment, order=last + offset, updated_by=user, **parsed.data)
        for offset, parsed in enumerate(preview.rows, 1)
    ]
    # One INSERT for the rows and one for their history entries (each by `user`).
    created = bulk_create_with_history(rows, model, default_user=user)
    assessment_touch(assessment_id=assessment.pk)
    return created
