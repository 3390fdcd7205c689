"""Knowledge hub views: entries."""

urlpatterns: list = []
