"""Case work views: consent."""

urlpatterns: list = []
