"""Reports for trainers and programme leads: completion, scores, learning gain and feedback per
course (with CSV export), and the train-the-trainer cascade."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rightpath.access.views import guard
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.knowledge.content import pick
from rightpath.knowledge.transfer.columns import neutralise

from .. import selectors
from ..models import Course
from . import language, load_course


@guard("training.report.view")
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    courses = selectors.report_courses(actor=request.user, language=language(request))
    return render(request, "training/report_list.html", {"courses": courses})


@guard("training.report.view", load=load_course)
@require_GET
def report(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    data = selectors.course_report(obj, actor=request.user, language=language(request))
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        target=obj,
        data={"report": "training", "learners": len(data["rows"])},
    )
    return render(request, "training/report.html", data)


def _cell(value: Any) -> str:
    return neutralise("" if value is None else str(value))


@guard("training.report.view", load=load_course)
@require_GET
def report_csv(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    data = selectors.course_report(obj, actor=request.user, language=language(request))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Learner"),
            _("Organisation"),
            _("Country"),
            _("Cohort"),
            _("Status"),
            _("Progress (%)"),
            _("Mean quiz score (%)"),
            _("Pre-test (%)"),
            _("Post-test (%)"),
            _("Raw gain (points)"),
            _("Normalised gain"),
            _("Completed"),
        ]
    )
    for r in data["rows"]:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    r["name"],
                    r["organisation"],
                    r["country"],
                    r["cohort"],
                    r["status"],
                    r["progress"],
                    r["mean_score"],
                    r["pre"],
                    r["post"],
                    r["raw_gain"],
                    r["normalised_gain"],
                    r["completed_at"].date().isoformat() if r["completed_at"] else "",
                )
            ]
        )
    record(events.EXPORTED, actor=request.user, target=obj, data={"report": "training", "rows": len(data["rows"])})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-report-{obj.code}.csv"'
    return response


@guard("training.cascade.view")
@require_GET
def cascade(request: HttpRequest) -> HttpResponse:
    return render(request, "training/cascade.html", selectors.cascade(actor=request.user))


@guard("training.cascade.view")
@require_GET
def cascade_csv(request: HttpRequest) -> HttpResponse:
    data = selectors.cascade(actor=request.user)
    lang = language(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Trainer"),
            _("Organisation"),
            _("Country"),
            _("Certified through"),
            _("Sessions delivered"),
            _("Trained directly"),
            _("People reached"),
            _("Who they trained"),
        ]
    )
    for t in data["trainers"]:
        course = t["certified_through"]
        certified = ""
        if course is not None:
            tr = pick(course.translations.all(), lang, course.original_language)
            certified = tr.title if tr else str(course.code)
        writer.writerow(
            [
                _cell(v)
                for v in (
                    t["person"].get("name", ""),
                    t["person"].get("organisation", ""),
                    t["person"].get("country", ""),
                    certified,
                    t["sessions"],
                    t["direct"],
                    t["reached"],
                    "; ".join(t["trained"]),
                )
            ]
        )
    record(events.EXPORTED, actor=request.user, data={"report": "training cascade", "rows": len(data["trainers"])})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-cascade.csv"'
    return response


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/<uuid:code>/", report, name="report"),
    path("reports/<uuid:code>/csv/", report_csv, name="report_csv"),
    path("cascade/", cascade, name="cascade"),
    path("cascade/csv/", cascade_csv, name="cascade_csv"),
]
