"""Assessment pages, under /assessments/."""

from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/load/", views.instrument_load, name="instrument_load"),
    path("instruments/<uuid:instrument>/", views.instrument_detail, name="instrument_detail"),
    path("visibility/", views.visibility, name="visibility"),
    path("visibility/<str:role>/", views.visibility_edit, name="visibility_edit"),
    path("cases/<uuid:code>/", views.case_assessments, name="case"),
    path("cases/<uuid:code>/start/", views.assessment_start, name="start"),
    path("cases/<uuid:code>/change/", views.change_over_time, name="change"),
    path("cases/<uuid:code>/<uuid:assessment>/", views.assessment_detail, name="detail"),
    path("cases/<uuid:code>/<uuid:assessment>/edit/", views.assessment_edit, name="edit"),
    path("cases/<uuid:code>/<uuid:assessment>/sign-off/", views.assessment_sign_off, name="sign_off"),
    path("cases/<uuid:code>/<uuid:assessment>/addenda/new/", views.addendum_add, name="addendum_add"),
    path(
        "cases/<uuid:code>/<uuid:assessment>/recommendations/new/", views.recommendation_add, name="recommendation_add"
    ),
    path(
        "cases/<uuid:code>/<uuid:assessment>/recommendations/<uuid:recommendation>/goal/",
        views.recommendation_to_goal,
        name="recommendation_goal",
    ),
]
