"""The /api/v1/ routes, imported on the first API request (casework.api.urls includes them lazily)."""

from casework.api.main import api

urlpatterns, app_name, _namespace = api.urls
