"""Which cells of a register row are scores, so that the table shows them as 1–5 buttons."""

from django import template

from casework.forms.registers import REGISTER_FORM_FIELDS, SCORE_FIELDS
from casework.models import REGISTER_MODELS

register = template.Library()


@register.filter
def score_field(row, index) -> str:
    """`{% with score=row|score_field:forloop.counter0 %}`: the score shown in cell `index`, or ""."""
    scores = SCORE_FIELDS.get(row.register, ())
    names = REGISTER_FORM_FIELDS.get(row.register, [])
    # Scores come before any column the table adds (a risk's severity is the fifth cell).
    name = names[index] if scores and index < len(names) else ""
    return name if name in scores else ""


@register.filter
def field_label(register_name: str, name: str) -> str:
    """The field's name as the analyst reads it: `{{ row.register|field_label:score }}`."""
    return REGISTER_MODELS[register_name]._meta.get_field(name).verbose_name
