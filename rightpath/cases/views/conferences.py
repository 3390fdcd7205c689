"""Case work views: conferences."""

urlpatterns: list = []
