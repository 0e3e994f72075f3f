from django import template

from casework.presenters.fragments import sources_panel_body

register = template.Library()


@register.simple_tag(takes_context=True)
def sources_panel(context) -> dict:
    """`{% sources_panel as panel %}`: the step's case's sources panel: count, editable, body.

    In the wizard the panel opens on purpose to add one: the form is shown straight away.
    The step's own list of the case's sources (`case_sources`) spares a query when given.
    """
    assessment = context.get("assessment")
    case = assessment.case if assessment is not None else context["case"]
    return sources_panel_body(
        context["request"],
        case,
        sources=context.get("case_sources"),
        csrf_token=str(context.get("csrf_token", "")),
    )
