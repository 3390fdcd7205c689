"""Course staff edit a course's structure: module titles in each language, the order of modules and
lessons, deleting modules and lessons nobody has progress on, and the question bank's texts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.views import guard
from rightpath.core.concurrency import ConcurrentEditError
from rightpath.knowledge.content import storage_language

from .. import selectors
from ..forms import INTERFACE_LANGUAGES, ModuleEditForm, QuestionEditForm, QuestionTranslationForm, add_service_errors
from ..models import Course, Module, Question
from ..services import courses as services
from . import edit_language, language, lesson_of, load_lesson_course


def load_module_course(request: HttpRequest, code: Any, **_other: Any) -> Course:
    module = get_object_or_404(Module.objects.select_related("course"), code=code)
    request.training_module = module  # type: ignore[attr-defined]
    return module.course


def load_question_course(request: HttpRequest, code: Any, **_other: Any) -> Course:
    question = get_object_or_404(Question.objects.select_related("course"), code=code)
    request.training_question = question  # type: ignore[attr-defined]
    return question.course


def _conflict_message() -> str:
    return _("Someone else saved this while you were editing it. Their version is shown; check it and save again.")


def _keep_version(form: Any, version: int) -> None:
    data = form.data.copy()
    data["version"] = version
    form.data = data


@guard("training.course.edit", load=load_module_course)
@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    module: Module = request.training_module  # type: ignore[attr-defined]
    lang = edit_language(request, obj.original_language, request.POST.get("language"))
    initial = {
        "language": lang,
        "title": module.titles.get(storage_language(lang), ""),
        "pillar": module.pillar,
        "version": module.version,
    }
    form = ModuleEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.module_update(
                module,
                actor=request.user,
                expected_version=int(d["version"] if d["version"] is not None else module.version),
                language=d["language"],
                title=d["title"],
                pillar=d["pillar"],
            )
            messages.success(request, _("Module saved."))
            return redirect("training:course_manage", code=obj.code)
        except ConcurrentEditError as exc:
            current = exc.current
            conflict = {
                "title": current.titles.get(storage_language(d["language"]), ""),
                "pillar": current.pillar,
            }
            form.add_error(None, _conflict_message())
            _keep_version(form, current.version)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "training/translate_form.html",
        {
            "form": form,
            "course": obj,
            "heading": _("Edit the module"),
            "item_languages": sorted(module.titles),
            "choices": INTERFACE_LANGUAGES,
            "current": lang,
            "conflict": conflict,
        },
        status=400 if form.errors else 200,
    )


def _moved(request: HttpRequest, moved: bool) -> None:
    if moved:
        messages.success(request, _("Order saved."))
    else:
        messages.info(request, _("It is already at that end of the list."))


@guard("training.course.edit", load=load_module_course)
@require_POST
def module_move(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    try:
        _moved(
            request,
            services.module_move(
                request.training_module, actor=request.user, direction=request.POST.get("direction", "")
            ),
        )  # type: ignore[attr-defined]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("training:course_manage", code=obj.code)


@guard("training.course.edit", load=load_lesson_course)
@require_POST
def lesson_move(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    try:
        _moved(
            request,
            services.lesson_move(lesson_of(request), actor=request.user, direction=request.POST.get("direction", "")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("training:course_manage", code=obj.code)


def _confirm_delete(
    request: HttpRequest, obj: Course, *, heading: str, what: str, refusal: str, delete: Any, done: str
) -> HttpResponse:
    if request.method == "POST" and not refusal:
        try:
            delete()
            messages.success(request, done)
            return redirect("training:course_manage", code=obj.code)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
    return render(
        request,
        "training/confirm_delete.html",
        {"course": obj, "heading": heading, "what": what, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


@guard("training.course.edit", load=load_module_course)
@require_http_methods(["GET", "POST"])
def module_delete(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    module: Module = request.training_module  # type: ignore[attr-defined]
    title = selectors.text_in(module.titles, language(request), obj.original_language)
    return _confirm_delete(
        request,
        obj,
        heading=_("Delete the module %(title)s") % {"title": title},
        what=_(
            "The module, its lessons with their images and materials, and its quizzes are deleted. The questions stay in the question bank."
        ),
        refusal=services.module_delete_refusal(module),
        delete=lambda: services.module_delete(module, actor=request.user),
        done=_("Module deleted."),
    )


@guard("training.course.edit", load=load_lesson_course)
@require_http_methods(["GET", "POST"])
def lesson_delete(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    lesson = lesson_of(request)
    _lesson, translation, _files = selectors.lesson_get(code=lesson.code, language=language(request))
    title = translation.title if translation else ""
    return _confirm_delete(
        request,
        obj,
        heading=_("Delete the lesson %(title)s") % {"title": title},
        what=_("The lesson, its texts in every language and its images and materials are deleted."),
        refusal=services.lesson_delete_refusal(lesson),
        delete=lambda: services.lesson_delete(lesson, actor=request.user),
        done=_("Lesson deleted."),
    )


def _choice_lines(question: Question, language: str, original: str) -> str:
    return "\n".join(
        ("*" if c.is_correct else "") + selectors.text_in(c.labels, language, original)
        for c in question.choices.order_by("position", "id")
    )


@guard("training.course.edit", load=load_question_course)
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    question: Question = request.training_question  # type: ignore[attr-defined]
    lang = edit_language(request, obj.original_language, request.POST.get("language"))
    stored = storage_language(lang)
    answered = services.question_is_answered(question)
    initial = {
        "language": lang,
        "prompt": question.prompts.get(stored, ""),
        "choices": _choice_lines(question, stored, obj.original_language) if question.type != "short" else "",
        "explanation": question.explanations.get(stored, ""),
        "points": question.points,
        "version": question.version,
    }
    form = QuestionEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.question_update(
                question,
                actor=request.user,
                expected_version=int(d["version"] if d["version"] is not None else question.version),
                language=d["language"],
                prompt=d["prompt"],
                choices=form.parsed_choices(),
                explanation=d["explanation"],
                points=d["points"],
            )
            messages.success(request, _("Question saved."))
            return redirect("training:course_manage", code=obj.code)
        except ConcurrentEditError as exc:
            current = exc.current
            conflict = {
                "prompt": current.prompts.get(storage_language(d["language"]), ""),
                "choices": _choice_lines(current, storage_language(d["language"]), obj.original_language),
                "points": current.points,
            }
            form.add_error(None, _conflict_message())
            _keep_version(form, current.version)
        except ValidationError as exc:
            add_service_errors(form, exc)
    elif request.method == "POST" and answered:
        form.add_error(None, services.answered_message())
    return render(
        request,
        "training/question_form.html",
        {
            "form": form,
            "course": obj,
            "question": question,
            "answered": answered,
            "answered_message": services.answered_message() if answered else "",
            "item_languages": sorted(question.prompts),
            "choices": INTERFACE_LANGUAGES,
            "current": lang,
            "conflict": conflict,
        },
        status=400 if form.errors else 200,
    )


@guard("training.course.edit", load=load_question_course)
@require_http_methods(["GET", "POST"])
def question_translate(request: HttpRequest, code: Any, obj: Course) -> HttpResponse:
    question: Question = request.training_question  # type: ignore[attr-defined]
    lang = edit_language(request, obj.original_language, request.POST.get("language"))
    stored = storage_language(lang)
    original = [
        selectors.text_in(c.labels, obj.original_language, obj.original_language)
        for c in question.choices.order_by("position", "id")
    ]
    initial = {
        "language": lang,
        "prompt": question.prompts.get(stored, ""),
        "choices": "\n".join(c.labels.get(stored, "") for c in question.choices.order_by("position", "id")).strip(),
        "explanation": question.explanations.get(stored, ""),
    }
    form = QuestionTranslationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.question_translation_save(
                question,
                actor=request.user,
                language=d["language"],
                prompt=d["prompt"],
                choice_labels=(d["choices"] or "").splitlines(),
                explanation=d["explanation"],
            )
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
            "heading": _("The question in another language"),
            "source": selectors.text_in(question.prompts, obj.original_language, obj.original_language),
            "source_choices": original,
            "item_languages": sorted(question.prompts),
            "choices": INTERFACE_LANGUAGES,
            "current": lang,
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("modules/<uuid:code>/edit/", module_edit, name="module_edit"),
    path("modules/<uuid:code>/move/", module_move, name="module_move"),
    path("modules/<uuid:code>/delete/", module_delete, name="module_delete"),
    path("lessons/<uuid:code>/move/", lesson_move, name="lesson_move"),
    path("lessons/<uuid:code>/delete/", lesson_delete, name="lesson_delete"),
    path("questions/<uuid:code>/edit/", question_edit, name="question_edit"),
    path("questions/<uuid:code>/translate/", question_translate, name="question_translate"),
]
