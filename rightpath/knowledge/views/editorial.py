"""Knowledge hub views: editorial."""

urlpatterns: list = []
