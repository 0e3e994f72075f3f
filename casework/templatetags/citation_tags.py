"""Template helpers of the citation chips (`{% load citation_tags %}`)."""

from django import template

from casework.citation_chips import chip_placeholder, chips_for

register = template.Library()


@register.simple_tag
def citation_chips(card):
    """`{% citation_chips card as chips %}`: the card's sources as numbered chips."""
    return chips_for(card.source_rows)


@register.simple_tag
def citation_chip_placeholder(card):
    """A chip with tokens for a source added later; citation-chips.js fills them in."""
    return chip_placeholder(card.form.citation_input_name)
