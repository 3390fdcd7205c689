"""Knowledge hub views for editors and reviewers: the dashboard, entry and translation forms,
the review workflow, and the history of every entry with readable differences and revert."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rightpath.access.views import enforce, guard
from rightpath.accounts.models import Country
from rightpath.core.concurrency import ConcurrentEditError

from .. import content, selectors, services
from ..forms import EntryForm, TranslationForm
from ..models import Entry
from ..taxonomy import CONTENT_LANGUAGES, EntryKind, Status
from .entries import load_entry

LANGUAGE_NAMES = dict(CONTENT_LANGUAGES)

STEP_DONE = {
    "submit": gettext_lazy("The entry was sent for review."),
    "publish": gettext_lazy("The entry was published."),
    "return": gettext_lazy("The entry was returned to draft."),
    "archive": gettext_lazy("The entry was archived. It is no longer public."),
}


def _reader_language() -> str:
    language = content.storage_language(get_language() or "en")
    return language if language in LANGUAGE_NAMES else "en"


def _conflict(current: Entry) -> dict[str, Any]:
    """What someone else saved meanwhile, to show beside the form."""
    snap = services.snapshot(current)
    latest = current.versions.select_related("created_by").first()
    return {"snapshot": snap, "sections": selectors.snapshot_rows(snap), "version": latest}


def _title(entry: Entry) -> str:
    return selectors.entry_title(entry, get_language() or "en")


def _posted_int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return 0


@guard("knowledge.entry.edit")
@require_GET
def editor_home(request: HttpRequest) -> HttpResponse:
    """Every entry of every status, filtered by status, kind and country, sorted and paged."""
    page = selectors.editor_entry_list(actor=request.user, params=request.GET, language=get_language() or "en")
    context = {
        **page,
        "statuses": Status.choices,
        "kinds": EntryKind.choices,
        "countries": Country.choices,
    }
    return render(request, "knowledge/editor_home.html", context)


@guard("knowledge.entry.edit")
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in EntryKind.values:
        raise Http404
    form = EntryForm(request.POST or None, kind=kind, language=_reader_language())
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(actor=request.user, data=form.to_data(), note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The entry was saved as a draft."))
            return redirect("knowledge:entry_detail", code=entry.code)
    return render(
        request, "knowledge/entry_form.html", {"form": form, "kind_label": EntryKind(kind).label, "creating": True}
    )


@guard("knowledge.entry.edit", load=load_entry)
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, code: Any, obj: Entry) -> HttpResponse:
    form = EntryForm(request.POST or None, kind=obj.kind, entry=obj)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(
                obj,
                actor=request.user,
                data=form.to_data(),
                expected_version=form.cleaned_data["version"] or 0,
                note=form.cleaned_data["note"],
            )
        except ConcurrentEditError as exc:
            conflict = _conflict(exc.current)
            form.add_error(
                None,
                _(
                    "Someone else saved this entry while you were editing. Their version is shown below; your changes are still in the form. Check both, then save again to keep yours."
                ),
            )
            # The next save is a deliberate overwrite of the version the editor has now seen.
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("knowledge:entry_detail", code=obj.code)
    context = {
        "form": form,
        "entry": obj,
        "title": _title(obj),
        "kind_label": obj.get_kind_display(),
        "conflict": conflict,
    }
    return render(request, "knowledge/entry_form.html", context)


@guard("knowledge.entry.edit", load=load_entry)
@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, code: Any, lang: str, obj: Entry) -> HttpResponse:
    """The entry's text in another language than the original, with its translation status."""
    language = content.storage_language(lang)
    if language not in LANGUAGE_NAMES:
        raise Http404
    if language == obj.original_language:
        return redirect("knowledge:entry_edit", code=obj.code)
    form = TranslationForm(request.POST or None, entry=obj, language=language)
    conflict = None
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"] or _("Text in %(language)s") % {"language": LANGUAGE_NAMES[language]}
        try:
            services.entry_update(
                obj,
                actor=request.user,
                data=form.to_data(),
                expected_version=form.cleaned_data["version"] or 0,
                note=note,
            )
        except ConcurrentEditError as exc:
            conflict = _conflict(exc.current)
            form.add_error(
                None,
                _(
                    "Someone else saved this entry while you were translating. Their version is shown below; your text is still in the form. Check both, then save again to keep yours."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect(reverse("knowledge:entry_detail", kwargs={"code": obj.code}) + f"?lang={language}")
    context = {
        "form": form,
        "entry": obj,
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
        "title": _title(obj),
        "original_name": LANGUAGE_NAMES.get(obj.original_language, obj.original_language),
        "conflict": conflict,
    }
    return render(request, "knowledge/translation_form.html", context)


@guard("knowledge.entry.edit", load=load_entry)
@require_http_methods(["GET", "POST"])
def entry_status(request: HttpRequest, code: Any, obj: Entry) -> HttpResponse:
    """A workflow step: submit, publish, return or archive. Archiving asks first; a GET asks for any step."""
    step = request.POST.get("step") or request.GET.get("step") or ""
    if step not in services.TRANSITIONS:
        raise Http404
    confirmed = request.POST.get("confirmed") == "yes"
    if request.method == "GET" or (step == "archive" and not confirmed):
        # Refused (and audited) here already, so nobody is asked to confirm what they may not do.
        enforce(request, services.TRANSITIONS[step][2], obj)
        label = next(
            (s["label"] for s in selectors.workflow_steps(actor=request.user, entry=obj) if s["step"] == step), ""
        )
        context = {"entry": obj, "title": _title(obj), "step": step, "label": label}
        return render(request, "knowledge/confirm_status.html", context)
    try:
        services.entry_transition(obj, actor=request.user, transition=step, note=request.POST.get("note", "")[:300])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, STEP_DONE[step])
    return redirect("knowledge:entry_detail", code=obj.code)


@guard("knowledge.entry.edit", load=load_entry)
@require_GET
def entry_history(request: HttpRequest, code: Any, obj: Entry) -> HttpResponse:
    """Every version of the entry: who, when and why."""
    page = selectors.entry_versions(entry=obj, params=request.GET)
    return render(request, "knowledge/entry_history.html", {**page, "entry": obj, "title": _title(obj)})


@guard("knowledge.entry.edit", load=load_entry)
@require_GET
def entry_diff(request: HttpRequest, code: Any, number: int, obj: Entry) -> HttpResponse:
    """What one version changed compared with the one before it, field by field and word by word."""
    version, previous = selectors.entry_version_pair(entry=obj, number=number)
    context = {
        "entry": obj,
        "title": _title(obj),
        "version": version,
        "previous": previous,
        "sections": selectors.version_diff(version, previous),
    }
    return render(request, "knowledge/entry_diff.html", context)


@guard("knowledge.entry.edit", load=load_entry)
@require_http_methods(["GET", "POST"])
def entry_revert(request: HttpRequest, code: Any, number: int, obj: Entry) -> HttpResponse:
    """Bring back an earlier version's content as a new version; asks first, showing what changes."""
    version, _previous = selectors.entry_version_pair(entry=obj, number=number)
    if request.method == "POST":
        try:
            services.entry_revert(
                obj, actor=request.user, version=version, expected_version=_posted_int(request, "version")
            )
        except ConcurrentEditError:
            messages.error(
                request, _("Someone else saved this entry meanwhile. Nothing was reverted; check the history again.")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The entry was reverted to version %(number)s, as a new version.") % {"number": number}
            )
        return redirect("knowledge:entry_history", code=obj.code)
    context = {
        "entry": obj,
        "title": _title(obj),
        "version": version,
        "sections": selectors.snapshot_diff(services.snapshot(obj), version.snapshot),
    }
    return render(request, "knowledge/confirm_revert.html", context)


urlpatterns = [
    path("edit/", editor_home, name="editor_home"),
    path("edit/new/<str:kind>/", entry_create, name="entry_create"),
    path("entries/<uuid:code>/edit/", entry_edit, name="entry_edit"),
    path("entries/<uuid:code>/translations/<str:lang>/", translation_edit, name="translation_edit"),
    path("entries/<uuid:code>/status/", entry_status, name="entry_status"),
    path("entries/<uuid:code>/history/", entry_history, name="entry_history"),
    path("entries/<uuid:code>/history/<int:number>/", entry_diff, name="entry_diff"),
    path("entries/<uuid:code>/history/<int:number>/revert/", entry_revert, name="entry_revert"),
]
