"""Training URLs (mounted at /training/); the public certificate check is mounted at /certificates/."""

from .views import authoring, learning, reports, sessions, structure

app_name = "training"
urlpatterns = [
    *learning.urlpatterns,
    *authoring.urlpatterns,
    *structure.urlpatterns,
    *sessions.urlpatterns,
    *reports.urlpatterns,
]
