"""Training views, one module per area; shared loaders for the guards live here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from .. import selectors
from ..models import Attempt, Certificate, Course, Lesson, LessonFile, Quiz, Signup, TrainingSession


def language(request: HttpRequest) -> str:
    """The language to show course content in (``?lang=`` or the interface language)."""
    return selectors.reader_language(request.GET.get("lang"), get_language() or "en")


def edit_language(request: HttpRequest, default: str, posted: str | None = None) -> str:
    """The language an editing page works in: the posted or ``?language=`` one when it is an interface
    language, else ``default``."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (posted, request.GET.get("language")):
        if candidate in codes:
            return candidate
    return default


def load_course(request: HttpRequest, code: Any, **_other: Any) -> Course:
    return selectors.course_get(code=code)


def load_lesson_course(request: HttpRequest, code: Any, **_other: Any) -> Course:
    lesson = selectors.lesson_get(code=code, language="en")[0]
    request.training_lesson = lesson  # type: ignore[attr-defined]
    return lesson.module.course


def load_file_course(request: HttpRequest, code: Any, **_other: Any) -> Course:
    item: LessonFile = selectors.lesson_file_get(code=code)
    request.training_file = item  # type: ignore[attr-defined]
    return item.lesson.module.course


def load_quiz(request: HttpRequest, code: Any, **_other: Any) -> Quiz:
    return selectors.quiz_get(code=code)


def load_attempt(request: HttpRequest, code: Any, **_other: Any) -> Attempt:
    return selectors.attempt_get(code=code)


def load_certificate(request: HttpRequest, code: Any, **_other: Any) -> Certificate:
    return selectors.certificate_get(code=code)


def load_session(request: HttpRequest, code: Any, **_other: Any) -> TrainingSession:
    return selectors.session_get(code=code)


def load_signup(request: HttpRequest, code: Any, **_other: Any) -> Signup:
    return selectors.signup_get(code=code)


def lesson_of(request: HttpRequest) -> Lesson:
    return request.training_lesson  # type: ignore[attr-defined]
