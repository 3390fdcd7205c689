"""API v1: the schema and its documentation (public), and the endpoints (each behind the policy)."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from rightpath.assessments import api as assessments_api
from rightpath.cases import api as cases_api
from rightpath.knowledge import api_entries
from rightpath.knowledge.api import search_view
from rightpath.training import api as training_api

from . import views

app_name = "api"

schema_view = SpectacularAPIView.as_view()
schema_view.access_public = "the OpenAPI description of the API: it lists endpoints, never data"

# Swagger UI sets inline styles at run time, so only this page allows them; scripts stay 'self' only.
docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(views.SwaggerDocsView.as_view(url_name="api:schema"))
docs_view.access_public = "the API documentation (Swagger UI) shows the public schema, never data"

not_found_view = views.not_found
not_found_view.access_public = "unknown API addresses answer a JSON 404 instead of the HTML page"

urlpatterns = [
    path("schema/", schema_view, name="schema"),
    path("docs/", docs_view, name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<uuid:code>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("entries/", api_entries.entry_list, name="entry-list"),
    path("entries/<uuid:code>/", api_entries.entry_detail, name="entry-detail"),
    path("publications/", api_entries.publication_list, name="publication-list"),
    path("publications/<uuid:code>/", api_entries.publication_detail, name="publication-detail"),
    path("search/", search_view, name="search"),
    path("cases/", cases_api.CaseListView.as_view(), name="case-list"),
    path("cases/<uuid:code>/", cases_api.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<uuid:code>/plan/", cases_api.CasePlanView.as_view(), name="case-plan"),
    path("cases/<uuid:code>/sessions/", cases_api.CaseSessionsView.as_view(), name="case-sessions"),
    path("cases/<uuid:code>/referrals/", cases_api.CaseReferralsView.as_view(), name="case-referrals"),
    path("training/courses/", training_api.CourseListView.as_view(), name="training-course-list"),
    path("training/courses/<uuid:code>/", training_api.CourseDetailView.as_view(), name="training-course-detail"),
    path("training/enrolments/", training_api.MyEnrolmentsView.as_view(), name="training-enrolment-list"),
    path(
        "certificates/<str:verification_code>/",
        training_api.CertificateVerifyView.as_view(),
        name="certificate-verify",
    ),
    path("instruments/", assessments_api.InstrumentListView.as_view(), name="instrument-list"),
    path("cases/<uuid:code>/assessments/", assessments_api.CaseAssessmentsView.as_view(), name="case-assessments"),
    path(
        "cases/<uuid:code>/assessments/<uuid:assessment>/",
        assessments_api.AssessmentDetailView.as_view(),
        name="case-assessment-detail",
    ),
    path("<path:unknown>", not_found_view, name="not-found"),
]
