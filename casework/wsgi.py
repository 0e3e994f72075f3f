"""WSGI entry point (also what `runserver` serves)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
application = get_wsgi_application()

# Imported once the settings are loaded: with DEBUG off, no server starts on the development key.
from casework.production import refuse_insecure_start  # noqa: E402

refuse_insecure_start()
