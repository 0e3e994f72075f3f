from django.urls import path

import casework.converters  # noqa: F401  (registers <num:...>)
from casework.api import views
from casework.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path("account/api-tokens/<num:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
