"""Learner pages: my learning, the course catalogue and page, lessons and their files, quizzes
(graded on the server), certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard

from .. import outline as outline_module
from .. import selectors
from ..models import Attempt, Certificate, Course, Quiz
from ..services import courses as course_services
from ..services import learning as services
from ..vocab import AttemptStatus, FileKind, QuestionType, QuizKind
from . import (
    language,
    load_attempt,
    load_certificate,
    load_course,
    load_file_course,
    load_lesson_course,
    load_quiz,
)


@guard("training.learning.view")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = selectors.dashboard(actor=request.user, language=language(request))
    context["can_build"] = bool(can(request.user, "training.course.edit"))
    context["can_report"] = bool(can(request.user, "training.report.view"))
    return render(request, "training/home.html", context)


@guard("training.course.view")
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    courses = selectors.course_list(actor=request.user, language=language(request))
    return render(
        request,
        "training/course_list.html",
        {"courses": courses, "can_build": bool(can(request.user, "training.course.edit"))},
    )


@guard("training.course.view", load=load_course)
@require_GET
def course_detail(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lang = language(request)
    outline = selectors.course_outline(obj, lang)
    progress = selectors.learner_progress(obj, outline, actor=request.user)
    is_staff = bool(can(request.user, "training.course.edit", obj))
    html = outline_module.fill(outline_module.outline_html(obj, outline, lang), outline, progress, request)
    return render(
        request,
        "training/course_detail.html",
        {
            "course": obj,
            "outline": outline,
            "outline_html": html,
            "progress": progress,
            "is_staff": is_staff,
            "can_enrol": progress.enrolment is None and bool(can(request.user, "training.course.enrol", obj)),
        },
    )


@guard("training.course.enrol", load=load_course)
@require_POST
def course_enrol(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    services.enrolment_create(obj, actor=request.user)
    messages.success(request, _("You are enrolled. Start with the pre-test if the course has one."))
    return redirect("training:course_detail", code=obj.code)


@guard("training.course.view", load=load_lesson_course)
@require_GET
def lesson_detail(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lang = language(request)
    lesson, text, materials = selectors.lesson_get(code=code, language=lang)
    outline = selectors.course_outline(obj, lang)
    progress = selectors.learner_progress(obj, outline, actor=request.user)
    flat = [les for m in outline["modules"] for les in m["lessons"]]
    index = next((i for i, les in enumerate(flat) if les["id"] == lesson.pk), 0)
    return render(
        request,
        "training/lesson_detail.html",
        {
            "course": obj,
            "outline": outline,
            "lesson": lesson,
            "text": text,
            "materials": materials,
            "progress": progress,
            "done": lesson.pk in progress.done_lessons,
            "previous": flat[index - 1] if index > 0 else None,
            "next": flat[index + 1] if index + 1 < len(flat) else None,
            "is_staff": bool(can(request.user, "training.course.edit", obj)),
        },
    )


@guard("training.course.view", load=load_lesson_course)
@require_POST
def lesson_complete(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lesson = request.training_lesson  # type: ignore[attr-defined]
    try:
        services.lesson_complete(lesson, actor=request.user)
        messages.success(request, _("Lesson marked as done."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("training:lesson_detail", code=lesson.code)


@guard("training.course.view", load=load_file_course)
@require_GET
def file_download(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    item = request.training_file  # type: ignore[attr-defined]
    try:
        handle = course_services.file_path(item).open("rb")
    except (OSError, ValueError):
        from django.http import Http404

        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=item.kind == FileKind.MATERIAL,
        filename=f"{item.title[:80]}.{item.extension}",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@guard("training.quiz.take", load=load_quiz)
@require_POST
def quiz_start(request: HttpRequest, code: Any, obj: Quiz) -> HttpResponse:
    try:
        attempt = services.attempt_start(obj, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training:course_detail", code=obj.course.code)
    return redirect("training:attempt", code=attempt.code)


def _answers_from(request: HttpRequest, paper: list[dict[str, Any]]) -> dict[str, services.Submitted]:
    answers: dict[str, services.Submitted] = {}
    for q in paper:
        key = f"q-{q['code']}"
        if q["type"] == QuestionType.SHORT:
            answers[q["code"]] = services.Submitted(text=request.POST.get(key, ""))
        else:
            answers[q["code"]] = services.Submitted(choices=tuple(request.POST.getlist(key)))
    # Answers to questions that are not on the paper are passed on, so the service refuses them.
    for key in request.POST:
        if key.startswith("q-") and key[2:] not in answers:
            answers[key[2:]] = services.Submitted(choices=tuple(request.POST.getlist(key)))
    return answers


@guard("training.quiz.take", load=load_attempt)
@require_http_methods(["GET", "POST"])
def attempt(request: HttpRequest, code: Any, obj: Attempt) -> HttpResponse:
    lang = language(request)
    quiz = obj.quiz
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if obj.status == AttemptStatus.IN_PROGRESS:
        paper = selectors.quiz_paper(quiz, lang)
        if request.method == "POST":
            try:
                services.attempt_submit(obj, actor=request.user, answers=_answers_from(request, paper))
                return redirect("training:attempt", code=obj.code)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
                else:
                    general = exc.messages
        for q in paper:
            q["errors"] = errors.get(f"q-{q['code']}", [])
            q["given"] = request.POST.getlist(f"q-{q['code']}") if request.method == "POST" else []
        return render(
            request,
            "training/attempt_form.html",
            {
                "attempt": obj,
                "quiz": quiz,
                "title": selectors.text_in(quiz.titles, lang, quiz.course.original_language),
                "paper": paper,
                "errors": errors,
                "general_errors": general,
                "error_list": [m for msgs in errors.values() for m in msgs] + general,
            },
            status=400 if (errors or general) else 200,
        )
    if request.method == "POST":
        messages.error(request, _("This attempt has already been submitted."))
        return redirect("training:attempt", code=obj.code)
    return render(
        request,
        "training/attempt_result.html",
        {
            "attempt": obj,
            "quiz": quiz,
            "title": selectors.text_in(quiz.titles, lang, quiz.course.original_language),
            "review": selectors.attempt_review(obj, lang, reveal=_reveal(obj)),
            "course": quiz.course,
        },
    )


def _reveal(attempt: Attempt) -> bool:
    """Show the right answers after a pass or the last attempt, never for a pre-test."""
    if attempt.quiz.kind == QuizKind.PRE_TEST or attempt.status != AttemptStatus.GRADED:
        return False
    return bool(attempt.passed) or services.attempts_left(attempt.quiz, attempt.enrolment) == 0


@guard("training.certificate.view", load=load_certificate)
@require_GET
def certificate_pdf(request: HttpRequest, code: Any, obj: Certificate) -> HttpResponse:
    from ..certificates import certificate_pdf as render_pdf

    pdf = render_pdf(obj, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{obj.code}.pdf"'
    return response


urlpatterns = [
    path("", home, name="home"),
    path("courses/", course_list, name="course_list"),
    path("courses/<uuid:code>/", course_detail, name="course_detail"),
    path("courses/<uuid:code>/enrol/", course_enrol, name="course_enrol"),
    path("lessons/<uuid:code>/", lesson_detail, name="lesson_detail"),
    path("lessons/<uuid:code>/done/", lesson_complete, name="lesson_complete"),
    path("files/<uuid:code>/", file_download, name="file"),
    path("quizzes/<uuid:code>/start/", quiz_start, name="quiz_start"),
    path("attempts/<uuid:code>/", attempt, name="attempt"),
    path("certificates/<uuid:code>/pdf/", certificate_pdf, name="certificate_pdf"),
]
