"""Case work views: sessions."""

urlpatterns: list = []
