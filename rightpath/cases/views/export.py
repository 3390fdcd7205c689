"""Case work views: the data-protection officer's export of everything held on one person.

The officer finds a case of their organisation by its reference (other organisations' cases are
simply not found), confirms, and waits on a result page that polls (htmx) until the JSON and the PDF
are ready; each download is checked and audited. A practitioner is refused (403); another
organisation's officer never learns the case exists (404).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rightpath.access.views import guard
from rightpath.cases.forms_documents import SubjectSearchForm
from rightpath.cases.models import Case
from rightpath.cases.selectors import export as selectors
from rightpath.cases.services import export as services

from . import load_case


@guard("cases.subject.export")
@require_http_methods(["GET"])
def subject_export_search(request: HttpRequest) -> HttpResponse:
    form = SubjectSearchForm(request.GET or None)
    case = None
    searched = False
    if form.is_valid():
        searched = True
        case = selectors.subject_case_find(actor=request.user, reference=form.cleaned_data["reference"])
    return render(request, "cases/export_search.html", {"form": form, "case": case, "searched": searched})


@guard("cases.subject.export", load=load_case)
@require_http_methods(["GET", "POST"])
def subject_export(request: HttpRequest, code: Any, obj: Case) -> HttpResponse:
    case = obj
    if request.method == "POST":
        export_id = services.subject_export_request(case, actor=request.user)
        messages.info(request, _("The export is being prepared."))
        return redirect("cases:subject_export_result", code=case.code, export=export_id)
    return render(request, "cases/export_confirm.html", {"case": case})


@guard("cases.subject.export", load=load_case)
@require_http_methods(["GET"])
def subject_export_result(request: HttpRequest, code: Any, export: uuid.UUID, obj: Case) -> HttpResponse:
    case = obj
    status = services.subject_export_status(case, export)
    context = {"case": case, "export": export, "status": status}
    template = "cases/export_status.html" if getattr(request, "htmx", False) else "cases/export_result.html"
    return render(request, template, context)


@guard("cases.subject.export", load=load_case)
@require_http_methods(["GET"])
def subject_export_download(request: HttpRequest, code: Any, export: uuid.UUID, fmt: str, obj: Case) -> HttpResponse:
    data, content_type, filename = services.subject_export_download(obj, export, fmt, actor=request.user)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("export/", subject_export_search, name="subject_export_search"),
    path("<uuid:code>/export/", subject_export, name="subject_export"),
    path("<uuid:code>/export/<uuid:export>/", subject_export_result, name="subject_export_result"),
    path("<uuid:code>/export/<uuid:export>/<str:fmt>/", subject_export_download, name="subject_export_download"),
]
