"""Numbers in forms stay within what the database can store: too large is a form error."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from casework.converters import MAX_DATABASE_INT, MIN_DATABASE_INT

TOO_LARGE = _("This number is too large.")


def database_int(value) -> int:
    """int(value), or ValueError when the database could not store it (64-bit signed)."""
    number = int(value)
    if not MIN_DATABASE_INT <= number <= MAX_DATABASE_INT:
        raise ValueError(TOO_LARGE)
    return number


class BoundedIntegers:
    """For forms: every IntegerField without its own bounds gets the database's range.

    ModelForm fields already carry their column's range (Django's model validators); plain
    form fields (versions, levels) do not, and a 25-digit number would reach the query.
    """

    def full_clean(self):
        # At validation time, so that fields a form adds in its own __init__ are bounded too.
        for field in self.fields.values():
            if type(field) is not forms.IntegerField:  # not DecimalField or FloatField
                continue
            if field.max_value is None:
                field.max_value = MAX_DATABASE_INT
                field.validators.append(MaxValueValidator(MAX_DATABASE_INT, TOO_LARGE))
            if field.min_value is None:
                field.min_value = MIN_DATABASE_INT
                field.validators.append(MinValueValidator(MIN_DATABASE_INT, TOO_LARGE))
        super().full_clean()
