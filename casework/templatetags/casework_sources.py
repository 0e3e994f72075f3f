from django import template

from casework.presenters.source_panel import panel_context

register = template.Library()


@register.simple_tag(takes_context=True)
def sources_panel(context) -> dict:
    """`{% sources_panel as panel %}`: the sources panel of the page's case (or assessment's)."""
    assessment = context.get("assessment")
    case = assessment.case if assessment is not None else context["case"]
    # In the wizard the panel opens on purpose to add one: the form is shown straight away.
    return panel_context(context["request"], case, add_open=True)
