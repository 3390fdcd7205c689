from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("export.csv", views.entry_export, name="entry_export"),
    path("verify/", views.verify_start, name="verify_start"),
    path("verify/<uuid:result_id>/", views.verify_result, name="verify_result"),
]
