"""Case work views: mywork."""

urlpatterns: list = []
