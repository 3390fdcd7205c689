"""Knowledge hub views: the page of one entry (public once published)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from rightpath.access.policy import can
from rightpath.access.views import guard

from .. import selectors
from ..models import Entry
from ..taxonomy import CONTENT_LANGUAGES, EVIDENCE_MEANING, EvidenceLevel

# Ratings that must never read as an endorsement: shown with a warning.
WARNING_LEVELS = {EvidenceLevel.INCONCLUSIVE, EvidenceLevel.NO_EFFECT}


def load_entry(request: HttpRequest, code: Any, **_url_kwargs: Any) -> Entry:
    """The entry with everything its page shows; 404 when the reader may not know of it.

    Other URL parameters (a version number, a language) are the view's to read.
    """
    return selectors.entry_get(actor=request.user, code=code)


@guard("knowledge.entry.view", load=load_entry)
@require_safe
def entry_detail(request: HttpRequest, code: Any, obj: Entry) -> HttpResponse:
    """A practice, policy, institution, figure or framework in the reader's language (``?lang=``
    reads another version), with its evidence, sources and classification."""
    language = selectors.reader_language(request.GET.get("lang"), request.LANGUAGE_CODE)
    can_edit = bool(can(request.user, "knowledge.entry.edit", obj))
    context = {
        "entry": obj,
        "text": selectors.entry_text(obj, language),
        "evidence_meaning": EVIDENCE_MEANING.get(obj.evidence_level) if obj.evidence_level else None,
        "evidence_warning": obj.evidence_level in WARNING_LEVELS,
        "can_edit": can_edit,
        "steps": selectors.workflow_steps(actor=request.user, entry=obj) if can_edit else [],
        "other_languages": [(c, n) for c, n in CONTENT_LANGUAGES if c != obj.original_language] if can_edit else [],
    }
    return render(request, "knowledge/entry_detail.html", context)


urlpatterns = [
    path("entries/<uuid:code>/", entry_detail, name="entry_detail"),
]
