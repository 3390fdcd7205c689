"""Case work views: documents. Listing needs the documents section; uploading needs it for writing;
a download goes through the same check, is audited, and is always served as an attachment that the
browser must not sniff. Documents are never deleted here (retention does that)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rightpath.access.views import guard
from rightpath.cases.forms_documents import DocumentUploadForm
from rightpath.cases.forms_plan import add_service_errors
from rightpath.cases.policy import SectionRef
from rightpath.cases.selectors import documents as selectors
from rightpath.cases.services import documents as services
from rightpath.cases.vocab import Section

from . import section_loader
from .cases import case_page
from .plan import audit_read

READ = section_loader(Section.DOCUMENTS)


def load_document(request: HttpRequest, document: Any, **kwargs: Any) -> SectionRef:
    """The documents section of the case the document belongs to (404 for an unknown document)."""
    return SectionRef(selectors.document_by_code(document).case, Section.DOCUMENTS)


@guard("cases.section.read", load=READ)
@require_http_methods(["GET"])
def document_list(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    page = selectors.document_list(case, params=request.GET)
    audit_read(request, case, Section.DOCUMENTS)
    context = case_page(request, case, "documents")
    return render(
        request,
        "cases/document_list.html",
        {
            **context,
            **page,
            "can_write": context["rights"].get(Section.DOCUMENTS) == "rw",
            "removed_marker": services.REMOVED_BY_RETENTION,
        },
    )


@guard("cases.section.write", load=READ)
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                case,
                actor=request.user,
                type=form.cleaned_data["type"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was uploaded and stored encrypted."))
            return redirect("cases:document_list", code=case.code)
    return render(
        request,
        "cases/document_upload.html",
        {**case_page(request, case, "documents"), "form": form, "max_mb": services.max_bytes() // (1024 * 1024)},
    )


@guard("cases.section.read", load=load_document)
@require_http_methods(["GET"])
def document_download(request: HttpRequest, document: Any, obj: SectionRef) -> HttpResponse:
    record_ = selectors.document_get(obj.case, document)
    data, kind = services.document_download(record_, actor=request.user)
    response = HttpResponse(data, content_type=kind.content_type)
    response["Content-Disposition"] = f'attachment; filename="{services.download_name(record_, kind)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("<uuid:code>/documents/", document_list, name="document_list"),
    path("<uuid:code>/documents/upload/", document_upload, name="document_upload"),
    path("documents/<uuid:document>/", document_download, name="document_download"),
]
