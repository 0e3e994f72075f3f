from django.urls import URLResolver, path
from django.urls.resolvers import RoutePattern

import casework.converters  # noqa: F401  (registers <num:...>)
from casework.api import views


class LazyResolver(URLResolver):
    """An include() whose module is imported on first use, not when the URLconf is read.

    A worker then starts without building the API's routes and schemas: they are imported by
    the first request under the prefix or the first reverse() of a name in the namespace.
    (Django's own populate walks every resolver; this one joins in once it is loaded.)
    """

    def _populate(self):
        if "urlconf_module" in self.__dict__:
            super()._populate()


lazy_api = LazyResolver(
    RoutePattern("api/v1/", is_endpoint=False),
    "casework.api.ninja_urls",
    app_name="ninja",
    namespace="api",
)

urlpatterns = [
    lazy_api,
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path("account/api-tokens/<num:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
