"""Length limits of free text: one field class and one reader of the limits."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models


def evidence_max_chars() -> int:
    """The longest evidence per item: the EVIDENCE_MAX_CHARS setting, read when checked."""
    return settings.EVIDENCE_MAX_CHARS


class BoundedTextField(models.TextField):
    """A TextField whose max_length model validation checks too, as it does for a CharField.

    Django gives a TextField's max_length to its form field only: a service that cleans with
    the model field (`field.clean`, `full_clean`) would otherwise take text of any length.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))


def text_limit(model, name: str) -> int | None:
    """The most characters field `name` of `model` takes: its max_length or length validator."""
    field = model._meta.get_field(name)
    if field.max_length is not None:
        return field.max_length
    for validator in field.validators:
        if isinstance(validator, MaxLengthValidator):
            limit = validator.limit_value
            return limit() if callable(limit) else limit
    return None
