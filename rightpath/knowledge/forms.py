"""Editorial forms: one entry form (fields chosen by kind) with its sources, and a translation form.

Both only shape input into a ``services.EntryData``; the rules live in ``services.validate``, whose
errors (``title_en``, ``sources_0_url``…) the forms put back beside the fields they concern.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rightpath.accounts.models import Country

from .models import TRANSLATED_FIELDS, Entry, EntryTranslation
from .services import EntryData
from .taxonomy import (
    CONTENT_LANGUAGES,
    EVIDENCE_MEANING,
    EntryKind,
    EvidenceLevel,
    Pillar,
    TargetGroup,
    TranslationStatus,
)

# Language-neutral fields each kind of entry shows, in the order of the form.
KIND_FIELDS: dict[str, list[str]] = {
    EntryKind.PRACTICE: [
        "organisation_name", "place", "period_start", "period_end", "stage", "contact", "link",
        "evidence_level", "evidence_basis", "independent_evaluation", "evaluated_in_region", "peer_reviewed",
        "rated_by", "rated_on", "last_verified_on",
    ],
    EntryKind.POLICY: [
        "policy_type", "adopting_body", "year", "valid_from", "valid_until", "policy_status",
        "implementation_status", "place", "link", "last_verified_on",
    ],
    EntryKind.INSTITUTION: ["place", "year", "contact", "link", "last_verified_on"],
    EntryKind.FIGURE: ["value", "as_of", "place", "link", "last_verified_on"],
    EntryKind.FRAMEWORK: ["adopting_body", "year", "link", "last_verified_on"],
}  # fmt: skip

# Text fields (per language) each kind shows.
KIND_TEXT: dict[str, list[str]] = {
    EntryKind.PRACTICE: TRANSLATED_FIELDS,
    EntryKind.POLICY: ["title", "summary", "description", "actors"],
    EntryKind.INSTITUTION: ["title", "summary", "description", "actors"],
    EntryKind.FIGURE: ["title", "summary", "description"],
    EntryKind.FRAMEWORK: ["title", "summary", "description"],
}

# Fields a kind cannot do without (the service accepts them empty, since imports may be partial).
KIND_REQUIRED: dict[str, set[str]] = {EntryKind.FIGURE: {"value", "as_of"}}

EVIDENCE_FIELDS = {
    "evidence_level",
    "evidence_basis",
    "independent_evaluation",
    "evaluated_in_region",
    "peer_reviewed",
    "rated_by",
    "rated_on",
}

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SOURCE_KEY = re.compile(r"^sources_(\d+)_(\w+)$")


def _neutral_field(name: str) -> forms.Field:
    model_field = Entry._meta.get_field(name)
    if name == "evidence_level":
        # The scale's meaning beside each level, so editors rate against the same definitions.
        choices = [("", _("Not rated"))] + [
            (level.value, f"{level.label}: {EVIDENCE_MEANING[level]}") for level in EvidenceLevel
        ]
        return forms.ChoiceField(
            label=capfirst(model_field.verbose_name), choices=choices, required=False, widget=forms.RadioSelect
        )
    extra: dict[str, Any] = {}
    if isinstance(model_field, models.URLField):
        extra["assume_scheme"] = "https"
    if isinstance(model_field, models.DateField):
        extra["widget"] = _DATE
    field = model_field.formfield(**extra)
    field.required = False
    return field


def _text_field(name: str) -> forms.Field:
    field = EntryTranslation._meta.get_field(name).formfield()
    if isinstance(field.widget, forms.Textarea):
        field.widget.attrs.update({"rows": 4})
    field.required = name == "title"
    return field


def _values(related: Any, attr: str) -> list[str]:
    return [getattr(row, attr) for row in related.all()]


def _translations(entry: Entry) -> dict[str, dict[str, str]]:
    """The stored text of ``entry`` per language (from prefetched rows: no query)."""
    return {
        t.language: {"status": t.status, **{f: getattr(t, f) for f in TRANSLATED_FIELDS}}
        for t in entry.translations.all()
    }


def _sources(entry: Entry) -> list[dict[str, Any]]:
    return [{"url": s.url, "title": s.title, "accessed_on": s.accessed_on} for s in entry.sources.all()]


class SourceForm(forms.Form):
    """One source row; a fully empty row is ignored."""

    url = forms.URLField(label=_("Address"), max_length=1000, required=False, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    accessed_on = forms.DateField(label=_("Accessed on"), required=False, widget=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("title") or data.get("accessed_on")) and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Give the address of this source, or empty the row."))
        return data


SourceFormSet = forms.formset_factory(SourceForm, extra=3)


def _attach(form: forms.Form, field: str | None, messages: list[Any]) -> None:
    form.add_error(field if field in form.fields else None, ValidationError(messages))


class EntryForm(forms.Form):
    """A practice, policy, institution, figure or framework: its language-neutral fields, its text in
    the original language, countries, pillars, target groups and sources (a formset, ``form.sources``).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    original_language = forms.ChoiceField(label=_("Original language"), choices=CONTENT_LANGUAGES)
    countries = forms.MultipleChoiceField(
        label=_("Countries"), choices=Country.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    pillars = forms.MultipleChoiceField(
        label=_("Pillars"), choices=Pillar.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Change note"),
        max_length=300,
        required=False,
        help_text=_("A few words on what you changed, shown in the history."),
    )

    def __init__(self, data: Any = None, *, kind: str, entry: Entry | None = None, language: str = "en") -> None:
        self.kind = kind
        self.entry = entry
        initial: dict[str, Any] = {"original_language": language}
        if entry is not None:
            initial = self._initial_from(entry)
        super().__init__(data, initial=initial)
        self.neutral_names = KIND_FIELDS[kind]
        self.text_names = KIND_TEXT[kind]
        text = {name: _text_field(name) for name in self.text_names}
        neutral = {name: _neutral_field(name) for name in self.neutral_names}
        for name in KIND_REQUIRED.get(kind, ()):
            neutral[name].required = True
        # Order: language, text, kind's details, classification, note.
        rest = {k: v for k, v in self.fields.items() if k != "original_language"}
        self.fields = {"original_language": self.fields["original_language"], **text, **neutral, **rest}
        if entry is not None:
            # The text edited here is the original's; a change of original language would orphan it.
            self.fields["original_language"].disabled = True
            # Without the version read, a concurrent edit could not be detected.
            self.fields["version"].required = True
        self.sources = SourceFormSet(
            data,
            prefix="sources",
            initial=_sources(entry) if entry is not None else None,
        )
        self._source_rows: list[int] = []

    @staticmethod
    def _initial_from(entry: Entry) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(entry, name) for name in KIND_FIELDS[entry.kind]}
        original = _translations(entry).get(entry.original_language, {})
        initial.update({name: original.get(name, "") for name in TRANSLATED_FIELDS})
        initial.update(
            version=entry.version,
            original_language=entry.original_language,
            countries=_values(entry.countries, "country"),
            pillars=_values(entry.pillars, "pillar"),
            target_groups=_values(entry.target_groups, "group"),
        )
        return initial

    @property
    def language(self) -> str:
        """The language the text fields are written in."""
        if self.entry is not None:
            return self.entry.original_language
        return (self.cleaned_data if hasattr(self, "cleaned_data") else {}).get("original_language") or str(
            self["original_language"].value()
        )

    def groups(self) -> list[dict[str, Any]]:
        """The visible fields in labelled groups, for the template."""
        text = [self[n] for n in ["original_language", *self.text_names]]
        evidence = [self[n] for n in self.neutral_names if n in EVIDENCE_FIELDS]
        details = [self[n] for n in self.neutral_names if n not in EVIDENCE_FIELDS]
        groups = [
            {"heading": _("Text in the original language"), "fields": text},
            {"heading": _("Details"), "fields": details},
        ]
        if evidence:
            groups.append({"heading": _("Evaluation and evidence rating"), "fields": evidence})
        groups.append(
            {"heading": _("Where and for whom"), "fields": [self["countries"], self["pillars"], self["target_groups"]]}
        )
        return groups

    def is_valid(self) -> bool:
        main = super().is_valid()
        sources = self.sources.is_valid()
        if main and sources and self.kind == EntryKind.FIGURE and not self._filled_sources():
            self.add_error(None, _("A figure needs at least one source."))
            return False
        return main and sources

    def _filled_sources(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, f.cleaned_data) for i, f in enumerate(self.sources.forms) if f.cleaned_data.get("url")]

    def to_data(self) -> EntryData:
        """The cleaned input as the service's ``EntryData`` (other languages' text kept as stored)."""
        cleaned = self.cleaned_data
        language = self.language
        translations = _translations(self.entry) if self.entry is not None else {}
        text = dict(translations.get(language, {}))
        text.update({name: cleaned.get(name, "") for name in self.text_names})
        text.setdefault("status", TranslationStatus.ORIGINAL)
        translations[language] = text
        fields: dict[str, Any] = {"kind": self.kind, "original_language": language}
        fields.update({name: cleaned.get(name) for name in self.neutral_names})
        filled = self._filled_sources()
        self._source_rows = [i for i, _row in filled]
        return EntryData(
            fields=fields,
            translations=translations,
            countries=list(cleaned.get("countries", [])),
            pillars=list(cleaned.get("pillars", [])),
            target_groups=list(cleaned.get("target_groups", [])),
            sources=[
                {"url": row["url"], "title": row.get("title", ""), "accessed_on": row.get("accessed_on")}
                for _i, row in filled
            ],
        )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put the service's errors beside the fields they name (``title_en`` → title, ``sources_0_url``
        → the first filled source row's address); anything else goes above the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        suffix = f"_{self.language}"
        for key, errors in exc.error_dict.items():
            match = _SOURCE_KEY.match(key)
            if match and int(match.group(1)) < len(self._source_rows):
                row = self.sources.forms[self._source_rows[int(match.group(1))]]
                _attach(row, match.group(2), errors)
            elif key in self.fields:
                _attach(self, key, errors)
            elif key.endswith(suffix) and key[: -len(suffix)] in self.fields:
                _attach(self, key[: -len(suffix)], errors)
            else:
                _attach(self, None, errors)

    def has_errors(self) -> bool:
        """Errors on the form or on any source row (for the error summary)."""
        return bool(self.errors or any(f.errors for f in self.sources.forms) or self.sources.non_form_errors())


class TranslationForm(forms.Form):
    """The text of an entry in one more language, with how the translation came to be."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(
        label=_("Translation status"),
        choices=[c for c in TranslationStatus.choices if c[0] != TranslationStatus.ORIGINAL],
        initial=TranslationStatus.TRANSLATED,
    )
    note = forms.CharField(label=_("Change note"), max_length=300, required=False)

    def __init__(self, data: Any = None, *, entry: Entry, language: str) -> None:
        self.entry = entry
        self.language = language
        existing = _translations(entry).get(language)
        initial: dict[str, Any] = {"version": entry.version}
        if existing:
            initial.update(existing)
            if existing.get("status") == TranslationStatus.ORIGINAL:
                initial["status"] = TranslationStatus.TRANSLATED
        super().__init__(data, initial=initial)
        self.text_names = KIND_TEXT[entry.kind]
        text = {name: _text_field(name) for name in self.text_names}
        self.fields = {"status": self.fields["status"], **text, **{k: self.fields[k] for k in ("version", "note")}}
        self.fields["version"].required = True
        self.is_new = existing is None

    def reference(self) -> list[tuple[str, str]]:
        """The original-language text, field by field, for the translator to work from."""
        original = _translations(self.entry).get(self.entry.original_language, {})
        return [(str(self.fields[n].label), original.get(n, "")) for n in self.text_names if original.get(n)]

    def to_data(self) -> EntryData:
        """The entry as stored, with this language's text replaced (only text changes)."""
        entry = self.entry
        translations = _translations(entry)
        text = dict(translations.get(self.language, {}))
        text.update({name: self.cleaned_data.get(name, "") for name in self.text_names})
        text["status"] = self.cleaned_data["status"]
        translations[self.language] = text
        return EntryData(
            fields={},
            translations=translations,
            countries=_values(entry.countries, "country"),
            pillars=_values(entry.pillars, "pillar"),
            target_groups=_values(entry.target_groups, "group"),
            sources=_sources(entry),
        )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Errors on this language's text go beside its fields; the rest above the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        suffix = f"_{self.language}"
        for key, errors in exc.error_dict.items():
            name = key[: -len(suffix)] if key.endswith(suffix) else None
            _attach(self, name if name in self.fields else None, errors)
