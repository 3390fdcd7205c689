"""Case work views: transfers."""

urlpatterns: list = []
