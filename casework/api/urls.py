from django.urls import path

from casework.api import views
from casework.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
