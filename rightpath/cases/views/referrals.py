"""Case work views: referrals."""

urlpatterns: list = []
