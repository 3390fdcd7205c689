"""URL map: one prefix per part of the product, plus the API.

The Django admin is deliberately not mounted: operators run the platform through RightPath's own
pages, which go through the policy module (the platform administrator reads no case content).
"""

from django.urls import include, path

from rightpath.core import views as core_views

urlpatterns = [
    path("", include("rightpath.core.urls")),
    path("accounts/", include("rightpath.accounts.urls")),
    path("audit/", include("rightpath.audit.urls")),
    path("knowledge/", include("rightpath.knowledge.urls")),
    path("cases/", include("rightpath.cases.urls")),
    path("training/", include("rightpath.training.urls")),
    path("certificates/", include("rightpath.training.views.public")),
    path("assessments/", include("rightpath.assessments.urls")),
    path("api/v1/", include("rightpath.api.urls")),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
