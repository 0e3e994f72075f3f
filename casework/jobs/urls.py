"""Report job routes (namespace "jobs")."""

from django.urls import path

from casework.jobs import views

app_name = "jobs"
urlpatterns = [
    path("start/", views.job_start, name="start"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
