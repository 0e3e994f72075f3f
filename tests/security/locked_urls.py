"""A URLconf for the tests of a locked SQLite database: one view that writes to a locked file."""

import sqlite3

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import include, path

calls = []


def write_to_locked_file(request):
    """Writes to the SQLite file in ?db=; a test holds its write lock from another connection."""
    calls.append(request.path)
    database = sqlite3.connect(request.GET["db"], timeout=0.001, isolation_level=None)
    try:
        database.execute("BEGIN IMMEDIATE")
        database.execute("INSERT INTO notes VALUES ('saved')")
        database.execute("COMMIT")
    except sqlite3.OperationalError as error:
        # What Django's database wrapper raises for the same error.
        raise OperationalError(*error.args) from error
    finally:
        database.close()
    return HttpResponse("saved")


urlpatterns = [
    path("locked/", write_to_locked_file),
    path("", include("casework.urls")),
]
