"""Trainer pages: build a course (settings, translations, modules, lessons, files, question bank,
quizzes), enrol people, grade short answers and revoke certificates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.views import guard
from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.core.concurrency import ConcurrentEditError
from rightpath.knowledge.content import storage_language

from .. import selectors
from ..forms import (
    INTERFACE_LANGUAGES,
    CourseForm,
    CourseTranslationForm,
    EnrolOthersForm,
    GradeForm,
    LessonEditForm,
    LessonFileForm,
    LessonForm,
    ModuleForm,
    QuestionForm,
    QuizForm,
    RevokeForm,
    add_service_errors,
)
from ..models import Answer, Attempt, Certificate, Course, LessonTranslation, Module, Question
from ..policy import is_course_staff
from ..services import courses as services
from ..services import learning as learning_services
from . import edit_language, language, lesson_of, load_attempt, load_certificate, load_course, load_lesson_course


def _load_module_course(request: HttpRequest, code: Any, **_other: Any) -> Course:
    module = get_object_or_404(Module.objects.select_related("course"), code=code)
    request.training_module = module  # type: ignore[attr-defined]
    return module.course


def _course_values(form: CourseForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "title": d["title"],
        "summary": d["summary"],
        "original_language": d["original_language"],
        "status": d["status"],
        "audience": d["audience"],
        "organisations": list(d["organisations"]),
        "is_trainer_track": d["is_trainer_track"],
        "certificate_valid_days": d["certificate_valid_days"],
    }


@guard("training.course.edit")
@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None, initial={"status": "draft", "audience": "platform"})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **_course_values(form))
            messages.success(request, _("Course created. Add modules and lessons."))
            return redirect("training:course_manage", code=course.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/course_form.html", {"form": form, "course": None})


@guard("training.course.edit", load=load_course)
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    outline = selectors.course_outline(obj, obj.original_language)
    initial = {
        "title": outline["title"],
        "summary": outline["summary"],
        "original_language": obj.original_language,
        "status": obj.status,
        "audience": obj.audience,
        "organisations": list(obj.organisations.all()),
        "is_trainer_track": obj.is_trainer_track,
        "certificate_valid_days": obj.certificate_valid_days,
        "version": obj.version,
    }
    form = CourseForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            values = _course_values(form)
            services.course_update(
                obj,
                actor=request.user,
                expected_version=int(form.cleaned_data.get("version") or 0),
                title=values.pop("title"),
                summary=values.pop("summary"),
                organisations=values.pop("organisations"),
                **values,
            )
            messages.success(request, _("Course saved."))
            return redirect("training:course_manage", code=obj.code)
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(
                None,
                _(
                    "Someone else saved this course while you were editing it. Their version is shown; check it and save again."
                ),
            )
            data = form.data.copy()
            data["version"] = conflict.version
            form.data = data
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/course_form.html", {"form": form, "course": obj, "conflict": conflict})


@guard("training.course.edit", load=load_course)
@require_http_methods(["GET"])
def course_manage(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lang = language(request)
    outline = selectors.course_outline(obj, lang)
    structure = selectors.course_structure(obj, lang)
    return render(
        request,
        "training/course_manage.html",
        {
            "course": obj,
            "outline": outline,
            **structure,
            "pending": selectors.grading_queue(actor=request.user, course=obj).count(),
        },
    )


@guard("training.course.edit", load=load_course)
@require_http_methods(["GET", "POST"])
def course_translate(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lang = edit_language(request, obj.original_language)
    translations = {t.language: t for t in obj.translations.all()}
    current = translations.get(storage_language(lang))
    initial = {"language": lang, "status": current.status if current else "translated"}
    if current:
        initial.update({"title": current.title, "summary": current.summary})
    form = CourseTranslationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_translation_save(obj, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Translation saved."))
            return redirect("training:course_manage", code=obj.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "training/translate_form.html",
        {
            "form": form,
            "course": obj,
            "heading": _("The course in another language"),
            "item_languages": sorted(translations),
            "choices": INTERFACE_LANGUAGES,
            "current": lang,
        },
        status=400 if form.errors else 200,
    )


@guard("training.course.edit", load=load_course)
@require_http_methods(["GET", "POST"])
def module_create(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    form = ModuleForm(request.POST or None, initial={"language": obj.original_language})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.module_save(obj, actor=request.user, titles={d["language"]: d["title"]}, pillar=d["pillar"])
            messages.success(request, _("Module added."))
            return redirect("training:course_manage", code=obj.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/simple_form.html", {"form": form, "course": obj, "heading": _("Add a module")})


@guard("training.course.edit", load=_load_module_course)
@require_http_methods(["GET", "POST"])
def lesson_create(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    module = request.training_module  # type: ignore[attr-defined]
    form = LessonForm(request.POST or None, initial={"language": obj.original_language, "status": "original"})
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_save(module, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Lesson saved."))
            return redirect("training:lesson_detail", code=lesson.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/simple_form.html", {"form": form, "course": obj, "heading": _("Add a lesson")})


@guard("training.course.edit", load=load_lesson_course)
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lesson = lesson_of(request)
    lang = edit_language(request, obj.original_language, request.POST.get("language"))
    translations = {t.language: t for t in lesson.translations.all()}
    current = translations.get(storage_language(lang))
    initial = {"language": lang, "status": current.status if current else "translated", "version": lesson.version}
    if current:
        initial.update({"title": current.title, "body": current.body})
    form = LessonEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.lesson_save(
                lesson.module,
                actor=request.user,
                lesson=lesson,
                expected_version=int(version if version is not None else lesson.version),
                **data,
            )
            messages.success(request, _("Lesson saved."))
            return redirect("training:lesson_detail", code=lesson.code)
        except ConcurrentEditError as exc:
            conflict = LessonTranslation.objects.filter(
                lesson=exc.current, language=storage_language(data["language"])
            ).first()
            form.add_error(
                None,
                _(
                    "Someone else saved this lesson while you were editing it. Their version is shown; check it and save again."
                ),
            )
            fresh = form.data.copy()
            fresh["version"] = exc.current.version
            form.data = fresh
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "training/lesson_form.html",
        {
            "form": form,
            "course": obj,
            "lesson": lesson,
            "files": list(lesson.files.all()),
            "file_form": LessonFileForm(),
            "item_languages": sorted(translations),
            "choices": INTERFACE_LANGUAGES,
            "current": lang,
            "conflict": conflict,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@guard("training.course.edit", load=load_lesson_course)
@require_POST
def lesson_upload(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lesson = lesson_of(request)
    form = LessonFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.lesson_file_add(
                lesson,
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
            messages.success(
                request, _("File uploaded. Its code for the lesson text is %(code)s.") % {"code": item.code}
            )
            return redirect("training:lesson_edit", code=lesson.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "training/lesson_form.html",
        {
            "form": LessonForm(initial={"language": obj.original_language}),
            "course": obj,
            "lesson": lesson,
            "files": list(lesson.files.all()),
            "file_form": form,
        },
        status=400,
    )


@guard("training.course.edit", load=load_course)
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    form = QuestionForm(request.POST or None, initial={"language": obj.original_language, "points": 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.question_create(
                obj,
                actor=request.user,
                type=d["type"],
                prompts={d["language"]: d["prompt"]},
                choices=form.parsed_choices(),
                explanations={d["language"]: d["explanation"]} if d["explanation"] else {},
                points=d["points"],
            )
            messages.success(request, _("Question added to the bank."))
            return redirect("training:course_manage", code=obj.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "training/simple_form.html", {"form": form, "course": obj, "heading": _("Add a question to the bank")}
    )


@guard("training.course.edit", load=load_course)
@require_http_methods(["GET", "POST"])
def quiz_create(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lang = language(request)
    modules = list(obj.modules.all())
    bank = list(obj.questions.all())
    form = QuizForm(
        request.POST or None,
        initial={"language": obj.original_language, "pass_mark": 70, "max_attempts": 3},
        modules=[(str(m.code), selectors.text_in(m.titles, lang, obj.original_language)) for m in modules],
        questions=[(str(q.code), selectors.text_in(q.prompts, lang, obj.original_language)) for q in bank],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = set(d["questions"])
        module = next((m for m in modules if str(m.code) == d["module"]), None)
        try:
            services.quiz_save(
                obj,
                actor=request.user,
                kind=d["kind"],
                titles={d["language"]: d["title"]},
                questions=[q for q in bank if str(q.code) in chosen],
                pass_mark=d["pass_mark"],
                max_attempts=d["max_attempts"],
                module=module,
            )
            messages.success(request, _("Quiz saved."))
            return redirect("training:course_manage", code=obj.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/simple_form.html", {"form": form, "course": obj, "heading": _("Add a quiz")})


@guard("training.enrolment.manage", load=load_course)
@require_http_methods(["GET", "POST"])
def enrol_others(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    people = User.objects.filter(is_active=True, is_service_account=False).select_related("organisation")
    if not is_course_staff(request.user, obj):
        people = people.filter(organisation=request.user.organisation_id)
    form = EnrolOthersForm(request.POST or None, people=people.order_by("last_name", "first_name"))
    if request.method == "POST" and form.is_valid():
        try:
            for person in form.cleaned_data["people"]:
                learning_services.enrolment_create(
                    obj, actor=request.user, learner=person, cohort=form.cleaned_data["cohort"]
                )
            messages.success(request, _("The people you chose are enrolled."))
            return redirect("training:course_detail", code=obj.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/simple_form.html", {"form": form, "course": obj, "heading": _("Enrol people")})


@guard("training.attempt.grade", load=load_course)
@require_http_methods(["GET"])
def grading(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lang = language(request)
    answers = [
        {
            "answer": a,
            "prompt": selectors.text_in(a.question.prompts, lang, obj.original_language),
            "form": GradeForm(prefix=str(a.pk)),
        }
        for a in selectors.grading_queue(actor=request.user, course=obj)
    ]
    record(events.PERSONAL_DATA_READ, actor=request.user, target=obj, data={"page": "grading", "answers": len(answers)})
    return render(request, "training/grading.html", {"course": obj, "answers": answers})


@guard("training.attempt.grade", load=load_attempt)
@require_POST
def grade(request: HttpRequest, code: Any, question: Any, obj: Attempt) -> HttpResponse:
    question_obj = get_object_or_404(Question, code=question)
    answer = get_object_or_404(
        Answer.objects.select_related("attempt__quiz__course", "question"), attempt=obj, question=question_obj
    )
    form = GradeForm(request.POST, prefix=str(answer.pk))
    if form.is_valid():
        try:
            learning_services.answer_grade(
                answer,
                actor=request.user,
                credit=Decimal(form.cleaned_data["credit"]),
                feedback=form.cleaned_data["feedback"],
            )
            messages.success(request, _("Answer graded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose how many points the answer earns."))
    return redirect("training:grading", code=obj.quiz.course.code)


@guard("training.certificate.revoke", load=load_certificate)
@require_http_methods(["GET", "POST"])
def certificate_revoke(request: HttpRequest, code: Any, obj: Certificate) -> HttpResponse:
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            learning_services.certificate_revoke(obj, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Certificate revoked. It stays on record and its check shows it revoked."))
            return redirect("training:report", code=obj.enrolment.course.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "training/simple_form.html",
        {
            "form": form,
            "course": obj.enrolment.course,
            "heading": _("Revoke the certificate of %(name)s") % {"name": obj.learner_name},
            "danger": True,
        },
    )


urlpatterns = [
    path("courses/new/", course_create, name="course_create"),
    path("courses/<uuid:code>/edit/", course_edit, name="course_edit"),
    path("courses/<uuid:code>/manage/", course_manage, name="course_manage"),
    path("courses/<uuid:code>/translate/", course_translate, name="course_translate"),
    path("courses/<uuid:code>/modules/new/", module_create, name="module_create"),
    path("modules/<uuid:code>/lessons/new/", lesson_create, name="lesson_create"),
    path("lessons/<uuid:code>/edit/", lesson_edit, name="lesson_edit"),
    path("lessons/<uuid:code>/files/", lesson_upload, name="lesson_upload"),
    path("courses/<uuid:code>/questions/new/", question_create, name="question_create"),
    path("courses/<uuid:code>/quizzes/new/", quiz_create, name="quiz_create"),
    path("courses/<uuid:code>/enrol-people/", enrol_others, name="enrol_others"),
    path("courses/<uuid:code>/grading/", grading, name="grading"),
    path("attempts/<uuid:code>/grade/<uuid:question>/", grade, name="grade"),
    path("certificates/<uuid:code>/revoke/", certificate_revoke, name="certificate_revoke"),
]
