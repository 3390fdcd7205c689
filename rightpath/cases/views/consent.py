"""Case work views: consent records. The page shows the case's legal basis beside them: in prison
and probation consent is rarely the basis for processing, and the platform does not pretend it is."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rightpath.access.views import guard
from rightpath.cases.forms_plan import CONFLICT_MESSAGE, ConsentForm, ConsentWithdrawForm, add_service_errors
from rightpath.cases.policy import SectionRef
from rightpath.cases.selectors import consent as selectors
from rightpath.cases.services import consent as services
from rightpath.cases.vocab import Section
from rightpath.core.concurrency import ConcurrentEditError

from . import section_loader
from .plan import audit_read, case_context

LOAD = section_loader(Section.CONSENT)


@guard("cases.section.read", load=LOAD)
@require_http_methods(["GET"])
def consent_list(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    data = selectors.consent_list(case)
    audit_read(request, case, Section.CONSENT)
    context = case_context(request, case, "consent")
    return render(
        request,
        "cases/consent_list.html",
        {**context, **data, "can_write": context["rights"].get(Section.CONSENT) == "rw"},
    )


@guard("cases.section.write", load=LOAD)
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    initial = {"given_on": timezone.localdate(), "given_by": "guardian" if case.is_minor else "person"}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_create(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("cases:consent_list", code=case.code)
    return render(
        request,
        "cases/consent_form.html",
        {
            **case_context(request, case, "consent"),
            "form": form,
            "consent_basis_in_custody": selectors.consent_basis_in_custody(case),
        },
    )


@guard("cases.section.write", load=LOAD)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, code: Any, consent: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.consent_get(case, consent)
    form = ConsentWithdrawForm(
        request.POST or None, initial={"withdrawn_on": timezone.localdate(), "version": record_.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                record_,
                actor=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(None, CONFLICT_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The withdrawal of consent was recorded."))
            return redirect("cases:consent_list", code=case.code)
    else:
        audit_read(request, case, Section.CONSENT, consent=str(record_.code))
    return render(
        request,
        "cases/consent_withdraw.html",
        {**case_context(request, case, "consent"), "form": form, "consent": record_, "conflict": conflict},
    )


urlpatterns = [
    path("<uuid:code>/consent/", consent_list, name="consent_list"),
    path("<uuid:code>/consent/new/", consent_create, name="consent_create"),
    path("<uuid:code>/consent/<uuid:consent>/withdraw/", consent_withdraw, name="consent_withdraw"),
]
