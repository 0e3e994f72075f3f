"""The `<num:...>` path converter: a non-negative integer small enough for the database.

Django's `<int:...>` accepts any number of digits, and a number too large for a 64-bit
integer column can fail deep in a query. Here it simply does not match: a 404.
"""

from django.urls import register_converter

# The largest value a 64-bit signed integer column (SQLite INTEGER, PostgreSQL bigint) holds.
MAX_DATABASE_INT = 2**63 - 1
MIN_DATABASE_INT = -(2**63)


class BoundedIntConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_INT:
            raise ValueError("too large for the database")  # Django answers 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(BoundedIntConverter, "num")
