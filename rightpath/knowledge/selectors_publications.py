"""Reads for DRIVE publications: lists, the version a reader may open, its text in the reader's
language, and its citation.

Readers (anyone) see published publications, and of those only the versions that were published
(the current one and earlier ones); editors and reviewers also see drafts, archived publications and unpublished versions (the
policy's scope for "knowledge.entry.view" decides, here and in the API).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from rightpath.access.policy import can, visible
from rightpath.core.listing import paginate

from . import content
from .models import Publication, PublicationVersion
from .taxonomy import CONTENT_LANGUAGES, Pillar, PublicationType, Status, TranslationStatus

LANGUAGE_NAMES = dict(CONTENT_LANGUAGES)
SORT_FIELDS = {"published": "published_at", "year": "year", "updated": "updated_at"}


def reader_language(requested: str | None, interface_language: str) -> str:
    """The language asked for with ``?lang=`` when it is one of the interface's, else the interface's."""
    known = {code for code, _name in settings.LANGUAGES}
    if requested and requested.lower() in known:
        return requested.lower()
    return interface_language


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, LANGUAGE_NAMES.get(code, code))


# --- the text of a version in the reader's language ---------------------------------------------------------


@dataclass
class PublicationText:
    """A version's text as one reader sees it (Serbian in the reader's script)."""

    language: str  # what the reader asked for, e.g. "sr-latn"
    shown_language: str  # the stored language shown, e.g. "sr"
    title: str
    summary: str
    sections: list[dict[str, str]]
    status: str
    is_fallback: bool
    available: list[dict[str, Any]] = field(default_factory=list)

    @property
    def shown_language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.shown_language, self.shown_language)

    @property
    def status_label(self) -> str:
        return str(TranslationStatus(self.status).label) if self.status in TranslationStatus.values else ""

    @property
    def needs_warning(self) -> bool:
        return self.status in (TranslationStatus.MACHINE, TranslationStatus.NEEDS_REVIEW)


def publication_text(version_content: Mapping[str, Any], language: str, original: str) -> PublicationText:
    """The text of a version for a reader of ``language``: the first language of the fallback chain
    (reader's → original → English) the version has, else any. No query."""
    chosen = next((c for c in content.fallback_chain(language, original) if c in version_content), None)
    if chosen is None:
        chosen = next(iter(version_content), original)
    text = version_content.get(chosen, {})
    # Only Serbian text changes script; other text is shown as written.
    script = language if chosen == "sr" else chosen
    shown_code = language if chosen == content.storage_language(language) == "sr" else chosen
    available = [
        {
            "code": code,
            "name": _language_name(code),
            "status": str(TranslationStatus(t.get("status")).label)
            if t.get("status") in TranslationStatus.values
            else "",
            "current": code == shown_code,
        }
        for lang, t in sorted(version_content.items())
        for code in (["sr", "sr-latn"] if lang == "sr" else [lang])
    ]
    return PublicationText(
        language=language,
        shown_language=chosen,
        title=content.in_script(text.get("title", ""), script),
        summary=content.in_script(text.get("summary", ""), script),
        sections=[
            {
                "heading": content.in_script(s.get("heading", ""), script),
                "body": content.in_script(s.get("body", ""), script),
            }
            for s in text.get("sections", [])
        ],
        status=text.get("status", ""),
        is_fallback=chosen != content.storage_language(language),
        available=available,
    )


def citation(publication: Publication, title: str, version: int, url: str) -> str:
    """The citation line, as plain text: "Authors (Year). Title. Version N. Publisher. URL"."""
    authors = publication.authors.strip() or publication.publisher
    year = str(publication.year) if publication.year else _("n.d.")
    parts = [
        f"{authors} ({year})",
        title.rstrip("."),
        _("Version %(number)d") % {"number": version},
        publication.publisher.rstrip("."),
    ]
    return ". ".join(p for p in parts if p) + f". {url}"


# --- lists ------------------------------------------------------------------------------------------------


def _shown_versions() -> QuerySet[PublicationVersion]:
    """Per publication: the published version, or the latest one when none is published yet."""
    latest = PublicationVersion.objects.filter(publication=OuterRef("publication")).order_by("-number")
    return PublicationVersion.objects.filter(
        Q(publication__published_version__isnull=False, number=F("publication__published_version"))
        | Q(publication__published_version__isnull=True, number=Subquery(latest.values("number")[:1]))
    )


def with_shown_version(qs: QuerySet[Publication]) -> QuerySet[Publication]:
    """``qs`` with its pillars and the version each publication shows (``shown_versions``) prefetched."""
    return qs.prefetch_related("pillars", Prefetch("versions", queryset=_shown_versions(), to_attr="shown_versions"))


@dataclass
class PublicationRow:
    publication: Publication
    text: PublicationText | None
    version: int | None

    @property
    def pillars(self) -> list[str]:
        return [str(Pillar(p.pillar).label) for p in self.publication.pillars.all() if p.pillar in Pillar.values]


def publication_row(publication: Publication, language: str) -> PublicationRow:
    """One publication of a list, from its prefetched ``shown_versions`` (no query)."""
    shown = getattr(publication, "shown_versions", [])
    version = shown[0] if shown else None
    text = publication_text(version.content, language, publication.original_language) if version else None
    return PublicationRow(publication, text, version.number if version else None)


def publication_list(*, actor: Any, params: Mapping[str, str], language: str) -> dict[str, Any]:
    """Publications filtered by ``type`` and ``pillar``, published ones unless ``status`` asks for
    another (which only editors and reviewers have), sorted and paged. Four queries."""
    qs = visible(actor, "knowledge.entry.view", Publication.objects.all())
    status = params.get("status", "")
    qs = qs.filter(status=status if status in Status.values else Status.PUBLISHED)
    kind = params.get("type", "")
    if kind in PublicationType.values:
        qs = qs.filter(type=kind)
    pillar = params.get("pillar", "")
    if pillar in Pillar.values:
        qs = qs.filter(pillars__pillar=pillar)
    page = paginate(with_shown_version(qs), params, sort_fields=SORT_FIELDS, default_sort="-published")
    page["rows"] = [publication_row(p, language) for p in page["object_list"]]
    return page


# --- one publication --------------------------------------------------------------------------------------


def publication_get(*, actor: Any, code: Any) -> Publication:
    """One publication the actor may read (Http404 otherwise: a draft is concealed from readers)."""
    pub = visible(actor, "knowledge.entry.view", Publication.objects.all()).prefetch_related("pillars")
    found = pub.filter(code=code).first()
    if found is None:
        raise Http404
    return found


def publication_for_edit(*, actor: Any, code: Any) -> Publication:
    """One publication the actor may edit (Http404 otherwise)."""
    found = (
        visible(actor, "knowledge.entry.edit", Publication.objects.all())
        .prefetch_related("pillars")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    return found


def latest_version(publication: Publication) -> PublicationVersion | None:
    """The newest version of ``publication`` (what editing and translating start from)."""
    return PublicationVersion.objects.filter(publication=publication).order_by("-number").first()


@dataclass
class VersionInfo:
    number: int
    created_at: datetime
    note: str
    is_published: bool
    is_draft: bool


@dataclass
class Reading:
    """One version of a publication as a reader opens it."""

    publication: Publication
    version: PublicationVersion
    text: PublicationText
    versions: list[VersionInfo]
    can_edit: bool

    @property
    def latest(self) -> int:
        return self.versions[0].number if self.versions else self.version.number

    @property
    def is_published_version(self) -> bool:
        return self.publication.status == Status.PUBLISHED and self.version.number == self.publication.published_version

    @property
    def is_older(self) -> bool:
        published = self.publication.published_version or 0
        return self.version.number < published

    @property
    def is_unpublished(self) -> bool:
        return self.version.number > (self.publication.published_version or 0)

    @property
    def pending_draft(self) -> int | None:
        """The newer unpublished version an editor should know of, if any."""
        if (
            self.can_edit
            and self.latest > (self.publication.published_version or 0)
            and self.latest != self.version.number
        ):
            return self.latest
        return None

    @property
    def pillars(self) -> list[str]:
        return [str(Pillar(p.pillar).label) for p in self.publication.pillars.all() if p.pillar in Pillar.values]


def publication_reading(*, actor: Any, publication: Publication, language: str, number: int | None = None) -> Reading:
    """The version ``number`` (default: the one readers see) of ``publication`` in ``language``.

    Readers open the published version and the older versions that were published in their time
    (never the drafts saved between two publications); editors open any (a never published
    publication shows its latest version). Http404 for a version one may not open.
    Two queries.
    """
    can_edit = bool(can(actor, "knowledge.entry.edit", publication))
    published = publication.published_version or 0
    qs = PublicationVersion.objects.filter(publication=publication).order_by("-number")
    if not can_edit:
        qs = qs.filter(number__lte=published, published_at__isnull=False)
    versions = [
        VersionInfo(n, created, note, n == published and publication.status == Status.PUBLISHED, n > published)
        for n, created, note in qs.values_list("number", "created_at", "note")
    ]
    if not versions:
        raise Http404
    if number is None:
        number = published or versions[0].number
    if number not in {v.number for v in versions}:
        raise Http404
    version = PublicationVersion.objects.get(publication=publication, number=number)
    text = publication_text(version.content, language, publication.original_language)
    return Reading(publication, version, text, versions, can_edit)


# --- the read API -----------------------------------------------------------------------------------------


def api_publication_queryset(*, actor: Any) -> QuerySet[Publication]:
    """Published publications (whoever asks) with pillars and the published version prefetched."""
    qs = visible(actor, "knowledge.entry.view", Publication.objects.all()).filter(status=Status.PUBLISHED)
    return with_shown_version(qs)


def api_publication_list(*, actor: Any, params: Mapping[str, str]) -> QuerySet[Publication]:
    """Published publications filtered by ``type`` and ``pillar`` (unknown values match nothing),
    latest published first."""
    qs = api_publication_queryset(actor=actor)
    if params.get("type"):
        qs = qs.filter(type=params["type"])
    if params.get("pillar"):
        qs = qs.filter(pillars__pillar=params["pillar"]).distinct()
    return qs.order_by("-published_at", "-pk")
