"""What a framework file may hold, and the error that lists what is wrong with one.

The caps keep the work per file small and every error message short, whatever the file holds.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from frameworks.registers import REGISTER_NAMES

MAX_ERRORS = 50
# Every message is cut to this many characters, and every value quoted in one to QUOTE_CHARS,
# so that a hostile or mistyped file can't produce an error list of megabytes.
MAX_ERROR_CHARS = 300
QUOTE_CHARS = 40
# Scale and rubric values: far inside the database's integer range, and wide enough for any
# real scale (0–5, 1–10, even 0–100 percent).
SCALE_VALUE_MIN = -100
SCALE_VALUE_MAX = 100
SCALE_MAX_LEVELS = SCALE_VALUE_MAX - SCALE_VALUE_MIN + 1
RUBRIC_MAX_LEVELS = SCALE_MAX_LEVELS
# List lengths: the file size cap bounds them too, but these keep the work per file small.
MAX_DIMENSIONS = 100
MAX_ITEMS_PER_DIMENSION = 500
MAX_REGISTER_CODES = 50
# Integers are read from their digits; longer ones are refused before Python converts them.
MAX_NUMBER_DIGITS = 100
REGISTERS = REGISTER_NAMES
KINDS = ("scored", "observation")
POLARITIES = ("positive", "negative", "neutral")
WEIGHT_MAX = Decimal("9999.99")  # max_digits=6, decimal_places=2

# Allowed keys, in the order a file lists them (and an export writes them).
TOP_KEYS = ("framework", "version", "scale", "dimensions")
FRAMEWORK_KEYS = ("code", "name", "description", "source")
SOURCE_KEYS = ("author", "title", "reference")
VERSION_KEYS = ("label", "notes")
SCALE_KEYS = ("value", "label", "description")
DIMENSION_KEYS = (
    "code",
    "title",
    "guidance",
    "source",
    "weight",
    "registers",
    "informs",
    "items",
)
ITEM_KEYS = (
    "code",
    "kind",
    "polarity",
    "title",
    "guidance",
    "weight",
    "source",
    "recommendation",
    "levels",
)
LEVEL_KEYS = ("value", "description")


class FrameworkFileError(Exception):
    """A framework file that can't be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = [shorten(str(error), MAX_ERROR_CHARS) for error in errors[: MAX_ERRORS + 1]]
        super().__init__("\n".join(self.errors))


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` cut to `limit` characters, with … where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _digits(number: int) -> int:
    """How many decimal digits an integer has, counted without converting it to text."""
    number = abs(number)
    digits = max(1, int(number.bit_length() * 0.30102999566398))
    while 10**digits <= number:
        digits += 1
    while digits > 1 and 10 ** (digits - 1) > number:
        digits -= 1
    return digits


def show(value) -> str:
    """A value from the file as a message quotes it: short, whatever it is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**QUOTE_CHARS:
        return _("a number with %(digits)s digits") % {"digits": _digits(value)}
    return shorten(str(value))


def _too_many_digits(line, digits) -> FrameworkFileError:
    where = _("line %(line)s: ") % {"line": line} if line is not None else ""
    return FrameworkFileError(
        [
            where
            + _("a number with %(digits)s digits is too long for a framework file")
            % {"digits": digits}
        ]
    )
