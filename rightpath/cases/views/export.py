"""Case work views: export."""

urlpatterns: list = []
