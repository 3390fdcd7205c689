"""Case work views: plan."""

urlpatterns: list = []
