"""Template helpers for the analytics panels of the report page."""

from django import template

from casework.analytics.report import whatif_data

register = template.Library()


@register.simple_tag
def whatif(report: dict, aid) -> dict:
    """`{% whatif r aid as panel %}`: the panel's element id and data for one assessment report."""
    return {"id": f"whatif-{aid}", "data_id": f"whatif-{aid}-data", "data": whatif_data(report)}
