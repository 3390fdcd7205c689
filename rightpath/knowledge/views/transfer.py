"""Knowledge hub views: transfer."""

urlpatterns: list = []
