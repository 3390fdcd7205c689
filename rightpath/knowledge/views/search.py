"""Knowledge hub views: search."""

urlpatterns: list = []
