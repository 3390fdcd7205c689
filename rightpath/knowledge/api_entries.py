"""Read API for published knowledge: entries (practices and policies by default, any kind with
``?kind=``) and publications, in the language asked for with ``?lang=`` (with the same fallback
as the pages).

Published knowledge is public, so anonymous callers are welcome (each view is marked public with
its reason); ``PolicyPermission`` still asks the policy for "knowledge.entry.view" on every request
and object, and the selectors return published rows only, whoever asks.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from rightpath.accounts.models import Country
from rightpath.api.permissions import PolicyPermission
from rightpath.api.schema import ERRORS, ERRORS_WITH_404

from . import selectors_countries, selectors_publications
from .models import Entry, Publication
from .selectors_countries import EntryRow
from .taxonomy import EntryKind, EvidenceLevel, Pillar, PublicationType, TargetGroup

VIEW = "knowledge.entry.view"
PUBLIC_REASON = (
    "published knowledge is public; PolicyPermission asks knowledge.entry.view and only published rows are returned"
)

LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    description="Language of the text (en, sq, bs, hr, mk, sr, sr-latn); falls back to the original.",
)


def _language(request: Any) -> str:
    return selectors_publications.reader_language(request.query_params.get("lang"), get_language())


# --- output serializers ---------------------------------------------------------------------------------------
# Codes are plain strings with their values listed: the shared vocabularies (countries, pillars…) are
# used by several serializers under different field names, which OpenAPI enum naming cannot tell apart.


def _one_of(values: list[str]) -> str:
    return "one of " + ", ".join(values) + "."


class SourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()
    accessed_on = serializers.DateField(allow_null=True)


class EntrySerializer(serializers.Serializer):
    """A published entry, its text in the requested language (or the fallback shown in ``language``)."""

    code = serializers.UUIDField()
    kind = serializers.CharField(help_text=_one_of(EntryKind.values))
    language = serializers.CharField(help_text="The language of title and summary.")
    title = serializers.CharField()
    summary = serializers.CharField()
    countries = serializers.ListField(
        child=serializers.CharField(), help_text="Country codes: " + _one_of(Country.values)
    )
    pillars = serializers.ListField(child=serializers.CharField(), help_text="Pillars: " + _one_of(Pillar.values))
    target_groups = serializers.ListField(
        child=serializers.CharField(), help_text="Target groups: " + _one_of(TargetGroup.values)
    )
    year = serializers.IntegerField(allow_null=True)
    evidence_level = serializers.CharField(
        allow_blank=True, help_text="Evidence rating of a practice (empty if none): " + _one_of(EvidenceLevel.values)
    )
    value = serializers.CharField(help_text="The figure, for entries of kind figure.")
    as_of = serializers.IntegerField(allow_null=True, help_text="The year a figure refers to.")
    sources = SourceSerializer(many=True)
    url = serializers.URLField(help_text="The entry's page.")

    def to_representation(self, entry: Entry) -> dict[str, Any]:
        request = self.context["request"]
        row: EntryRow = selectors_countries.entry_row(entry, self.context["language"], with_sources=True)
        return {
            "code": str(row.code),
            "kind": row.kind,
            "language": row.language,
            "title": row.title,
            "summary": row.summary,
            "countries": row.countries,
            "pillars": sorted(row.pillars),
            "target_groups": sorted(g.group for g in entry.target_groups.all()),
            "year": row.year,
            "evidence_level": row.evidence_level,
            "value": row.value,
            "as_of": row.as_of,
            "sources": [
                {**s, "accessed_on": s["accessed_on"].isoformat() if s["accessed_on"] else None} for s in row.sources
            ],
            "url": request.build_absolute_uri(reverse("knowledge:entry_detail", kwargs={"code": entry.code})),
        }


class SectionSerializer(serializers.Serializer):
    heading = serializers.CharField()
    body = serializers.CharField(help_text="Plain text; paragraphs are separated by an empty line.")


class PublicationSerializer(serializers.Serializer):
    """A published publication: its published version, in the requested language where it exists."""

    code = serializers.UUIDField()
    type = serializers.CharField(help_text=_one_of(PublicationType.values))
    language = serializers.CharField(help_text="The language of the text.")
    title = serializers.CharField()
    summary = serializers.CharField()
    authors = serializers.CharField()
    publisher = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField(help_text="The published version.")
    pillars = serializers.ListField(child=serializers.CharField(), help_text="Pillars: " + _one_of(Pillar.values))
    languages = serializers.ListField(child=serializers.CharField(), help_text="Languages this version has.")
    citation = serializers.CharField()
    url = serializers.URLField()
    pdf_url = serializers.URLField()

    def to_representation(self, publication: Publication) -> dict[str, Any]:
        request = self.context["request"]
        shown = getattr(publication, "shown_versions", [])
        version = shown[0] if shown else None
        content = version.content if version else {}
        text = selectors_publications.publication_text(content, self.context["language"], publication.original_language)
        url = request.build_absolute_uri(reverse("knowledge:publication_detail", args=[publication.code]))
        number = version.number if version else 0
        return {
            "code": str(publication.code),
            "type": publication.type,
            "language": text.shown_language,
            "title": text.title,
            "summary": text.summary,
            "authors": publication.authors,
            "publisher": publication.publisher,
            "year": publication.year,
            "version": number,
            "pillars": sorted(p.pillar for p in publication.pillars.all()),
            "languages": sorted(content),
            "citation": selectors_publications.citation(publication, text.title, number, url),
            "url": url,
            "pdf_url": request.build_absolute_uri(reverse("knowledge:publication_pdf", args=[publication.code])),
        }


class PublicationDetailSerializer(PublicationSerializer):
    """A published publication with the sections of its published version."""

    sections = SectionSerializer(many=True)

    def to_representation(self, publication: Publication) -> dict[str, Any]:
        data = super().to_representation(publication)
        shown = getattr(publication, "shown_versions", [])
        content = shown[0].content if shown else {}
        text = selectors_publications.publication_text(content, self.context["language"], publication.original_language)
        data["sections"] = text.sections
        return data


# --- views ----------------------------------------------------------------------------------------------------


class _Published:
    permission_classes = [PolicyPermission]
    policy_action = VIEW
    lookup_field = "code"

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["language"] = _language(self.request)  # type: ignore[attr-defined]
        return context


ENTRY_FILTERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=EntryKind.values, description="Default: practices and policies."),
    OpenApiParameter("country", OpenApiTypes.STR, enum=Country.values, description="Country code, e.g. XK."),
    OpenApiParameter("pillar", OpenApiTypes.STR, enum=Pillar.values),
    LANG,
]


@extend_schema(tags=["knowledge"], parameters=ENTRY_FILTERS, responses={200: EntrySerializer(many=True), **ERRORS})
class EntryListView(_Published, generics.ListAPIView):
    """Published practices and policies (or entries of another kind with ``?kind=``), newest first."""

    serializer_class = EntrySerializer

    def get_queryset(self) -> QuerySet[Entry]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Entry.objects.none()
        return selectors_countries.api_entry_list(actor=self.request.user, params=self.request.query_params)


@extend_schema(tags=["knowledge"], parameters=[LANG], responses={200: EntrySerializer, **ERRORS_WITH_404})
class EntryDetailView(_Published, generics.RetrieveAPIView):
    """One published entry, by its code."""

    serializer_class = EntrySerializer

    def get_queryset(self) -> QuerySet[Entry]:
        if getattr(self, "swagger_fake_view", False):
            return Entry.objects.none()
        return selectors_countries.api_entry_queryset(actor=self.request.user)


PUBLICATION_FILTERS = [
    OpenApiParameter("type", OpenApiTypes.STR, enum=PublicationType.values),
    OpenApiParameter("pillar", OpenApiTypes.STR, enum=Pillar.values),
    LANG,
]


@extend_schema(
    tags=["knowledge"], parameters=PUBLICATION_FILTERS, responses={200: PublicationSerializer(many=True), **ERRORS}
)
class PublicationListView(_Published, generics.ListAPIView):
    """Published protocols, models and recommendations (their published versions), latest first."""

    serializer_class = PublicationSerializer

    def get_queryset(self) -> QuerySet[Publication]:
        if getattr(self, "swagger_fake_view", False):
            return Publication.objects.none()
        return selectors_publications.api_publication_list(actor=self.request.user, params=self.request.query_params)


@extend_schema(tags=["knowledge"], parameters=[LANG], responses={200: PublicationDetailSerializer, **ERRORS_WITH_404})
class PublicationDetailView(_Published, generics.RetrieveAPIView):
    """One published publication with the sections of its published version."""

    serializer_class = PublicationDetailSerializer

    def get_queryset(self) -> QuerySet[Publication]:
        if getattr(self, "swagger_fake_view", False):
            return Publication.objects.none()
        return selectors_publications.api_publication_queryset(actor=self.request.user)


def _public(view: Any) -> Any:
    view.access_public = PUBLIC_REASON
    return view


entry_list = _public(EntryListView.as_view())
entry_detail = _public(EntryDetailView.as_view())
publication_list = _public(PublicationListView.as_view())
publication_detail = _public(PublicationDetailView.as_view())
