"""Case work views: documents."""

urlpatterns: list = []
