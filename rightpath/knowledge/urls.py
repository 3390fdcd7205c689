"""Knowledge hub URLs: each view module owns its own patterns."""

from .views import countries, editorial, entries, publications, search, transfer

app_name = "knowledge"
urlpatterns = [
    *search.urlpatterns,
    *entries.urlpatterns,
    *editorial.urlpatterns,
    *countries.urlpatterns,
    *publications.urlpatterns,
    *transfer.urlpatterns,
]
