"""Report job routes (namespace "jobs")."""

from django.urls import path

import casework.converters  # noqa: F401  (registers <num:...>)
from casework.jobs import views

app_name = "jobs"
urlpatterns = [
    path("start/", views.job_start, name="start"),
    path("<num:pk>/", views.job_detail, name="detail"),
    path("<num:pk>/status/", views.job_status, name="status"),
    path("<num:pk>/download/", views.job_download, name="download"),
]
