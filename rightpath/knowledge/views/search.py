"""Knowledge hub views: search, the hub's start page (public: published knowledge only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from rightpath.access.views import public

from .. import search as hub_search
from ..selectors import reader_language


@public("searching published knowledge is open to everyone; the search counts and shows only what the reader may view")
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search published entries and publications in any language, with facets; htmx gets the results only."""
    language = reader_language(request.GET.get("lang"), request.LANGUAGE_CODE)
    result = hub_search.search(actor=request.user, params=request.GET, language=language)
    context = {"result": result, "filter_params": _filter_params(request), "language": language}
    htmx = getattr(request, "htmx", None)
    # A history restore (back button) needs the whole page, not the fragment.
    fragment = bool(htmx) and not htmx.history_restore_request
    response = render(request, "knowledge/search_results.html" if fragment else "knowledge/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _filter_params(request: HttpRequest) -> str:
    """The request's parameters except ``page``, URL-encoded, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


urlpatterns = [
    path("", search, name="search"),
]
