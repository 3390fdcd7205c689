"""Writes for DRIVE publications (protocols, models, recommendations): versioned documents with
sections and translations.

A version is frozen once written: editing or translating always adds a new version, so the
published one never changes under its readers until a reviewer publishes a newer one. Section
bodies are plain text (paragraphs separated by blank lines); pages escape them when they render.

Each service checks the policy before its transaction (so the audit entry of a denial is not
rolled back), validates everything, writes all or nothing, and records what it did.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.access.policy import can
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.core.concurrency import save_versioned

from .models import Publication, PublicationPillar, PublicationVersion
from .taxonomy import CONTENT_LANGUAGES, Pillar, PublicationType, Status, TranslationStatus

LANGUAGE_CODES = [code for code, _name in CONTENT_LANGUAGES]
MAX_SECTIONS = 100
# Language-neutral fields an editor sets (the original language is fixed at creation).
PUBLICATION_FIELDS = ["type", "authors", "publisher", "year"]


@dataclass
class PublicationData:
    """A publication as an editor writes it: neutral fields and the text in its original language."""

    type: str
    title: str
    summary: str = ""
    authors: str = ""
    publisher: str = "RightPath"
    year: int | None = None
    original_language: str = "en"
    pillars: list[str] = field(default_factory=list)
    sections: list[dict[str, str]] = field(default_factory=list)  # [{heading, body}] in order


@dataclass
class TranslationData:
    """The text of a publication in one more language."""

    title: str
    summary: str = ""
    sections: list[dict[str, str]] = field(default_factory=list)
    status: str = TranslationStatus.TRANSLATED


def _require(actor: Any, action: str, obj: Any = None) -> None:
    decision = can(actor, action, obj)
    if not decision:
        record(events.ACCESS_DENIED, actor=actor, target=obj, data={"action": action, "reason": decision.reason})
        raise PermissionDenied(decision.reason)


def _reindex(publication: Publication) -> None:
    from . import search

    # Search for publications is written separately; until it exists there is nothing to refresh.
    reindex = getattr(search, "reindex_publication", None)
    if reindex is not None:
        reindex(publication)


# --- validation -------------------------------------------------------------------------------------------


def _clean_sections(sections: list[dict[str, str]], errors: dict[str, list[str]]) -> list[dict[str, str]]:
    """Sections with surrounding blanks trimmed; empty ones dropped; each needs a heading."""
    cleaned = []
    for i, section in enumerate(sections, start=1):
        heading = (section.get("heading") or "").strip()
        body = (section.get("body") or "").strip().replace("\r\n", "\n")
        if not heading and not body:
            continue
        if not heading:
            errors.setdefault("sections", []).append(_("Section %(number)d has text but no heading.") % {"number": i})
        elif len(heading) > 300:
            errors.setdefault("sections", []).append(
                _("The heading of section %(number)d is longer than 300 characters.") % {"number": i}
            )
        cleaned.append({"heading": heading, "body": body})
    if len(cleaned) > MAX_SECTIONS:
        errors.setdefault("sections", []).append(
            _("A publication has at most %(max)d sections.") % {"max": MAX_SECTIONS}
        )
    return cleaned


def _check_text(title: str, errors: dict[str, list[str]]) -> str:
    title = (title or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Give the publication a title."))
    elif len(title) > 300:
        errors.setdefault("title", []).append(_("The title is longer than 300 characters."))
    return title


def validate(data: PublicationData) -> dict[str, Any]:
    """Check ``data``; raise one ValidationError naming each bad field, or return the cleaned text."""
    errors: dict[str, list[str]] = {}
    if data.type not in PublicationType.values:
        errors.setdefault("type", []).append(_("Choose the type of publication."))
    if data.original_language not in LANGUAGE_CODES:
        errors.setdefault("original_language", []).append(_("Choose the language the publication is written in."))
    if data.year is not None and not 1900 <= data.year <= 2100:
        errors.setdefault("year", []).append(_("Give a year between 1900 and 2100."))
    if len(data.authors) > 500:
        errors.setdefault("authors", []).append(_("The list of authors is longer than 500 characters."))
    if not data.publisher.strip():
        errors.setdefault("publisher", []).append(_("Name the publisher."))
    elif len(data.publisher) > 300:
        errors.setdefault("publisher", []).append(_("The publisher's name is longer than 300 characters."))
    bad = [p for p in data.pillars if p not in Pillar.values]
    if bad:
        errors.setdefault("pillars", []).append(_("Unknown value: %(values)s") % {"values": ", ".join(bad)})
    title = _check_text(data.title, errors)
    sections = _clean_sections(data.sections, errors)
    if errors:
        raise ValidationError(errors)
    return {"title": title, "summary": data.summary.strip(), "sections": sections}


def _latest(publication: Publication) -> PublicationVersion:
    return PublicationVersion.objects.filter(publication=publication).order_by("-number").first()  # type: ignore[return-value]


def _add_version(publication: Publication, content: dict[str, Any], actor: Any, note: str) -> PublicationVersion:
    last = PublicationVersion.objects.filter(publication=publication).aggregate(n=Max("number"))["n"] or 0
    return PublicationVersion.objects.create(
        publication=publication, number=last + 1, content=content, note=note[:300], created_by=actor
    )


def _set_pillars(publication: Publication, pillars: list[str]) -> None:
    wanted = list(dict.fromkeys(pillars))
    PublicationPillar.objects.filter(publication=publication).exclude(pillar__in=wanted).delete()
    existing = set(PublicationPillar.objects.filter(publication=publication).values_list("pillar", flat=True))
    PublicationPillar.objects.bulk_create(
        [PublicationPillar(publication=publication, pillar=p) for p in wanted if p not in existing]
    )


# --- services ---------------------------------------------------------------------------------------------


def publication_create(*, actor: Any, data: PublicationData, note: str = "") -> Publication:
    """Create a publication as a draft, with its first version (text in the original language)."""
    _require(actor, "knowledge.entry.edit")
    text = validate(data)
    with transaction.atomic():
        publication = Publication.objects.create(
            type=data.type,
            status=Status.DRAFT,
            original_language=data.original_language,
            authors=data.authors.strip(),
            publisher=data.publisher.strip(),
            year=data.year,
            created_by=actor,
        )
        _set_pillars(publication, data.pillars)
        content = {data.original_language: {**text, "status": TranslationStatus.ORIGINAL.value}}
        version = _add_version(publication, content, actor, note or _("Created"))
        record(events.CREATED, actor=actor, target=publication, data={"type": data.type, "version": version.number})
        _reindex(publication)
        return publication


def publication_update(
    publication: Publication, *, actor: Any, data: PublicationData, expected_version: int, note: str = ""
) -> PublicationVersion:
    """Change a publication's fields and original text as a new (unpublished) version.

    The published version stays what readers see until a reviewer publishes again. Translations
    are carried over; when the original text changed they are marked "needs review". Raises
    ConcurrentEditError when someone saved since ``expected_version``.
    """
    _require(actor, "knowledge.entry.edit", publication)
    # The original language is fixed at creation: the text edited here is in that language.
    data = dataclasses.replace(data, original_language=publication.original_language)
    text = validate(data)
    with transaction.atomic():
        fresh = Publication.objects.get(pk=publication.pk)
        fresh.type, fresh.authors, fresh.publisher, fresh.year = (
            data.type,
            data.authors.strip(),
            data.publisher.strip(),
            data.year,
        )
        save_versioned(fresh, expected_version, PUBLICATION_FIELDS)
        _set_pillars(fresh, data.pillars)
        latest = _latest(fresh)
        content = copy.deepcopy(latest.content) if latest else {}
        before = content.get(fresh.original_language, {})
        changed = any(before.get(k) != text[k] for k in ("title", "summary", "sections"))
        if changed:
            for lang, translated in content.items():
                if lang != fresh.original_language:
                    translated["status"] = TranslationStatus.NEEDS_REVIEW.value
        content[fresh.original_language] = {**text, "status": TranslationStatus.ORIGINAL.value}
        version = _add_version(fresh, content, actor, note or _("Edited"))
        record(
            events.UPDATED,
            actor=actor,
            target=fresh,
            data={"version": version.number, "fields": PUBLICATION_FIELDS, "text_changed": changed},
        )
        _reindex(fresh)
        return version


def publication_translate(
    publication: Publication,
    *,
    actor: Any,
    language: str,
    data: TranslationData,
    expected_version: int,
    note: str = "",
) -> PublicationVersion:
    """Add or replace the text in ``language`` as a new version, based on the latest version.

    The translation reaches readers when a reviewer publishes that version.
    """
    _require(actor, "knowledge.entry.edit", publication)
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGE_CODES:
        errors.setdefault("language", []).append(_("Choose a language we publish in."))
    elif language == publication.original_language:
        errors.setdefault("language", []).append(_("This is the original language: edit the publication instead."))
    if data.status not in TranslationStatus.values or data.status == TranslationStatus.ORIGINAL:
        errors.setdefault("status", []).append(_("Say how this translation was made."))
    title = _check_text(data.title, errors)
    sections = _clean_sections(data.sections, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = Publication.objects.get(pk=publication.pk)
        save_versioned(fresh, expected_version, [])
        latest = _latest(fresh)
        content = copy.deepcopy(latest.content) if latest else {}
        content[language] = {
            "title": title,
            "summary": data.summary.strip(),
            "sections": sections,
            "status": data.status,
        }
        version = _add_version(
            fresh,
            content,
            actor,
            note or _("Translation: %(language)s") % {"language": dict(CONTENT_LANGUAGES)[language]},
        )
        record(
            events.UPDATED,
            actor=actor,
            target=fresh,
            data={"version": version.number, "translation": language, "status": data.status},
        )
        _reindex(fresh)
        return version


def publication_publish(publication: Publication, *, actor: Any, note: str = "") -> Publication:
    """Publish the latest version: readers see it from now on (a reviewer's decision)."""
    _require(actor, "knowledge.entry.review", publication)
    with transaction.atomic():
        fresh = Publication.objects.select_for_update().get(pk=publication.pk)
        latest = PublicationVersion.objects.filter(publication=fresh).aggregate(n=Max("number"))["n"]
        if latest is None:
            raise ValidationError(_("There is no version to publish."))
        if fresh.status == Status.PUBLISHED and fresh.published_version == latest:
            raise ValidationError(_("Version %(number)d is already published.") % {"number": latest})
        before = (fresh.status, fresh.published_version)
        now = timezone.now()
        Publication.objects.filter(pk=fresh.pk).update(
            status=Status.PUBLISHED,
            published_version=latest,
            published_at=now,
            version=fresh.version + 1,
            updated_at=now,
        )
        PublicationVersion.objects.filter(publication=fresh, number=latest).update(published_at=now)
        fresh.status, fresh.published_version, fresh.published_at = Status.PUBLISHED, latest, now
        fresh.version += 1
        record(
            events.UPDATED,
            actor=actor,
            target=fresh,
            data={
                "status": [before[0], Status.PUBLISHED.value],
                "published_version": [before[1], latest],
                "note": note[:300],
            },
        )
        _reindex(fresh)
        return fresh


def publication_archive(publication: Publication, *, actor: Any, note: str = "") -> Publication:
    """Withdraw a publication from readers (kept, and can be published again)."""
    _require(actor, "knowledge.entry.review", publication)
    with transaction.atomic():
        fresh = Publication.objects.select_for_update().get(pk=publication.pk)
        if fresh.status == Status.ARCHIVED:
            raise ValidationError(_("This publication is already archived."))
        before = fresh.status
        Publication.objects.filter(pk=fresh.pk).update(
            status=Status.ARCHIVED, version=fresh.version + 1, updated_at=timezone.now()
        )
        fresh.status = Status.ARCHIVED
        fresh.version += 1
        record(
            events.UPDATED,
            actor=actor,
            target=fresh,
            data={"status": [before, Status.ARCHIVED.value], "note": note[:300]},
        )
        _reindex(fresh)
        return fresh
