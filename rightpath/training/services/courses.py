"""Writes for course content: courses and their translations, modules, lessons with their images and
materials, the question bank and quizzes. Every content change bumps the course's
``structure_version``, which retires the cached outline."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from rightpath.accounts.models import Organisation, User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.services.documents import (
    FILE_TYPES,
    IMAGE_TYPES,
    clean_title,
    sniff,
    write_private_file,
)
from rightpath.core.concurrency import save_versioned

from .. import richtext
from ..models import (
    Choice,
    Course,
    CourseTranslation,
    Lesson,
    LessonFile,
    LessonTranslation,
    Module,
    Question,
    Quiz,
    QuizQuestion,
)
from ..vocab import CONTENT_LANGUAGES, Audience, FileKind, QuestionType, QuizKind, TranslationStatus
from . import require

LANGUAGE_CODES = {code for code, _label in CONTENT_LANGUAGES}
# Largest lesson image or material; a deployment may change it with TRAINING_FILE_MAX_BYTES.
FILE_MAX_BYTES = 10 * 1024 * 1024
COURSE_FIELDS = ["status", "audience", "is_trainer_track", "certificate_valid_days", "original_language"]


def _touch(course: Course) -> None:
    """Retire the cached outline of ``course`` (its key carries the structure version)."""
    Course.objects.filter(pk=course.pk).update(structure_version=F("structure_version") + 1)
    course.refresh_from_db(fields=["structure_version"])


def _check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of the course languages.")})


def course_create(
    *,
    actor: User,
    title: str,
    summary: str = "",
    original_language: str = "en",
    audience: str = Audience.PLATFORM,
    organisations: list[Organisation] | None = None,
    is_trainer_track: bool = False,
    certificate_valid_days: int | None = None,
    status: str = "draft",
) -> Course:
    """Create a course owned by the trainer's organisation, with its text in the original language."""
    require(actor, "training.course.edit")
    _check_language(original_language)
    with transaction.atomic():
        course = Course(
            owner_organisation=actor.organisation,
            created_by=actor,
            original_language=original_language,
            audience=audience,
            is_trainer_track=is_trainer_track,
            certificate_valid_days=certificate_valid_days,
            status=status,
        )
        course.full_clean()
        course.save()
        course.organisations.set(organisations or [])
        CourseTranslation.objects.create(
            course=course, language=original_language, title=title.strip(), summary=summary.strip()
        )
        record(events.CREATED, actor=actor, target=course, data={"title": title[:200]})
        return course


def course_update(
    course: Course,
    *,
    actor: User,
    expected_version: int,
    title: str,
    summary: str,
    organisations: list[Organisation] | None = None,
    **fields: Any,
) -> Course:
    """Change a course's settings and original-language text; ConcurrentEditError if someone saved first."""
    require(actor, "training.course.edit", course)
    with transaction.atomic():
        changed = [k for k in COURSE_FIELDS if k in fields and getattr(course, k) != fields[k]]
        for k in changed:
            setattr(course, k, fields[k])
        course.full_clean()
        save_versioned(course, expected_version, changed)
        if organisations is not None:
            course.organisations.set(organisations)
        CourseTranslation.objects.update_or_create(
            course=course,
            language=course.original_language,
            defaults={"title": title.strip(), "summary": summary.strip(), "status": TranslationStatus.ORIGINAL},
        )
        _touch(course)
        record(events.UPDATED, actor=actor, target=course, data={"fields": [*changed, "title", "summary"]})
        return course


def course_translation_save(
    course: Course, *, actor: User, language: str, title: str, summary: str, status: str = TranslationStatus.TRANSLATED
) -> CourseTranslation:
    """Add or replace the course's title and summary in ``language``."""
    require(actor, "training.course.edit", course)
    _check_language(language)
    with transaction.atomic():
        tr, _created = CourseTranslation.objects.update_or_create(
            course=course, language=language, defaults={"title": title.strip(), "summary": summary, "status": status}
        )
        _touch(course)
        record(events.UPDATED, actor=actor, target=course, data={"translation": language})
        return tr


def _clean_texts(texts: dict[str, str], field: str) -> dict[str, str]:
    cleaned = {
        lang: (text or "").strip() for lang, text in texts.items() if lang in LANGUAGE_CODES and (text or "").strip()
    }
    if not cleaned:
        raise ValidationError({field: _("Write the text in at least one course language.")})
    return cleaned


def module_save(
    course: Course, *, actor: User, titles: dict[str, str], pillar: str = "", module: Module | None = None
) -> Module:
    """Add a module at the end of the course (or rename ``module``)."""
    require(actor, "training.course.edit", course)
    with transaction.atomic():
        titles = _clean_texts(titles, "title")
        if module is None:
            module = Module(course=course, position=course.modules.count() + 1)
        elif module.course_id != course.pk:
            raise ValidationError(_("This module belongs to another course."))
        module.titles = {**module.titles, **titles}
        module.pillar = pillar
        module.save()
        _touch(course)
        record(events.UPDATED, actor=actor, target=course, data={"module": str(module.code)})
        return module


def _image_resolver(course: Course) -> Any:
    images = {
        str(code)
        for code in LessonFile.objects.filter(lesson__module__course=course, kind=FileKind.IMAGE).values_list(
            "code", flat=True
        )
    }

    def resolve(code: str) -> str | None:
        return reverse("training:file", args=[code]) if code in images else None

    return resolve


def lesson_save(
    module: Module,
    *,
    actor: User,
    language: str,
    title: str,
    body: str,
    status: str = TranslationStatus.ORIGINAL,
    lesson: Lesson | None = None,
) -> Lesson:
    """Add a lesson to ``module`` (or change ``lesson``'s text) in ``language``; the text is rendered
    to safe HTML now, so pages show it without further processing."""
    course = module.course
    require(actor, "training.course.edit", course)
    _check_language(language)
    if not title.strip():
        raise ValidationError({"title": _("Give the lesson a title.")})
    with transaction.atomic():
        if lesson is None:
            lesson = Lesson.objects.create(module=module, position=module.lessons.count() + 1)
        elif lesson.module_id != module.pk:
            raise ValidationError(_("This lesson belongs to another module."))
        LessonTranslation.objects.update_or_create(
            lesson=lesson,
            language=language,
            defaults={
                "title": title.strip(),
                "body": body,
                "body_html": richtext.render(body, _image_resolver(course)),
                "status": status,
            },
        )
        _touch(course)
        record(events.UPDATED, actor=actor, target=course, data={"lesson": str(lesson.code), "language": language})
        return lesson


def files_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "training"


def file_path(item: LessonFile) -> Path:
    """Where ``item`` is stored; only generated names (32 hex digits) ever become a path."""
    name = item.stored_name or ""
    if len(name) != 32 or any(c not in "0123456789abcdef" for c in name):
        raise ValueError("not a generated file name")
    return files_dir() / name


def lesson_file_add(lesson: Lesson, *, actor: User, upload: UploadedFile, kind: str, title: str = "") -> LessonFile:
    """Store an image or material of ``lesson`` outside the web root, after checking its content."""
    course = lesson.module.course
    require(actor, "training.course.edit", course)
    limit = int(getattr(settings, "TRAINING_FILE_MAX_BYTES", FILE_MAX_BYTES))
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": _("The file is too large: the limit is %(mb)d MB.") % {"mb": limit // 2**20}})
    data = b"".join(upload.chunks())
    if len(data) > limit:
        raise ValidationError({"file": _("The file is too large: the limit is %(mb)d MB.") % {"mb": limit // 2**20}})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    found = sniff(data)
    allowed = IMAGE_TYPES if kind == FileKind.IMAGE else FILE_TYPES
    if found is None or found not in allowed:
        names = ", ".join(t.label for t in allowed)
        raise ValidationError(
            {"file": _("This file type is not accepted here. Accepted types: %(types)s.") % {"types": names}}
        )
    shown = clean_title(title) or clean_title(upload.name or "") or _("Material")
    with transaction.atomic():
        item = LessonFile.objects.create(
            lesson=lesson,
            kind=kind,
            title=shown,
            stored_name=uuid.uuid4().hex,
            content_type=found.content_type,
            extension=found.extension,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        path = file_path(item)
        write_private_file(path, data)
        _touch(course)
        record(events.CREATED, actor=actor, target=item, data={"lesson": str(lesson.code), "kind": kind})
        return item


def question_create(
    course: Course,
    *,
    actor: User,
    type: str,
    prompts: dict[str, str],
    choices: list[tuple[dict[str, str], bool]] | None = None,
    explanations: dict[str, str] | None = None,
    points: int = 1,
) -> Question:
    """Add a question to the course's bank. Choice questions need their right answers marked:
    exactly one for single choice and true/false, at least one for multiple choice."""
    require(actor, "training.course.edit", course)
    choices = choices or []
    prompts = _clean_texts(prompts, "prompt")
    if type not in QuestionType.values:
        raise ValidationError({"type": _("Choose a question type.")})
    if type == QuestionType.SHORT:
        if choices:
            raise ValidationError({"choices": _("A short-answer question has no choices: a trainer grades it.")})
    else:
        if len(choices) < 2:
            raise ValidationError({"choices": _("Give at least two choices.")})
        right = sum(1 for _labels, ok in choices if ok)
        if type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and right != 1:
            raise ValidationError({"choices": _("Mark exactly one choice as the right answer.")})
        if type == QuestionType.TRUE_FALSE and len(choices) != 2:
            raise ValidationError({"choices": _("A true-or-false question has exactly two choices.")})
        if right < 1:
            raise ValidationError({"choices": _("Mark at least one choice as a right answer.")})
    with transaction.atomic():
        question = Question.objects.create(
            course=course, type=type, prompts=prompts, explanations=explanations or {}, points=max(1, int(points))
        )
        Choice.objects.bulk_create(
            [
                Choice(question=question, code=uuid.uuid4().hex[:16], position=i, labels=labels, is_correct=ok)
                for i, (labels, ok) in enumerate(choices, start=1)
            ]
        )
        record(events.CREATED, actor=actor, target=question, data={"course": str(course.code)})
        return question


def quiz_save(
    course: Course,
    *,
    actor: User,
    kind: str,
    titles: dict[str, str],
    questions: list[Question],
    pass_mark: int = 70,
    max_attempts: int = 3,
    module: Module | None = None,
    quiz: Quiz | None = None,
) -> Quiz:
    """Create (or change) a quiz from questions of the course's own bank. A course has at most one
    pre-test and one post-test; they may share items or be parallel forms."""
    require(actor, "training.course.edit", course)
    if kind not in QuizKind.values:
        raise ValidationError({"kind": _("Choose the kind of quiz.")})
    if not questions:
        raise ValidationError({"questions": _("Choose at least one question.")})
    if any(q.course_id != course.pk for q in questions):
        raise ValidationError({"questions": _("Questions must come from this course's question bank.")})
    if not 0 <= int(pass_mark) <= 100:
        raise ValidationError({"pass_mark": _("The pass mark is a percentage between 0 and 100.")})
    if int(max_attempts) < 1:
        raise ValidationError({"max_attempts": _("Allow at least one attempt.")})
    if module is not None and module.course_id != course.pk:
        raise ValidationError({"module": _("This module belongs to another course.")})
    titles = _clean_texts(titles, "title")
    with transaction.atomic():
        if quiz is None:
            if kind != QuizKind.MODULE and Quiz.objects.filter(course=course, kind=kind).exists():
                raise ValidationError({"kind": _("This course already has a quiz of this kind.")})
            quiz = Quiz(course=course)
        quiz.kind, quiz.titles, quiz.pass_mark, quiz.max_attempts = kind, titles, int(pass_mark), int(max_attempts)
        quiz.module = module if kind == QuizKind.MODULE else None
        quiz.save()
        QuizQuestion.objects.filter(quiz=quiz).delete()
        QuizQuestion.objects.bulk_create(
            [QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(questions, start=1)]
        )
        _touch(course)
        record(events.UPDATED, actor=actor, target=course, data={"quiz": str(quiz.code), "kind": kind})
        return quiz
