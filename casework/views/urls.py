from django.urls import path

from casework.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz/", home.healthz, name="healthz"),
]
