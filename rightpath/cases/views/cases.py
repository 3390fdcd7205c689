"""Case work views: cases."""

urlpatterns: list = []
