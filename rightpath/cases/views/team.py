"""Case work views: team."""

urlpatterns: list = []
