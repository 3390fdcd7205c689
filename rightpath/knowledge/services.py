"""Writes for the knowledge hub. Every change makes a version, is audited, and keeps search current.

An entry is written as one ``EntryData`` (language-neutral fields, translations per language,
countries, pillars, target groups, sources); ``entry_create`` and ``entry_update`` validate all of
it and write all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.access.policy import can
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.core.concurrency import save_versioned

from .models import (
    TRANSLATED_FIELDS,
    Entry,
    EntryCountry,
    EntryPillar,
    EntryTargetGroup,
    EntryTranslation,
    EntryVersion,
    Source,
)
from .taxonomy import Status

# Language-neutral fields an editor may set (everything on Entry but bookkeeping).
ENTRY_FIELDS = [
    "kind", "original_language", "year", "place", "organisation_name", "contact", "period_start", "period_end", "stage",
    "evidence_level", "evidence_basis", "independent_evaluation", "evaluated_in_region", "peer_reviewed", "rated_by",
    "rated_on", "policy_type", "adopting_body", "valid_from", "valid_until", "policy_status", "implementation_status",
    "link", "value", "as_of", "last_verified_on",
]  # fmt: skip


@dataclass
class EntryData:
    """Everything about an entry that an editor or an import provides."""

    fields: dict[str, Any]
    translations: dict[str, dict[str, str]]  # language -> {title, summary, ..., status}
    countries: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)  # {url, title, accessed_on}


def _require(actor: Any, action: str, obj: Any = None) -> None:
    decision = can(actor, action, obj)
    if not decision:
        record(events.ACCESS_DENIED, actor=actor, target=obj, data={"action": action, "reason": decision.reason})
        raise PermissionDenied(decision.reason)


def validate(data: EntryData, *, instance: Entry | None = None) -> Entry:
    """Check every field of ``data``; raise one ValidationError naming each bad field.

    Returns an unsaved Entry carrying the language-neutral fields (or ``instance`` updated).
    """
    errors: dict[str, list[str]] = {}
    entry = instance or Entry()
    for name, value in data.fields.items():
        if name in ENTRY_FIELDS:
            setattr(entry, name, value)
    try:
        entry.full_clean(exclude=["created_by"], validate_unique=False)
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(v)
    if entry.kind == "practice" and entry.evidence_level and not entry.evidence_basis.strip():
        errors.setdefault("evidence_basis", []).append(_("Say what the evidence rating is based on."))
    if entry.period_start and entry.period_end and entry.period_end < entry.period_start:
        errors.setdefault("period_end", []).append(_("The end year is before the start year."))
    if entry.kind == "figure":
        # A number means nothing without when it held and where it comes from.
        if not entry.as_of and not entry.year:
            errors.setdefault("as_of", []).append(_("Say the year the figure holds for (“as of”)."))
        if not data.sources:
            errors.setdefault("sources", []).append(_("A figure needs at least one source."))
    if entry.valid_from and entry.valid_until and entry.valid_until < entry.valid_from:
        errors.setdefault("valid_until", []).append(_("The end of validity is before its start."))
    if not data.translations:
        errors.setdefault("title", []).append(_("Give a title in at least one language."))
    for lang, text in data.translations.items():
        probe = EntryTranslation(
            entry=entry, language=lang, **{k: v for k, v in text.items() if k in [*TRANSLATED_FIELDS, "status"]}
        )
        try:
            probe.full_clean(exclude=["entry"], validate_unique=False)
        except ValidationError as exc:
            for k, v in exc.message_dict.items():
                errors.setdefault(f"{k}_{lang}" if k != "language" else "language", []).extend(v)
    if entry.original_language not in data.translations and data.translations:
        errors.setdefault("original_language", []).append(_("There is no text in the original language."))
    for name, values, choices in (
        ("countries", data.countries, EntryCountry._meta.get_field("country").choices),
        ("pillars", data.pillars, EntryPillar._meta.get_field("pillar").choices),
        ("target_groups", data.target_groups, EntryTargetGroup._meta.get_field("group").choices),
    ):
        allowed = {c for c, _label in choices}
        bad = [v for v in values if v not in allowed]
        if bad:
            errors.setdefault(name, []).append(_("Unknown value: %(values)s") % {"values": ", ".join(bad)})
    for i, src in enumerate(data.sources):
        probe_src = Source(
            entry=entry, url=src.get("url", ""), title=src.get("title", ""), accessed_on=src.get("accessed_on")
        )
        try:
            probe_src.full_clean(exclude=["entry"])
        except ValidationError as exc:
            for k, v in exc.message_dict.items():
                errors.setdefault(f"sources_{i}_{k}", []).extend(v)
    if errors:
        raise ValidationError(errors)
    return entry


def snapshot(entry: Entry) -> dict[str, Any]:
    """Everything about an entry as plain JSON, for versions, diffs and revert."""
    return {
        "fields": {f: _plain(getattr(entry, f)) for f in ENTRY_FIELDS},
        "status": entry.status,
        "translations": {
            t.language: {"status": t.status, **{f: getattr(t, f) for f in TRANSLATED_FIELDS}}
            for t in entry.translations.all().order_by("language")
        },
        "countries": sorted(entry.countries.values_list("country", flat=True)),
        "pillars": sorted(entry.pillars.values_list("pillar", flat=True)),
        "target_groups": sorted(entry.target_groups.values_list("group", flat=True)),
        "sources": [
            {"url": s.url, "title": s.title, "accessed_on": _plain(s.accessed_on)}
            for s in entry.sources.all().order_by("id")
        ],
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def data_from_snapshot(snap: dict[str, Any]) -> EntryData:
    return EntryData(
        fields=dict(snap["fields"]),
        translations={k: dict(v) for k, v in snap["translations"].items()},
        countries=list(snap["countries"]),
        pillars=list(snap["pillars"]),
        target_groups=list(snap["target_groups"]),
        sources=[dict(s) for s in snap["sources"]],
    )


def _write_related(entry: Entry, data: EntryData) -> None:
    entry.translations.exclude(language__in=list(data.translations)).delete()
    for lang, text in data.translations.items():
        values = {k: text.get(k, "") or "" for k in TRANSLATED_FIELDS}
        values["status"] = text.get("status") or ("original" if lang == entry.original_language else "translated")
        EntryTranslation.objects.update_or_create(entry=entry, language=lang, defaults=values)
    for model, attr, values in (
        (EntryCountry, "country", data.countries),
        (EntryPillar, "pillar", data.pillars),
        (EntryTargetGroup, "group", data.target_groups),
    ):
        model.objects.filter(entry=entry).exclude(**{f"{attr}__in": values}).delete()
        existing = set(model.objects.filter(entry=entry).values_list(attr, flat=True))
        model.objects.bulk_create([model(entry=entry, **{attr: v}) for v in dict.fromkeys(values) if v not in existing])
    entry.sources.all().delete()
    Source.objects.bulk_create(
        [
            Source(entry=entry, url=s["url"], title=s.get("title", ""), accessed_on=s.get("accessed_on") or None)
            for s in data.sources
        ]
    )


def _new_version(entry: Entry, actor: Any, note: str) -> EntryVersion:
    last = entry.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return EntryVersion.objects.create(
        entry=entry, number=last + 1, snapshot=snapshot(entry), note=note[:300], created_by=actor
    )


def _reindex(entry: Entry) -> None:
    from . import search

    search.reindex_entry(entry)


def entry_create(
    *, actor: Any, data: EntryData, note: str = "", status: str = Status.DRAFT, audit: bool = True
) -> Entry:
    """Create an entry (a draft unless an import says otherwise) with its first version."""
    _require(actor, "knowledge.entry.edit")
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        entry = validate(data)
        entry.status = status
        entry.created_by = actor
        if status == Status.PUBLISHED:
            entry.published_at = timezone.now()
        entry.save()
        _write_related(entry, data)
        _new_version(entry, actor, note or _("Created"))
        if audit:
            record(events.CREATED, actor=actor, target=entry, data={"kind": entry.kind})
        _reindex(entry)
        return entry


def entry_update(entry: Entry, *, actor: Any, data: EntryData, expected_version: int, note: str = "") -> Entry:
    """Change an entry; ConcurrentEditError if someone saved since ``expected_version``."""
    _require(actor, "knowledge.entry.edit", entry)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        fresh = Entry.objects.get(pk=entry.pk)
        validate(data, instance=fresh)
        save_versioned(fresh, expected_version, [f for f in ENTRY_FIELDS if f in data.fields])
        _write_related(fresh, data)
        _new_version(fresh, actor, note or _("Edited"))
        record(events.UPDATED, actor=actor, target=fresh, data={"fields": sorted(data.fields)})
        _reindex(fresh)
        return fresh


TRANSITIONS = {
    "submit": ({Status.DRAFT}, Status.IN_REVIEW, "knowledge.entry.submit"),
    "publish": ({Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}, Status.PUBLISHED, "knowledge.entry.review"),
    "return": ({Status.IN_REVIEW, Status.PUBLISHED}, Status.DRAFT, "knowledge.entry.review"),
    "archive": ({Status.PUBLISHED, Status.DRAFT, Status.IN_REVIEW}, Status.ARCHIVED, "knowledge.entry.review"),
}


def entry_transition(entry: Entry, *, actor: Any, transition: str, note: str = "") -> Entry:
    """Move an entry through draft → in review → published → archived (or back to draft)."""
    if transition not in TRANSITIONS:
        raise ValidationError(_("Unknown step."))
    sources, target, action = TRANSITIONS[transition]
    _require(actor, action, entry)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.status not in sources:
            raise ValidationError(
                _("This step is not possible from the status “%(status)s”.") % {"status": entry.get_status_display()}
            )
        before = entry.status
        entry.status = target
        if target == Status.PUBLISHED:
            entry.published_at = timezone.now()
        Entry.objects.filter(pk=entry.pk).update(
            status=entry.status, published_at=entry.published_at, version=entry.version + 1, updated_at=timezone.now()
        )
        entry.version += 1
        _new_version(entry, actor, note or str(dict(Status.choices)[target]))
        record(events.UPDATED, actor=actor, target=entry, data={"status": [before, target]})
        _reindex(entry)
        return entry


def entry_revert(entry: Entry, *, actor: Any, version: EntryVersion, expected_version: int) -> Entry:
    """Bring back the content of an earlier version, as a new version (history is never rewritten)."""
    _require(actor, "knowledge.entry.edit", entry)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        if version.entry_id != entry.pk:
            raise ValidationError(_("That version belongs to another entry."))
        return entry_update(
            entry,
            actor=actor,
            data=data_from_snapshot(version.snapshot),
            expected_version=expected_version,
            note=_("Reverted to version %(number)s") % {"number": version.number},
        )
