"""Reads for the knowledge hub, already narrowed by the policy, with their related rows chosen.

Also the pure-Python helpers that turn loaded rows into what a page shows: the text in the
reader's language (``entry_text``, ``entry_title``) and the readable difference between two
versions (``version_diff``, ``snapshot_diff``). They run no queries of their own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightpath.access.policy import can, visible
from rightpath.accounts.models import Country
from rightpath.core.listing import paginate

from . import content
from .models import TRANSLATED_FIELDS, Entry, EntryTranslation, EntryVersion
from .services import ENTRY_FIELDS, TRANSITIONS
from .taxonomy import (
    CONTENT_LANGUAGES,
    EntryKind,
    EvidenceLevel,
    ImplementationStatus,
    Pillar,
    PolicyStatus,
    PolicyType,
    Stage,
    Status,
    TargetGroup,
    TranslationStatus,
)

CONTENT_LANGUAGE_NAMES = dict(CONTENT_LANGUAGES)


# --- entries ----------------------------------------------------------------------------------------


def _with_related(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    return qs.prefetch_related(
        Prefetch("translations", queryset=EntryTranslation.objects.order_by("language")),
        "countries",
        "pillars",
        "target_groups",
        "sources",
    )


def entry_get(*, actor: Any, code: Any) -> Entry:
    """One entry the actor may read, with everything its page shows (six queries, whatever its size).

    Raises Http404 when the entry does not exist or the actor may not know of it (a draft, for the
    public): an unpublished entry is concealed, not refused.
    """
    qs = visible(actor, "knowledge.entry.view", Entry.objects.all())
    entry = _with_related(qs).filter(code=code).first()
    if entry is None:
        raise Http404
    return entry


EDITOR_SORT_FIELDS = {
    "title": "sort_title",
    "kind": "kind",
    "status": "status",
    "year": "year",
    "updated": "updated_at",
}


def editor_entry_list(*, actor: Any, params: Mapping[str, str], language: str) -> dict[str, Any]:
    """Entries of every status the actor may edit, filtered by ``status``, ``kind`` and ``country``,
    sorted and paged, with the number of entries in each status (under the same kind and country
    filters) and each row's title in ``language``. Five queries for any page size."""
    qs = visible(actor, "knowledge.entry.edit", Entry.objects.all())
    kind = params.get("kind", "")
    if kind in EntryKind.values:
        qs = qs.filter(kind=kind)
    country = params.get("country", "")
    if country in Country.values:
        qs = qs.filter(countries__country=country)
    # Counted before the status filter, so the editor sees how many wait in each status.
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    status = params.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    # Sorting by title uses the original-language title (each entry has exactly one).
    original_title = EntryTranslation.objects.filter(entry=OuterRef("pk"), language=OuterRef("original_language"))
    qs = qs.annotate(sort_title=Subquery(original_title.values("title")[:1])).prefetch_related(
        "translations", "countries"
    )
    page = paginate(qs, params, sort_fields=EDITOR_SORT_FIELDS, default_sort="-updated")
    page["rows"] = [
        {
            "entry": entry,
            "title": entry_title(entry, language),
            "countries": [c.get_country_display() for c in entry.countries.all()],
        }
        for entry in page["object_list"]
    ]
    page["status_counts"] = [
        {"value": value, "label": label, "count": counts.get(value, 0)} for value, label in Status.choices
    ]
    page["total"] = sum(counts.values())
    return page


def entry_versions(*, entry: Entry, params: Mapping[str, str]) -> dict[str, Any]:
    """The versions of ``entry``, newest first, with who made them and the newest number (one page,
    three queries)."""
    qs = EntryVersion.objects.filter(entry=entry).select_related("created_by").defer("snapshot")
    page = paginate(qs, params, sort_fields={"number": "number"}, default_sort="-number")
    page["latest_number"] = qs.aggregate(latest=Max("number"))["latest"]
    return page


def entry_version_pair(*, entry: Entry, number: int) -> tuple[EntryVersion, EntryVersion | None]:
    """Version ``number`` of ``entry`` and the one before it (None for the first); Http404 if absent."""
    versions = list(
        EntryVersion.objects.filter(entry=entry, number__in=[number, number - 1])
        .select_related("created_by")
        .order_by("-number")
    )
    if not versions or versions[0].number != number:
        raise Http404
    return versions[0], (versions[1] if len(versions) > 1 else None)


def workflow_steps(*, actor: Any, entry: Entry) -> list[dict[str, Any]]:
    """The workflow steps ``actor`` may take on ``entry`` now (submit, publish, return, archive)."""
    labels = {
        "submit": _("Send for review"),
        "publish": _("Publish"),
        "return": _("Return to draft"),
        "archive": _("Archive"),
    }
    return [
        {"step": step, "label": labels[step], "confirm": step == "archive"}
        for step, (sources, _target, action) in TRANSITIONS.items()
        if entry.status in sources and can(actor, action, entry)
    ]


# --- the text in the reader's language ---------------------------------------------------------------


def reader_language(requested: str | None, interface_language: str) -> str:
    """The language the reader asked for with ``?lang=`` if it is one we know, else the interface's."""
    known = {code for code, _name in settings.LANGUAGES}
    if requested and requested.lower() in known:
        return requested.lower()
    return interface_language


@dataclass
class EntryText:
    """The text of an entry as one reader sees it."""

    language: str  # the language the reader asked for (e.g. "sr-latn")
    shown_language: str  # the stored language actually shown (e.g. "sr")
    fields: dict[str, str]
    status: str
    is_fallback: bool
    available: list[dict[str, Any]] = field(default_factory=list)

    @property
    def shown_language_name(self) -> str:
        return CONTENT_LANGUAGE_NAMES.get(self.shown_language, self.shown_language)

    @property
    def requested_language_name(self) -> str:
        return _language_name(self.language)

    @property
    def html_lang(self) -> str:
        """The ``lang`` attribute of the text on screen (Serbian carries its script)."""
        if self.shown_language == content.storage_language(self.language) == "sr":
            return self.language
        return self.shown_language

    @property
    def machine_translated(self) -> bool:
        return self.status in (TranslationStatus.MACHINE, TranslationStatus.NEEDS_REVIEW)


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, CONTENT_LANGUAGE_NAMES.get(code, code))


def entry_title(entry: Entry, language: str) -> str:
    """The title of ``entry`` for a reader of ``language`` (prefetched translations: no query)."""
    chosen = content.pick(entry.translations.all(), language, entry.original_language)
    if chosen is None:
        return str(entry.code)
    return content.in_script(chosen.title, language) if chosen.language == "sr" else chosen.title


def entry_text(entry: Entry, language: str) -> EntryText:
    """The translation of ``entry`` to show a reader of ``language`` (fallback chain of
    ``content.pick``), Serbian in the reader's script, and the other versions one may read.

    Uses the prefetched translations: no query of its own.
    """
    translations = list(entry.translations.all())
    chosen = content.pick(translations, language, entry.original_language)
    if chosen is None:
        return EntryText(language, entry.original_language, dict.fromkeys(TRANSLATED_FIELDS, ""), "", False)
    # Only Serbian text changes script; other text shown to a Serbian reader stays as written.
    script = language if chosen.language == "sr" else chosen.language
    fields = {f: content.in_script(getattr(chosen, f), script) for f in TRANSLATED_FIELDS}
    # The ?lang= code of the version on screen: Serbian has two (one per script).
    shown_code = language if chosen.language == content.storage_language(language) == "sr" else chosen.language
    available = [
        {"code": code, "name": _language_name(code), "status": t.get_status_display(), "current": code == shown_code}
        for t in translations
        for code in (["sr", "sr-latn"] if t.language == "sr" else [t.language])
    ]
    return EntryText(
        language=language,
        shown_language=chosen.language,
        fields=fields,
        status=chosen.status,
        is_fallback=chosen.language != content.storage_language(language),
        available=available,
    )


# --- readable differences between versions -----------------------------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


def diff_words(old: str, new: str) -> SafeString:
    """Word-level difference of two texts as HTML: deletions in ``<del>``, insertions in ``<ins>``.

    Every piece of text is escaped (``format_html``) before it is wrapped, so content can never
    inject markup.
    """
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    pieces: list[SafeString] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((p,) for p in pieces))


def _label(model: type, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


_FIELD_CHOICES: dict[str, dict[str, Any]] = {
    "kind": dict(EntryKind.choices),
    "original_language": dict(CONTENT_LANGUAGES),
    "stage": dict(Stage.choices),
    "evidence_level": dict(EvidenceLevel.choices),
    "policy_type": dict(PolicyType.choices),
    "policy_status": dict(PolicyStatus.choices),
    "implementation_status": dict(ImplementationStatus.choices),
}
_LIST_CHOICES: dict[str, tuple[str, dict[str, Any]]] = {
    "countries": (gettext_lazy("Countries"), dict(Country.choices)),
    "pillars": (gettext_lazy("Pillars"), dict(Pillar.choices)),
    "target_groups": (gettext_lazy("Target groups"), dict(TargetGroup.choices)),
}


def display_value(name: str, value: Any) -> str:
    """A stored snapshot value as a reader would say it (labels for choices, yes/no, dates)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if name in _FIELD_CHOICES:
        return str(_FIELD_CHOICES[name].get(value, value))
    return str(value)


def _sources_text(sources: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for s in sources:
        line = s.get("url", "")
        if s.get("title"):
            line = f"{s['title']}: {line}"
        if s.get("accessed_on"):
            line += " " + _("(accessed %(date)s)") % {"date": s["accessed_on"]}
        lines.append(line)
    return "\n".join(lines)


def snapshot_rows(snap: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A snapshot as labelled sections of (label, text) rows, for showing another person's version."""
    return [
        {"heading": section["heading"], "rows": [(row["label"], row["new_text"]) for row in section["rows"]]}
        for section in _sections({}, snap, only_changed=False)
    ]


def _flat(snap: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fields = snap.get("fields", {})
    for name in ENTRY_FIELDS:
        # An unticked box is shown as absent, so a practice's diff does not list every "No".
        value = fields.get(name)
        out[name] = "" if value is False else display_value(name, value)
    out["status"] = str(dict(Status.choices).get(snap.get("status", ""), snap.get("status", "")))
    for name, (_label_text, choices) in _LIST_CHOICES.items():
        out[name] = ", ".join(str(choices.get(v, v)) for v in snap.get(name, []))
    out["sources"] = _sources_text(snap.get("sources", []))
    return out


def _sections(old: Mapping[str, Any], new: Mapping[str, Any], *, only_changed: bool) -> list[dict[str, Any]]:
    before, after = _flat(old) if old else {}, _flat(new)
    general: list[dict[str, Any]] = []
    labels = [(n, _label(Entry, n)) for n in ["status", *ENTRY_FIELDS]]
    labels += [(n, str(lbl)) for n, (lbl, _c) in _LIST_CHOICES.items()]
    labels.append(("sources", _("Sources")))
    for name, label in labels:
        general.append(_row(label, before.get(name, ""), after.get(name, ""), only_changed))
    sections = [{"heading": _("Details"), "language": "", "rows": [r for r in general if r]}]
    old_t, new_t = old.get("translations", {}) if old else {}, new.get("translations", {})
    statuses = dict(TranslationStatus.choices)
    for lang in sorted(set(old_t) | set(new_t)):
        a, b = old_t.get(lang, {}), new_t.get(lang, {})
        rows = [
            _row(
                _label(EntryTranslation, "status"),
                str(statuses.get(a.get("status", ""), a.get("status", ""))),
                str(statuses.get(b.get("status", ""), b.get("status", ""))),
                only_changed,
            )
        ]
        rows += [
            _row(_label(EntryTranslation, f), a.get(f, "") or "", b.get(f, "") or "", only_changed)
            for f in TRANSLATED_FIELDS
        ]
        heading = _("Text in %(language)s") % {"language": CONTENT_LANGUAGE_NAMES.get(lang, lang)}
        if lang not in old_t and old:
            heading += " · " + _("added")
        elif lang not in new_t:
            heading += " · " + _("removed")
        sections.append({"heading": heading, "language": lang, "rows": [r for r in rows if r]})
    return [s for s in sections if s["rows"]]


def _row(label: str, old: str, new: str, only_changed: bool) -> dict[str, Any] | None:
    changed = old != new
    if only_changed and not changed:
        return None
    if not only_changed and not new:
        return None
    return {
        "label": label,
        "old_text": old,
        "new_text": new,
        "changed": changed,
        "diff": diff_words(old, new) if changed else escape(new),
    }


def snapshot_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What changes from snapshot ``old`` to ``new`` (everything, when ``old`` is empty): sections
    (details, then the text in each language), each with the changed fields and a word-level
    difference."""
    return _sections(old, new, only_changed=True)


def version_diff(version: EntryVersion, previous: EntryVersion | None) -> list[dict[str, Any]]:
    """What ``version`` changed compared with ``previous``."""
    return snapshot_diff(previous.snapshot if previous else {}, version.snapshot)
