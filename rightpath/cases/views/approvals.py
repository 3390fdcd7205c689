"""Case work views: approvals."""

urlpatterns: list = []
