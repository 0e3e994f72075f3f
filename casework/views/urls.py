from django.urls import include, path

from casework.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz/", home.healthz, name="healthz"),
    path("", include("casework.views.cases_urls")),
    path("", include("casework.views.wizard_urls")),
    path("", include("casework.reports.urls")),
    path("", include("casework.search.urls")),
]
