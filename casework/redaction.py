"""Redacted copies of a report: the people who worked on a case are replaced by pseudonyms.

Pure except `names_for_case`, which reads who those people are: the members of the case's unit
and everyone who owned, scored, reviewed or commented on it (full names, first and last names,
e-mail addresses, and user names where a user has no other name). `Redactor` replaces every
occurrence of those names in any text of the report context with "Person A", "Person B"…
(the same person gets the same letter throughout), longest names first, so that "陈思远" is
not half-replaced through "陈". Charts are drawn from the redacted context, so their labels
are redacted too.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from django.utils.translation import gettext as _

# Shorter names would match inside ordinary words: one Chinese character, or "Li" in "Light".
MIN_CHARS = {"cjk": 2, "latin": 3}


def _long_enough(name: str) -> bool:
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return len(name) >= MIN_CHARS["cjk"]
    return len(name) >= MIN_CHARS["latin"]


def _letters():
    for size in (1, 2):
        if size == 1:
            yield from string.ascii_uppercase
        else:
            for first in string.ascii_uppercase:
                for second in string.ascii_uppercase:
                    yield first + second


class Redactor:
    """Replaces each person's names with one pseudonym, in text and in nested report data."""

    def __init__(self, people: Iterable[Iterable[str]]):
        self.pseudonyms: dict[str, str] = {}
        letters = _letters()
        for names in people:
            names = [n.strip() for n in names if n and _long_enough(n.strip())]
            if not names or any(n in self.pseudonyms for n in names):
                continue
            label = _("Person %(letter)s") % {"letter": next(letters)}
            for name in names:
                self.pseudonyms.setdefault(name, label)
        ordered = sorted(self.pseudonyms, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(name) for name in ordered), re.IGNORECASE)
            if ordered
            else None
        )

    def text(self, value: str) -> str:
        if self._pattern is None or not value:
            return value
        lowered = {name.lower(): label for name, label in self.pseudonyms.items()}
        return self._pattern.sub(lambda match: lowered[match.group(0).lower()], value)

    def walk(self, value):
        """A copy of `value` with every string redacted (dicts, lists and tuples followed)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.walk(item) for item in value]
        if isinstance(value, tuple):
            return tuple(self.walk(item) for item in value)
        return value


def person_names(user) -> list[str]:
    """The names a user may appear under: full, first, last, e-mail; the user name if no other."""
    full = user.get_full_name().strip()
    names = [full, user.first_name, user.last_name, user.email]
    if not (user.first_name or user.last_name):
        names.append(user.username)
    return [name for name in names if name]


def names_for_case(case) -> list[list[str]]:
    """Everyone who could be named in the case's reports, each as a list of their names."""
    from django.contrib.auth import get_user_model

    from casework.models import Assessment, Comment

    User = get_user_model()
    ids = {case.owner_id}
    ids |= set(case.unit.members.values_list("user_id", flat=True))
    assessments = Assessment.objects.filter(case=case)
    ids |= set(assessments.values_list("created_by_id", flat=True))
    ids |= set(assessments.values_list("reviewed_by_id", flat=True))
    ids |= set(Comment.objects.filter(assessment__case=case).values_list("author_id", flat=True))
    ids.discard(None)
    users = User.objects.filter(pk__in=ids).order_by("pk")
    return [person_names(user) for user in users]


def redactor_for_case(case) -> Redactor:
    return Redactor(names_for_case(case))
