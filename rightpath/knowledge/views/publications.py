"""Knowledge hub views: DRIVE publications (protocols, models, recommendations).

Reading is public (a draft is concealed: 404); writing needs the knowledge editor role, publishing
and archiving the reviewer role. Every write goes through ``knowledge.publications``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard, public
from rightpath.core.concurrency import ConcurrentEditError

from .. import content, printing
from .. import publications as services
from .. import selectors_publications as selectors
from ..forms_publications import (
    PublicationForm,
    SectionFormSet,
    TranslatedSectionFormSet,
    TranslationForm,
    add_service_errors,
    section_initial,
)
from ..models import Publication
from ..taxonomy import CONTENT_LANGUAGES, Pillar, PublicationType, Status

PUBLIC_REASON = "published knowledge is public; drafts are concealed by the knowledge.entry.view scope"


def _load(request: HttpRequest, code: Any, **_other: Any) -> Publication:
    return get_object_or_404(Publication, code=code)


def _language(request: HttpRequest) -> str:
    return selectors.reader_language(request.GET.get("lang"), get_language())


def _reading_context(request: HttpRequest, reading: selectors.Reading) -> dict[str, Any]:
    pub = reading.publication
    # The published version is cited by the publication's own address; any other by its version's.
    if reading.is_published_version:
        url = request.build_absolute_uri(reverse("knowledge:publication_detail", args=[pub.code]))
    else:
        url = request.build_absolute_uri(
            reverse("knowledge:publication_version", args=[pub.code, reading.version.number])
        )
    return {
        "reading": reading,
        "publication": pub,
        "text": reading.text,
        "citation": selectors.citation(pub, reading.text.title, reading.version.number, url),
        "url": url,
    }


@public(PUBLIC_REASON)
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    page = selectors.publication_list(actor=request.user, params=request.GET, language=_language(request))
    can_edit = bool(can(request.user, "knowledge.entry.edit"))
    return render(
        request,
        "knowledge/publication_list.html",
        {
            **page,
            "types": PublicationType.choices,
            "pillars": Pillar.choices,
            "statuses": Status.choices if can_edit else [],
            "can_edit": can_edit,
        },
    )


def _detail(request: HttpRequest, code: Any, number: int | None) -> HttpResponse:
    pub = selectors.publication_get(actor=request.user, code=code)
    reading = selectors.publication_reading(
        actor=request.user, publication=pub, language=_language(request), number=number
    )
    return render(
        request,
        "knowledge/publication_detail.html",
        {
            **_reading_context(request, reading),
            "can_review": bool(can(request.user, "knowledge.entry.review", pub)),
            "translate_languages": [(c, n) for c, n in CONTENT_LANGUAGES if c != pub.original_language],
        },
    )


@public(PUBLIC_REASON)
@require_GET
def publication_detail(request: HttpRequest, code: Any) -> HttpResponse:
    return _detail(request, code, None)


@public(PUBLIC_REASON)
@require_GET
def publication_version(request: HttpRequest, code: Any, number: int) -> HttpResponse:
    return _detail(request, code, number)


@public(PUBLIC_REASON)
@require_GET
def publication_pdf(request: HttpRequest, code: Any) -> HttpResponse:
    pub = selectors.publication_get(actor=request.user, code=code)
    number = request.GET.get("v")
    reading = selectors.publication_reading(
        actor=request.user,
        publication=pub,
        language=_language(request),
        number=int(number) if number and number.isdigit() else None,
    )
    context = {**_reading_context(request, reading), "language": reading.text.shown_language}
    pdf = printing.render_pdf("knowledge/publication_pdf.html", context, request)
    return printing.pdf_response(pdf, f"rightpath-publication-{pub.code}-v{reading.version.number}.pdf")


@guard("knowledge.entry.edit")
@require_http_methods(["GET", "POST"])
def publication_create(request: HttpRequest) -> HttpResponse:
    form = PublicationForm(
        request.POST or None, initial={"original_language": content.storage_language(get_language())}
    )
    formset = SectionFormSet(request.POST or None, prefix="sections")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            pub = services.publication_create(
                actor=request.user, data=form.to_data(formset.sections()), note=form.cleaned_data.get("note", "")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The publication was saved as a draft."))
            return redirect("knowledge:publication_detail", code=pub.code)
    return render(request, "knowledge/publication_form.html", {"form": form, "formset": formset, "creating": True})


@guard("knowledge.entry.edit", load=_load)
@require_http_methods(["GET", "POST"])
def publication_edit(request: HttpRequest, code: Any, obj: Publication) -> HttpResponse:
    pub = selectors.publication_for_edit(actor=request.user, code=code)
    latest = selectors.latest_version(pub)
    text = latest.content.get(pub.original_language, {}) if latest else {}
    form = PublicationForm(request.POST or None, publication=pub, initial=PublicationForm.initial_for(pub, text))
    formset = SectionFormSet(request.POST or None, prefix="sections", initial=section_initial(text.get("sections", [])))
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            version = services.publication_update(
                pub,
                actor=request.user,
                data=form.to_data(formset.sections(), pub.original_language),
                expected_version=form.cleaned_data.get("version") or 0,
                note=form.cleaned_data.get("note", ""),
            )
        except ConcurrentEditError as exc:
            conflict = selectors.latest_version(exc.current)
            form.add_error(
                None,
                _(
                    "Someone else saved this publication while you were editing. Their version is shown below; check it, then save again to keep yours."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saved as version %(number)d. Readers see it once a reviewer publishes it.")
                % {"number": version.number},
            )
            return redirect("knowledge:publication_version", code=pub.code, number=version.number)
    conflict_text = conflict.content.get(pub.original_language, {}) if conflict else None
    return render(
        request,
        "knowledge/publication_form.html",
        {"form": form, "formset": formset, "publication": pub, "conflict": conflict, "conflict_text": conflict_text},
    )


@guard("knowledge.entry.edit", load=_load)
@require_http_methods(["GET", "POST"])
def publication_translate(request: HttpRequest, code: Any, lang: str, obj: Publication) -> HttpResponse:
    pub = selectors.publication_for_edit(actor=request.user, code=code)
    language = content.storage_language(lang)
    names = dict(CONTENT_LANGUAGES)
    if language not in names:
        raise Http404
    if language == pub.original_language:
        messages.info(request, _("This is the publication's original language: edit its text here."))
        return redirect("knowledge:publication_edit", code=pub.code)
    latest = selectors.latest_version(pub)
    if latest is None:
        raise Http404
    original = latest.content.get(pub.original_language, {})
    existing = latest.content.get(language, {})
    originals = original.get("sections", [])
    form = TranslationForm(
        request.POST or None,
        initial={
            "title": existing.get("title", ""),
            "summary": existing.get("summary", ""),
            "status": existing.get("status") or None,
            "version": pub.version,
        },
    )
    translated = existing.get("sections", [])
    formset = TranslatedSectionFormSet(
        request.POST or None,
        prefix="sections",
        initial=[translated[i] if i < len(translated) else {} for i in range(len(originals))],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            version = services.publication_translate(
                pub,
                actor=request.user,
                language=language,
                data=form.to_data(formset.sections()),
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data.get("note", ""),
            )
        except ConcurrentEditError as exc:
            form.add_error(
                None,
                _(
                    "Someone else saved this publication while you were translating. Check the latest version, then save again."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Translation saved as version %(number)d. Readers see it once a reviewer publishes it.")
                % {"number": version.number},
            )
            return redirect("knowledge:publication_version", code=pub.code, number=version.number)
    pairs = [(f, originals[i] if i < len(originals) else {}) for i, f in enumerate(formset.forms)]
    return render(
        request,
        "knowledge/publication_translate.html",
        {
            "publication": pub,
            "form": form,
            "formset": formset,
            "pairs": pairs,
            "original": original,
            "language": language,
            "language_name": names[language],
            "original_language_name": names.get(pub.original_language, pub.original_language),
            "latest": latest,
        },
    )


@guard("knowledge.entry.review", load=_load)
@require_POST
def publication_status(request: HttpRequest, code: Any, obj: Publication) -> HttpResponse:
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")[:300]
    try:
        if action == "publish":
            pub = services.publication_publish(obj, actor=request.user, note=note)
            messages.success(request, _("Version %(number)d is published.") % {"number": pub.published_version or 0})
        elif action == "archive":
            services.publication_archive(obj, actor=request.user, note=note)
            messages.success(request, _("The publication is archived: readers no longer see it."))
        else:
            messages.error(request, _("Unknown step."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("knowledge:publication_detail", code=obj.code)


urlpatterns = [
    path("publications/", publication_list, name="publication_list"),
    path("publications/new/", publication_create, name="publication_create"),
    path("publications/<uuid:code>/", publication_detail, name="publication_detail"),
    path("publications/<uuid:code>/pdf/", publication_pdf, name="publication_pdf"),
    path("publications/<uuid:code>/v/<int:number>/", publication_version, name="publication_version"),
    path("publications/<uuid:code>/edit/", publication_edit, name="publication_edit"),
    path("publications/<uuid:code>/translate/<str:lang>/", publication_translate, name="publication_translate"),
    path("publications/<uuid:code>/status/", publication_status, name="publication_status"),
]
