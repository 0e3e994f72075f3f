from django import template
from django.apps import apps

from casework import access
from casework.models.fields import text_limit as _text_limit
from casework.reports.numbers import format_number as _format_number

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """`{% if user|has_role:"manager" %}`: managers include admins."""
    if role == "admin":
        return access.is_admin(user)
    if role == "manager":
        return access.is_manager(user)
    if role == "analyst":
        return access.can_edit_cases(user)
    return False


@register.filter
def format_number(value, unit="") -> str:
    """`{{ indicator.latest|format_number:indicator.unit }}` → "494,620", "43 %", "3天", "—"."""
    return _format_number(value, unit or "")


@register.simple_tag
def text_limit(model_name: str, field: str) -> int | None:
    """`{% text_limit "Answer" "note" as limit %}`: the most characters a casework field takes."""
    return _text_limit(apps.get_model("casework", model_name), field)
