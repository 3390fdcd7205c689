"""Case work views: "my work", the user's due reviews, overdue actions and what waits for an answer,
and the full list of each of its sections."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from rightpath.access.views import guard
from rightpath.assessments.selectors import assessments_due, assessments_due_cases, with_due_links
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.selectors import mywork as selectors

SECTION_TITLES = {
    "reviews": _("Plan reviews due"),
    "actions": _("Overdue plan actions"),
    "assessments": _("Assessments due for review"),
    "referrals": _("Referrals waiting for your organisation's answer"),
    "transfers": _("Lead transfers waiting for your organisation's answer"),
    "approvals": _("Approvals waiting for you"),
}


@guard("cases.mywork.view")
@require_http_methods(["GET"])
def mywork(request: HttpRequest) -> HttpResponse:
    work = selectors.my_work(actor=request.user)
    work["assessments_due"] = assessments_due(actor=request.user)
    shown = sorted({*selectors.cases_shown(work), *(str(c.code) for c in work["assessments_due"]["items"])})
    # One entry for the whole page, naming the cases it showed (pseudonymous codes only).
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        data={"section": "mywork", "cases": shown},
    )
    return render(request, "cases/mywork.html", work)


@guard("cases.mywork.view")
@require_http_methods(["GET"])
def mywork_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section of "my work" in full, a page at a time; "not found" for a section the user does
    not have on their page."""
    if section == "assessments":
        cases = assessments_due_cases(request.user)
        if cases is None:
            raise Http404
        page = Paginator(cases, selectors.SECTION_PAGE_SIZE).get_page(request.GET.get("page"))
        codes = {str(c.code) for c in with_due_links(list(page.object_list))}
        context = {"section": section, "page_obj": page, "object_list": page.object_list, "query": {}}
    else:
        found = selectors.my_work_section(section, actor=request.user, params=request.GET)
        if found is None:
            raise Http404
        context = found
        codes = selectors.case_codes(section, list(context["object_list"]))
    # One entry for the page, naming the cases it showed (pseudonymous codes only).
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        data={"section": "mywork", "list": section, "page": str(context["page_obj"].number), "cases": sorted(codes)},
    )
    context |= {"title": SECTION_TITLES[section], "template": f"cases/mywork_table_{section}.html"}
    return render(request, "cases/mywork_section.html", context)


urlpatterns = [
    path("mywork/", mywork, name="mywork"),
    path("mywork/<slug:section>/", mywork_section, name="mywork_section"),
]
