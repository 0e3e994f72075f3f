"""The wizard's item cards as markup (`{% load wizard_cards %}`), cached while unchanged."""

from django import template

from casework.presenters.fragments import card_fragments

register = template.Library()


@register.simple_tag
def item_cards(cards):
    """`{% item_cards cards as fragments %}`: each card's markup, in order."""
    return card_fragments(list(cards))


@register.simple_tag
def item_card(card):
    """`{% item_card card %}`: one card's markup."""
    return card_fragments([card])[0]
