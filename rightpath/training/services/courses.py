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
from rightpath.core.concurrency import save_versioned
from rightpath.core.files import (
    FILE_TYPES,
    IMAGE_TYPES,
    clean_title,
    sniff,
    write_private_file,
)
from rightpath.knowledge.content import storage_language

from .. import richtext
from ..models import (
    Answer,
    Attempt,
    Choice,
    Course,
    CourseTranslation,
    Lesson,
    LessonCompletion,
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


def stored_language(language: str) -> str:
    """The code a text in interface language ``language`` is stored under (Serbian in either script is
    stored once, as ``sr``); ValidationError for any other language."""
    code = storage_language(language or "")
    _check_language(code)
    return code


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
    language = stored_language(language)
    if not title.strip():
        raise ValidationError({"title": _("Give the course a title in this language.")})
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
    expected_version: int | None = None,
) -> Lesson:
    """Add a lesson to ``module`` (or change ``lesson``'s text) in ``language``; the text is rendered
    to safe HTML now, so pages show it without further processing. With ``expected_version`` an edit
    raises ConcurrentEditError (carrying the lesson as saved) when someone else saved it first."""
    course = module.course
    require(actor, "training.course.edit", course)
    language = stored_language(language)
    if not title.strip():
        raise ValidationError({"title": _("Give the lesson a title.")})
    with transaction.atomic():
        if lesson is None:
            lesson = Lesson.objects.create(module=module, position=module.lessons.count() + 1)
        elif lesson.module_id != module.pk:
            raise ValidationError(_("This lesson belongs to another module."))
        elif expected_version is not None:
            save_versioned(lesson, expected_version, [])
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
    _check_choices(type, choices)
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


def _check_choices(type: str, choices: list[tuple[dict[str, str], bool]]) -> None:
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


# --- editing the structure: modules, lessons, question texts ------------------------------------------


def module_update(
    module: Module, *, actor: User, expected_version: int, language: str, title: str, pillar: str = ""
) -> Module:
    """Change a module's title in ``language`` (other languages stay) and its pillar; ConcurrentEditError
    (carrying the module as saved) if someone else saved it first."""
    course = module.course
    require(actor, "training.course.edit", course)
    language = stored_language(language)
    if not title.strip():
        raise ValidationError({"title": _("Give the module a title.")})
    with transaction.atomic():
        module.titles = {**module.titles, language: title.strip()}
        module.pillar = pillar
        save_versioned(module, expected_version, ["titles", "pillar"])
        _touch(course)
        record(events.UPDATED, actor=actor, target=module, data={"fields": ["title", "pillar"], "language": language})
        return module


def _move(items: list[Any], item: Any, direction: str) -> bool:
    """Swap ``item`` with its neighbour in ``direction`` and number the list 1..n (rows whose
    position changed are saved). False when the item is already at that end."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the item up or down."))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position", "updated_at"])
    return True


def module_move(module: Module, *, actor: User, direction: str) -> bool:
    """Move a module one place up or down in its course. Returns False when it is already first
    (or last) and nothing changed."""
    course = module.course
    require(actor, "training.course.edit", course)
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        moved = _move(list(course.modules.order_by("position", "id")), module, direction)
        if moved:
            _touch(course)
            record(events.UPDATED, actor=actor, target=module, data={"moved": direction})
        return moved


def lesson_move(lesson: Lesson, *, actor: User, direction: str) -> bool:
    """Move a lesson one place up or down within its module. Returns False when it is already first
    (or last) and nothing changed."""
    module = lesson.module
    course = module.course
    require(actor, "training.course.edit", course)
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        moved = _move(list(module.lessons.order_by("position", "id")), lesson, direction)
        if moved:
            _touch(course)
            record(events.UPDATED, actor=actor, target=lesson, data={"moved": direction})
        return moved


def lesson_delete_refusal(lesson: Lesson) -> str:
    """Why ``lesson`` cannot be deleted (empty when it can)."""
    if LessonCompletion.objects.filter(lesson=lesson).exists():
        return _("Learners have completed this lesson, so it cannot be deleted: their progress records depend on it.")
    return ""


def module_delete_refusal(module: Module) -> str:
    """Why ``module`` cannot be deleted (empty when it can)."""
    if LessonCompletion.objects.filter(lesson__module=module).exists():
        return _(
            "Learners have completed lessons of this module, so it cannot be deleted: "
            "their progress records depend on it."
        )
    if Attempt.objects.filter(quiz__module=module).exists():
        return _("Learners have taken this module's quiz, so the module cannot be deleted: their results depend on it.")
    return ""


def lesson_delete(lesson: Lesson, *, actor: User) -> None:
    """Delete a lesson nobody has completed yet, with its texts and files.

    Content that learners have progress on is refused rather than deleted or archived: deleting it
    would take their completions (and, for a module, quiz attempts and answers) with it, and an
    archived state would have to be respected by every page, report and the completion rule to keep
    certificates explainable. Refusing keeps every learner's record exactly as it was; the trainer
    can still rename, rewrite or move the lesson."""
    module = lesson.module
    course = module.course
    require(actor, "training.course.edit", course)
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        reason = lesson_delete_refusal(lesson)
        if reason:
            raise ValidationError(reason)
        code = str(lesson.code)
        paths = [file_path(f) for f in lesson.files.all()]
        lesson.delete()
        _move_close_gaps(list(module.lessons.order_by("position", "id")))
        _touch(course)
        record(events.DELETED, actor=actor, target=course, data={"lesson": code})
        transaction.on_commit(lambda: _unlink(paths))


def module_delete(module: Module, *, actor: User) -> None:
    """Delete a module (its lessons and module quizzes) that no learner has progress on; the questions
    stay in the course's bank. Refused otherwise, for the reasons given at ``lesson_delete``."""
    course = module.course
    require(actor, "training.course.edit", course)
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        reason = module_delete_refusal(module)
        if reason:
            raise ValidationError(reason)
        code = str(module.code)
        paths = [file_path(f) for f in LessonFile.objects.filter(lesson__module=module)]
        module.delete()
        _move_close_gaps(list(course.modules.order_by("position", "id")))
        _touch(course)
        record(events.DELETED, actor=actor, target=course, data={"module": code})
        transaction.on_commit(lambda: _unlink(paths))


def _move_close_gaps(items: list[Any]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position", "updated_at"])


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def question_is_answered(question: Question) -> bool:
    return Answer.objects.filter(question=question).exists()


def answered_message() -> str:
    return _(
        "Learners have already answered this question, so it cannot be changed: their grades must stay "
        "explainable. Add a new question to the bank and use it in the quizzes instead."
    )


def question_update(
    question: Question,
    *,
    actor: User,
    expected_version: int,
    language: str,
    prompt: str,
    choices: list[tuple[str, bool]],
    explanation: str = "",
    points: int = 1,
) -> Question:
    """Change a question that nobody has answered yet: its text and explanation in ``language``, its
    points and its choices (given in order, with the right ones marked; a choice keeps its other
    languages when it stays at the same place). Once answered, a question is never changed, so past
    grading stays explainable. ConcurrentEditError if someone else saved it first."""
    course = question.course
    require(actor, "training.course.edit", course)
    language = stored_language(language)
    if not prompt.strip():
        raise ValidationError({"prompt": _("Write the question.")})
    if not 1 <= int(points) <= 100:
        raise ValidationError({"points": _("A question is worth between 1 and 100 points.")})
    old = list(question.choices.order_by("position", "id"))
    labelled = []
    for i, (label, ok) in enumerate(choices):
        labels = dict(old[i].labels) if i < len(old) else {}
        labels[language] = label.strip()
        labelled.append((labels, ok))
    _check_choices(question.type, labelled)
    with transaction.atomic():
        if Answer.objects.select_for_update().filter(question=question).exists():
            raise ValidationError(answered_message())
        question.prompts = {**question.prompts, language: prompt.strip()}
        explanations = {**question.explanations}
        if explanation.strip():
            explanations[language] = explanation.strip()
        else:
            explanations.pop(language, None)
        question.explanations = explanations
        question.points = int(points)
        save_versioned(question, expected_version, ["prompts", "explanations", "points"])
        keep = min(len(old), len(labelled))
        for choice, (labels, ok) in zip(old[:keep], labelled[:keep], strict=True):
            choice.labels, choice.is_correct = labels, ok
            choice.save(update_fields=["labels", "is_correct"])
        Choice.objects.filter(pk__in=[c.pk for c in old[keep:]]).delete()
        Choice.objects.bulk_create(
            [
                Choice(question=question, code=uuid.uuid4().hex[:16], position=i, labels=labels, is_correct=ok)
                for i, (labels, ok) in enumerate(labelled[keep:], start=keep + 1)
            ]
        )
        _touch(course)
        record(events.UPDATED, actor=actor, target=question, data={"language": language, "choices": len(labelled)})
        return question


def question_translation_save(
    question: Question, *, actor: User, language: str, prompt: str, choice_labels: list[str], explanation: str = ""
) -> Question:
    """Add the question's text (and its choices', in the same order) in another language. Once the
    question has been answered, texts that exist stay as they are and only new languages are added."""
    course = question.course
    require(actor, "training.course.edit", course)
    language = stored_language(language)
    if not prompt.strip():
        raise ValidationError({"prompt": _("Write the question.")})
    choices = list(question.choices.order_by("position", "id"))
    labels = [label.strip() for label in choice_labels if label.strip()]
    if len(labels) != len(choices):
        raise ValidationError(
            {
                "choices": _("Give one line for each of the %(count)d choices, in the same order.")
                % {"count": len(choices)}
            }
        )
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if language in question.prompts and Answer.objects.filter(question=question).exists():
            raise ValidationError(answered_message())
        question.prompts = {**question.prompts, language: prompt.strip()}
        if explanation.strip():
            question.explanations = {**question.explanations, language: explanation.strip()}
        question.version += 1
        question.save(update_fields=["prompts", "explanations", "version", "updated_at"])
        for choice, label in zip(choices, labels, strict=True):
            choice.labels = {**choice.labels, language: label}
            choice.save(update_fields=["labels"])
        _touch(course)
        record(events.UPDATED, actor=actor, target=question, data={"translation": language})
        return question
