"""Knowledge hub views: importing records from a spreadsheet (editors) and exporting them (anyone)."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rightpath.access.policy import can
from rightpath.access.views import enforce, guard, public

from .. import transfer

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("A CSV file (UTF-8) or an Excel workbook (.xlsx), at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    skip_existing = forms.BooleanField(
        required=False,
        label=gettext_lazy("Leave out records that are already in the hub"),
        help_text=gettext_lazy(
            "Same kind, country, year and title. Without this, such a row is reported as a problem."
        ),
    )
    publish = forms.BooleanField(
        required=False,
        label=gettext_lazy("Publish the imported records"),
        help_text=gettext_lazy("Otherwise they are imported as drafts (unless the file's status column says so)."),
    )

    def __init__(self, *args: Any, may_publish: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = b""
        if not may_publish:
            del self.fields["publish"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > transfer.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it into several imports."))
        content = upload.read()
        # What the file is is judged from its bytes, never from its name.
        try:
            transfer.detect_format(content)
        except transfer.FileRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.content = content
        return upload


def _format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "csv")
    return fmt if fmt in CONTENT_TYPES else None


def _download(fmt: str, filename: str, write: Any) -> HttpResponse:
    if fmt == "csv":
        text = io.StringIO(newline="")
        write(text)
        body: bytes = text.getvalue().encode("utf-8")
    else:
        binary = io.BytesIO()
        write(binary)
        body = binary.getvalue()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@guard("knowledge.entry.edit")
@require_http_methods(["GET", "POST"])
def import_form(request: HttpRequest) -> HttpResponse:
    may_publish = bool(can(request.user, "knowledge.entry.review"))
    form = ImportForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    if request.method == "POST" and form.is_valid():
        job = transfer.import_job_start(
            form.content,
            filename=form.cleaned_data["file"].name,
            actor=request.user,
            publish=form.cleaned_data.get("publish", False),
            skip_existing=form.cleaned_data["skip_existing"],
        )
        return redirect("knowledge:import_result", job=job)
    return render(
        request,
        "knowledge/import_form.html",
        {
            "form": form,
            "columns": [c for c in transfer.COLUMNS if c.language in ("", "en")],
            "other_languages": [code for code in transfer.LANGUAGES if code != "en"],
            "max_rows": transfer.MAX_ROWS,
        },
    )


def _load_job(request: HttpRequest, job: uuid.UUID) -> dict[str, Any]:
    state = transfer.import_job_get(job, actor=request.user)
    if state is None:
        raise Http404
    return state


@guard("knowledge.entry.edit", load=_load_job)
@require_GET
def import_result(request: HttpRequest, job: uuid.UUID, obj: dict[str, Any]) -> HttpResponse:
    # htmx polls for the status block alone while the job is waiting or running.
    template = "knowledge/import_result_status.html" if request.htmx else "knowledge/import_result.html"
    return render(request, template, {"job": obj})


@guard("knowledge.entry.edit")
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    fmt = _format(request)
    if fmt is None:
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    return _download(fmt, "rightpath-import-template", lambda stream: transfer.write_template(stream, fmt))


@public("published knowledge is public: anyone may download it as a spreadsheet (editors also get drafts)")
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    enforce(request, "knowledge.export")
    fmt = _format(request)
    if fmt is None:
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."))
    return _download(
        fmt,
        f"rightpath-knowledge-{timezone.localdate().isoformat()}",
        lambda stream: transfer.export_records(stream, fmt, actor=request.user),
    )


urlpatterns = [
    path("import/", import_form, name="import"),
    path("import/template/", import_template, name="import_template"),
    path("import/<uuid:job>/", import_result, name="import_result"),
    path("export/", export, name="export"),
]
