"""Knowledge hub views: countries."""

urlpatterns: list = []
