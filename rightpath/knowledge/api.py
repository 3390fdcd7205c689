"""Search API: ``GET /api/v1/search/?q=…&lang=…`` answers with the same ranked results as the search page.

Published knowledge is public, so the view is marked public (anonymous callers are welcome);
``PolicyPermission`` still asks the policy for "knowledge.entry.view", and the search counts and
returns only what the caller may view.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from rightpath.accounts.models import Country
from rightpath.api.permissions import PolicyPermission
from rightpath.api.schema import ERRORS

from . import search
from .selectors import reader_language
from .taxonomy import EntryKind, EvidenceLevel, Pillar, TargetGroup

PUBLIC_REASON = (
    "searching published knowledge is open to everyone; PolicyPermission asks knowledge.entry.view "
    "and the search counts and returns only what the caller may view"
)


class SearchHitSerializer(serializers.Serializer):
    """One result, in the order of the search page."""

    code = serializers.UUIDField()
    title = serializers.CharField(help_text="In the requested language when it exists, else the original's.")
    kind = serializers.CharField(help_text="practice, policy, institution, figure, framework or publication.")
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO country codes, e.g. RS.")
    language = serializers.CharField(help_text="The language of the title and summary (sr-latn: Serbian in Latin).")
    url = serializers.URLField(help_text="The page of the entry or publication.")
    summary = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField(help_text="Relevance (higher first); 0 when listing without words.")


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    message = serializers.CharField(help_text="Why the query was cut or found nothing to search for; else empty.")
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))


def _multi(name: str, values: list[str], description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, many=True, explode=True, enum=values or None, description=description
    )


SEARCH_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words to find, in any language (at most 8 words)."),
    OpenApiParameter("lang", OpenApiTypes.STR, description="Language of the titles (en, sq, bs, hr, mk, sr, sr-latn)."),
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number (20 results a page)."),
    _multi("country", Country.values, "Only these countries (repeat for several)."),
    _multi("pillar", Pillar.values, "Only these pillars."),
    _multi("group", TargetGroup.values, "Only these target groups."),
    _multi("kind", [*EntryKind.values, search.PUBLICATION_KIND], "Only these types."),
    _multi("evidence", EvidenceLevel.values, "Only these evidence ratings."),
    _multi("year", [], "Only these years (four digits)."),
]


class SearchView(APIView):
    """Published entries and publications matching the words, ranked as on the search page, with facet counts."""

    permission_classes = [PolicyPermission]
    policy_action = search.VIEW_ACTION

    @extend_schema(
        operation_id="search",
        tags=["knowledge"],
        parameters=SEARCH_PARAMETERS,
        responses={200: SearchResponseSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        language = reader_language(request.query_params.get("lang"), get_language())
        result = search.search(actor=request.user, params=request.query_params, language=language)
        page = result.page_obj
        here = request.build_absolute_uri()
        body: dict[str, Any] = {
            "count": result.total,
            "next": replace_query_param(here, "page", page.next_page_number()) if page.has_next() else None,
            "previous": replace_query_param(here, "page", page.previous_page_number()) if page.has_previous() else None,
            "message": result.message,
            "results": [
                {
                    "code": hit.code,
                    "title": hit.title,
                    "kind": hit.kind,
                    "countries": [code for code, _name in hit.countries],
                    "language": hit.language,
                    "url": request.build_absolute_uri(hit.url),
                    "summary": hit.summary,
                    "year": hit.year,
                    "score": hit.score,
                }
                for hit in result.hits
            ],
            "facets": {
                facet.name: [
                    {"value": o.value, "label": o.label, "count": o.count, "selected": o.selected}
                    for o in facet.options
                ]
                for facet in result.facets
            },
        }
        return Response(SearchResponseSerializer(body).data)


search_view = SearchView.as_view()
search_view.access_public = PUBLIC_REASON  # type: ignore[attr-defined]
