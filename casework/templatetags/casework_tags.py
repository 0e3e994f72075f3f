from django import template

from casework import access

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
