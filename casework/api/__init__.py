"""The JSON API under /api/v1/ (django-ninja), personal API tokens and their settings page."""
