"""Forms of the publication editor: the publication with its sections (a formset, ordered), and a
translation of the latest version. They only shape input; the rules live in ``publications``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Publication
from .publications import MAX_SECTIONS, PublicationData, TranslationData
from .taxonomy import CONTENT_LANGUAGES, Pillar, PublicationType, TranslationStatus

BODY_HELP = _("Plain text. Leave an empty line between paragraphs.")


class PublicationForm(forms.Form):
    """The publication's own fields and its title and summary in the original language."""

    type = forms.ChoiceField(label=_("Type"), choices=PublicationType.choices)
    original_language = forms.ChoiceField(
        label=_("Original language"),
        choices=CONTENT_LANGUAGES,
        help_text=_("The language you write it in. Translations are added later."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    authors = forms.CharField(
        label=_("Authors"), max_length=500, required=False, help_text=_("As they should appear in a citation.")
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=300, initial="RightPath")
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    pillars = forms.MultipleChoiceField(
        label=_("Pillars"), choices=Pillar.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(
        label=_("Change note"), max_length=300, required=False, help_text=_("What changed, for the version history.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, publication: Publication | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if publication is not None:
            # The original language is fixed once the publication exists.
            del self.fields["original_language"]
        else:
            del self.fields["version"]

    @staticmethod
    def initial_for(publication: Publication, text: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": publication.type,
            "title": text.get("title", ""),
            "summary": text.get("summary", ""),
            "authors": publication.authors,
            "publisher": publication.publisher,
            "year": publication.year,
            "pillars": [p.pillar for p in publication.pillars.all()],
            "version": publication.version,
        }

    def to_data(self, sections: list[dict[str, str]], original_language: str | None = None) -> PublicationData:
        d = self.cleaned_data
        return PublicationData(
            type=d["type"],
            title=d["title"],
            summary=d.get("summary", ""),
            authors=d.get("authors", ""),
            publisher=d.get("publisher", ""),
            year=d.get("year"),
            original_language=original_language or d.get("original_language", "en"),
            pillars=list(d.get("pillars", [])),
            sections=sections,
        )


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False, help_text=BODY_HELP
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("body") or "").strip() and not (data.get("heading") or "").strip():
            self.add_error("heading", _("Give this section a heading."))
        return data


class BaseSectionFormSet(forms.BaseFormSet):
    def sections(self) -> list[dict[str, str]]:
        """The sections in the order the editor set (unnumbered ones keep their place), without
        deleted or empty ones."""
        return [
            {"heading": f.cleaned_data.get("heading", ""), "body": f.cleaned_data.get("body", "")}
            for f in self.ordered_forms
            if f.cleaned_data.get("heading") or f.cleaned_data.get("body")
        ]


SectionFormSet = forms.formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=MAX_SECTIONS,
    validate_max=True,
)


def section_initial(sections: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [{"heading": s.get("heading", ""), "body": s.get("body", ""), "ORDER": i} for i, s in enumerate(sections, 1)]


TRANSLATION_STATUSES = [(v, label) for v, label in TranslationStatus.choices if v != TranslationStatus.ORIGINAL]


class TranslationForm(forms.Form):
    """The title, summary and how the translation was made; sections come in a formset."""

    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    status = forms.ChoiceField(
        label=_("Translation status"), choices=TRANSLATION_STATUSES, initial=TranslationStatus.TRANSLATED
    )
    note = forms.CharField(label=_("Change note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def to_data(self, sections: list[dict[str, str]]) -> TranslationData:
        d = self.cleaned_data
        return TranslationData(title=d["title"], summary=d.get("summary", ""), sections=sections, status=d["status"])


class TranslatedSectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False, help_text=BODY_HELP
    )


class BaseTranslatedSectionFormSet(forms.BaseFormSet):
    def sections(self) -> list[dict[str, str]]:
        """One translated section per original section, in the original's order."""
        return [
            {"heading": f.cleaned_data.get("heading", ""), "body": f.cleaned_data.get("body", "")} for f in self.forms
        ]


# One form per section of the original: the view sets extra/min/max to that number.
TranslatedSectionFormSet = forms.formset_factory(
    TranslatedSectionForm, formset=BaseTranslatedSectionFormSet, extra=0, max_num=MAX_SECTIONS, validate_max=True
)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors beside the fields they name (the rest on top of the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
