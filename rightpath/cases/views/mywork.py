"""Case work views: "my work", the user's due reviews, overdue actions and what waits for an answer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from rightpath.access.views import guard
from rightpath.assessments.selectors import assessments_due
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.selectors import mywork as selectors


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


urlpatterns = [
    path("mywork/", mywork, name="mywork"),
]
