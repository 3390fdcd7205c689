"""Knowledge hub views: publications."""

urlpatterns: list = []
