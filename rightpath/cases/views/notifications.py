"""Case work views: notifications."""

urlpatterns: list = []
