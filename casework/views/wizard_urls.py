"""Routes: see the view modules beside this file."""

urlpatterns = []
