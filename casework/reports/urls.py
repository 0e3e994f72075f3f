"""Report routes."""

urlpatterns = []
