"""Reads for training, already narrowed by the policy. Query counts do not grow with the number of
learners: pages read aggregates or one row set per table, never a query per learner.

The course outline (modules, lessons, quizzes with their titles in one language) is the same for
every learner, so it is cached per course, structure version and language; each learner's progress
is then two small queries on top.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rightpath.access.policy import visible
from rightpath.accounts.models import User
from rightpath.knowledge.content import fallback_chain, in_script, pick, storage_language

from .models import (
    Answer,
    Attempt,
    Certificate,
    Choice,
    Course,
    CourseTranslation,
    Enrolment,
    Feedback,
    Lesson,
    LessonCompletion,
    LessonFile,
    Module,
    Question,
    Quiz,
    Signup,
    TrainerCertification,
    TrainingSession,
)
from .vocab import AttemptStatus, EnrolmentStatus, FileKind, QuizKind, SignupStatus

OUTLINE_TTL = 3600


def text_in(texts: dict[str, str], language: str, original: str = "en") -> str:
    """The text of a JSON language map in ``language`` (fallback chain, Serbian in the reader's script)."""
    for code in fallback_chain(language, original):
        if texts.get(code):
            return in_script(texts[code], language)
    return next(iter(texts.values()), "")


def _course_texts(course: Course, language: str) -> tuple[str, str]:
    tr = pick(course.translations.all(), language, course.original_language)
    if tr is None:
        return "", ""
    return in_script(tr.title, language), in_script(tr.summary, language)


# --- courses -----------------------------------------------------------------------------------------


def course_list(*, actor: User, language: str) -> list[dict[str, Any]]:
    """Courses the actor may see, with their title in ``language`` and whether the actor is enrolled."""
    qs = visible(actor, "training.course.view", Course.objects.all()).prefetch_related("translations")
    mine = set(Enrolment.objects.filter(learner=actor).values_list("course_id", flat=True))
    out = []
    for course in qs.order_by("-created_at"):
        title, summary = _course_texts(course, language)
        out.append({"course": course, "title": title, "summary": summary, "enrolled": course.pk in mine})
    return out


def course_get(*, code: Any) -> Course:
    """The course named by ``code`` (404 when unknown); the view's guard asks the policy about it."""
    try:
        return Course.objects.select_related("owner_organisation").get(code=code)
    except (Course.DoesNotExist, ValueError):
        raise Http404 from None


def outline_key(course: Course, language: str) -> str:
    return f"training:outline:{course.code}:{course.structure_version}:{language}"


def course_outline(course: Course, language: str) -> dict[str, Any]:
    """The course's structure in ``language``, shared by every learner (cached per structure version)."""
    key = outline_key(course, language)
    outline = cache.get(key)
    if outline is not None:
        return outline
    original = course.original_language
    translations = list(CourseTranslation.objects.filter(course=course))
    tr = pick(translations, language, original)
    lessons_by_module: dict[int, list[dict[str, Any]]] = defaultdict(list)
    lesson_qs = (
        Lesson.objects.filter(module__course=course)
        .prefetch_related("translations")
        .order_by("module__position", "position", "id")
    )
    for lesson in lesson_qs:
        ltr = pick(lesson.translations.all(), language, original)
        lessons_by_module[lesson.module_id].append(
            {"id": lesson.pk, "code": str(lesson.code), "title": in_script(ltr.title, language) if ltr else ""}
        )
    quizzes_by_module: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for quiz in Quiz.objects.filter(course=course).annotate(n=Count("items")).order_by("id"):
        quizzes_by_module[quiz.module_id].append(
            {
                "id": quiz.pk,
                "code": str(quiz.code),
                "kind": quiz.kind,
                "title": text_in(quiz.titles, language, original),
                "pass_mark": quiz.pass_mark,
                "max_attempts": quiz.max_attempts,
                "questions": quiz.n,
            }
        )
    modules = [
        {
            "id": m.pk,
            "code": str(m.code),
            "title": text_in(m.titles, language, original),
            "pillar": m.pillar,
            "lessons": lessons_by_module.get(m.pk, []),
            "quizzes": quizzes_by_module.get(m.pk, []),
        }
        for m in course.modules.order_by("position", "id")
    ]
    loose = quizzes_by_module.get(None, [])
    outline = {
        "title": in_script(tr.title, language) if tr else "",
        "summary": in_script(tr.summary, language) if tr else "",
        "language": tr.language if tr else original,
        "translation_status": tr.status if tr else "",
        "languages": sorted(t.language for t in translations),
        "modules": modules,
        "pre_test": next((q for q in loose if q["kind"] == QuizKind.PRE_TEST), None),
        "post_test": next((q for q in loose if q["kind"] == QuizKind.POST_TEST), None),
        "lesson_count": sum(len(v) for v in lessons_by_module.values()),
        "quiz_ids": [q["id"] for qs in quizzes_by_module.values() for q in qs],
    }
    cache.set(key, outline, OUTLINE_TTL)
    return outline


def course_structure(course: Course, language: str) -> dict[str, Any]:
    """What course staff edit: the modules and lessons in order, the question bank, and the languages
    each item has (four queries, whatever the size of the course)."""
    original = course.original_language
    languages = sorted(CourseTranslation.objects.filter(course=course).values_list("language", flat=True))
    lessons_by_module: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lesson in (
        Lesson.objects.filter(module__course=course)
        .prefetch_related("translations")
        .order_by("module__position", "position", "id")
    ):
        translations = list(lesson.translations.all())
        tr = pick(translations, language, original)
        lessons_by_module[lesson.module_id].append(
            {
                "lesson": lesson,
                "title": in_script(tr.title, language) if tr else "",
                "languages": sorted(t.language for t in translations),
            }
        )
    modules = []
    for m in Module.objects.filter(course=course).order_by("position", "id"):
        lessons = lessons_by_module.get(m.pk, [])
        for i, item in enumerate(lessons):
            item["first"], item["last"] = i == 0, i == len(lessons) - 1
        modules.append(
            {
                "module": m,
                "title": in_script(text_in(m.titles, language, original), language),
                "languages": sorted(m.titles),
                "lessons": lessons,
            }
        )
    for i, item in enumerate(modules):
        item["first"], item["last"] = i == 0, i == len(modules) - 1
    answered = Answer.objects.filter(question=OuterRef("pk"))
    questions = [
        {
            "question": q,
            "prompt": in_script(text_in(q.prompts, language, original), language),
            "languages": sorted(q.prompts),
            "answered": q.answered,
        }
        for q in Question.objects.filter(course=course).annotate(answered=Exists(answered)).order_by("id")
    ]
    return {"course_languages": languages, "modules": modules, "questions": questions}


@dataclass
class Progress:
    enrolment: Enrolment | None
    done_lessons: set[int] = field(default_factory=set)
    # quiz id -> {"attempts": n submitted, "best": score or None, "passed": bool, "open": attempt code, "awaiting": bool}
    quizzes: dict[int, dict[str, Any]] = field(default_factory=dict)
    percent: int = 0
    certificate: Certificate | None = None


def learner_progress(course: Course, outline: dict[str, Any], *, actor: User) -> Progress:
    """The actor's progress in ``course``: lessons done, attempts per quiz, certificate (three queries)."""
    enrolment = (
        Enrolment.objects.filter(course=course, learner=actor)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("certificate")
        .first()
    )
    course._enrolment_for = (actor.pk, enrolment)
    progress = Progress(enrolment)
    if enrolment is None:
        return progress
    progress.certificate = getattr(enrolment, "certificate", None)
    progress.done_lessons = set(
        LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    )
    for a in Attempt.objects.filter(enrolment=enrolment).order_by("number"):
        q = progress.quizzes.setdefault(
            a.quiz_id, {"attempts": 0, "best": None, "first": None, "passed": False, "open": None, "awaiting": False}
        )
        if a.status == AttemptStatus.IN_PROGRESS:
            q["open"] = str(a.code)
            continue
        q["attempts"] += 1
        if a.status == AttemptStatus.AWAITING_GRADING:
            q["awaiting"] = True
        if a.score is not None:
            q["first"] = a.score if q["first"] is None else q["first"]
            q["best"] = a.score if q["best"] is None else max(q["best"], a.score)
        q["passed"] = q["passed"] or bool(a.passed)
    steps = outline["lesson_count"] + len([i for i in outline["quiz_ids"] if not _is_pre(outline, i)])
    done = len(progress.done_lessons) + sum(
        1 for i in outline["quiz_ids"] if not _is_pre(outline, i) and progress.quizzes.get(i, {}).get("passed")
    )
    progress.percent = round(100 * done / steps) if steps else 0
    return progress


def _is_pre(outline: dict[str, Any], quiz_id: int) -> bool:
    return bool(outline["pre_test"] and outline["pre_test"]["id"] == quiz_id)


def lesson_get(*, code: Any, language: str) -> tuple[Lesson, Any, list[LessonFile]]:
    """A lesson, its text in ``language`` and its downloadable materials."""
    try:
        lesson = Lesson.objects.select_related("module__course").get(code=code)
    except (Lesson.DoesNotExist, ValueError):
        raise Http404 from None
    translations = list(lesson.translations.all())
    text = pick(translations, language, lesson.module.course.original_language)
    materials = list(lesson.files.filter(kind=FileKind.MATERIAL))
    return lesson, text, materials


def lesson_file_get(*, code: Any) -> LessonFile:
    try:
        return LessonFile.objects.select_related("lesson__module__course").get(code=code)
    except (LessonFile.DoesNotExist, ValueError):
        raise Http404 from None


# --- quizzes ----------------------------------------------------------------------------------------


def quiz_get(*, code: Any) -> Quiz:
    try:
        return Quiz.objects.select_related("course", "module").get(code=code)
    except (Quiz.DoesNotExist, ValueError):
        raise Http404 from None


def attempt_get(*, code: Any) -> Attempt:
    try:
        return Attempt.objects.select_related("quiz__course", "enrolment__learner").get(code=code)
    except (Attempt.DoesNotExist, ValueError):
        raise Http404 from None


def quiz_paper(quiz: Quiz, language: str) -> list[dict[str, Any]]:
    """The questions of ``quiz`` as a learner sees them: prompts and choice labels, never which
    choice is right (three queries)."""
    original = quiz.course.original_language
    items = quiz.items.select_related("question").prefetch_related(
        Prefetch("question__choices", queryset=Choice.objects.order_by("position", "id"))
    )
    return [
        {
            "code": str(item.question.code),
            "type": item.question.type,
            "prompt": text_in(item.question.prompts, language, original),
            "choices": [
                {"code": c.code, "label": text_in(c.labels, language, original)} for c in item.question.choices.all()
            ],
        }
        for item in items.order_by("position", "id")
    ]


def attempt_review(attempt: Attempt, language: str, *, reveal: bool) -> list[dict[str, Any]]:
    """A submitted attempt, question by question. The right answers are shown only when ``reveal``
    (never before submitting; the view reveals them once the learner passed or has no attempt left,
    and never for a pre-test, whose items may come back in the post-test)."""
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return []
    original = attempt.quiz.course.original_language
    answers = {
        a.question_id: a
        for a in attempt.answers.select_related("question").prefetch_related(
            Prefetch("question__choices", queryset=Choice.objects.order_by("position", "id")), "choices"
        )
    }
    out = []
    for item in attempt.quiz.items.order_by("position", "id"):
        a = answers.get(item.question_id)
        if a is None:
            continue
        chosen = {c.pk for c in a.choices.all()}
        out.append(
            {
                "prompt": text_in(a.question.prompts, language, original),
                "type": a.question.type,
                "text": a.text,
                "credit": a.credit,
                "feedback": a.feedback,
                "explanation": text_in(a.question.explanations, language, original)
                if reveal and a.question.explanations
                else "",
                "choices": [
                    {
                        "label": text_in(c.labels, language, original),
                        "chosen": c.pk in chosen,
                        "right": reveal and c.is_correct,
                    }
                    for c in a.question.choices.all()
                ],
            }
        )
    return out


def grading_queue(*, actor: User, course: Course) -> QuerySet:
    """Short answers of ``course`` waiting for a trainer's grade, oldest first."""
    from .models import Answer

    return (
        Answer.objects.filter(attempt__quiz__course=course, credit__isnull=True)
        .select_related("question", "attempt__enrolment__learner", "attempt__quiz")
        .order_by("attempt__submitted_at", "id")
    )


# --- learner dashboard -------------------------------------------------------------------------------


def dashboard(*, actor: User, language: str) -> dict[str, Any]:
    """The actor's enrolments with progress, certificates and coming sessions (a fixed number of queries)."""
    enrolments = list(
        Enrolment.objects.filter(learner=actor)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course", "certificate")
        .prefetch_related("course__translations")
        .annotate(done=Count("lesson_completions", distinct=True))
        .order_by("-created_at")
    )
    course_ids = [e.course_id for e in enrolments]
    lesson_totals = dict(
        Lesson.objects.filter(module__course_id__in=course_ids)
        .values_list("module__course_id")
        .annotate(n=Count("id"))
        .values_list("module__course_id", "n")
    )
    rows = []
    for e in enrolments:
        title, _summary = _course_texts(e.course, language)
        total = lesson_totals.get(e.course_id, 0)
        rows.append(
            {
                "enrolment": e,
                "course": e.course,
                "title": title,
                "lessons_done": e.done,
                "lessons_total": total,
                "percent": round(100 * e.done / total) if total else 0,
                "certificate": getattr(e, "certificate", None),
            }
        )
    signups = list(
        Signup.objects.filter(
            person=actor,
            status__in=[SignupStatus.BOOKED, SignupStatus.WAITLISTED],
            session__ends_at__gte=timezone.now(),
        )
        .select_related("session")
        .order_by("session__starts_at")
    )
    feedback_due = list(
        Signup.objects.filter(
            person=actor, status__in=[SignupStatus.ATTENDED, SignupStatus.PARTLY], feedback__isnull=True
        ).select_related("session")
    )
    return {"rows": rows, "signups": signups, "feedback_due": feedback_due}


# --- certificates -----------------------------------------------------------------------------------


def certificate_get(*, code: Any) -> Certificate:
    try:
        return Certificate.objects.select_related("enrolment__course", "enrolment__learner").get(code=code)
    except (Certificate.DoesNotExist, ValueError):
        raise Http404 from None


def certificate_by_verification_code(verification_code: str) -> Certificate | None:
    """The certificate with this public code, or None (codes are compared exactly)."""
    if not verification_code or len(verification_code) > 64:
        return None
    return Certificate.objects.filter(verification_code=verification_code).first()


# --- sessions ---------------------------------------------------------------------------------------


def session_list(*, actor: User) -> list[TrainingSession]:
    """Sessions from today on, with booked and waitlisted counts and the actor's own status."""
    sessions = list(
        TrainingSession.objects.filter(ends_at__gte=timezone.now() - timedelta(days=30))
        .select_related("organiser")
        .annotate(
            booked=Count("signups", filter=Q(signups__status=SignupStatus.BOOKED)),
            waiting=Count("signups", filter=Q(signups__status=SignupStatus.WAITLISTED)),
        )
        .order_by("starts_at")
    )
    mine = dict(Signup.objects.filter(person=actor, session__in=sessions).values_list("session_id", "status"))
    for s in sessions:
        s.my_status = mine.get(s.pk, "")
        s.my_status_label = SignupStatus(s.my_status).label if s.my_status else ""
        s.free = max(0, s.capacity - s.booked)
    return sessions


def session_get(*, code: Any) -> TrainingSession:
    try:
        session = TrainingSession.objects.select_related("organiser", "course").get(code=code)
    except (TrainingSession.DoesNotExist, ValueError):
        raise Http404 from None
    return session


def session_signups(session: TrainingSession) -> list[Signup]:
    return list(session.signups.select_related("person__organisation").order_by("signed_up_at", "id"))


def signup_get(*, code: Any) -> Signup:
    try:
        return Signup.objects.select_related("session", "person").get(code=code)
    except (Signup.DoesNotExist, ValueError):
        raise Http404 from None


# --- learning gain and reports -------------------------------------------------------------------------


def gain(pre: Decimal | float | None, post: Decimal | float | None) -> tuple[float | None, float | None]:
    """Raw gain (post − pre, in points) and normalised gain g = (post − pre) / (100 − pre)."""
    if pre is None or post is None:
        return None, None
    pre_f, post_f = float(pre), float(post)
    raw = round(post_f - pre_f, 1)
    norm = None if pre_f >= 100 else round((post_f - pre_f) / (100 - pre_f), 3)
    return raw, norm


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _group_summary(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r[key] or "—"].append(r)
    out = []
    for name, members in sorted(groups.items()):
        paired = [r for r in members if r["pre"] is not None and r["post"] is not None]
        pre = _mean([float(r["pre"]) for r in paired])
        post = _mean([float(r["post"]) for r in paired])
        raw, norm = gain(pre, post)
        out.append(
            {
                "name": name,
                "learners": len(members),
                "completed": sum(1 for r in members if r["status"] == EnrolmentStatus.COMPLETED),
                "paired": len(paired),
                "pre": pre,
                "post": post,
                "raw_gain": raw,
                "normalised_gain": norm,
                "mean_individual_gain": _mean(
                    [r["normalised_gain"] for r in paired if r["normalised_gain"] is not None]
                ),
            }
        )
    return out


def report_courses(*, actor: User, language: str) -> list[dict[str, Any]]:
    qs = visible(actor, "training.report.view", Course.objects.all()).prefetch_related("translations")
    return [{"course": c, "title": _course_texts(c, language)[0]} for c in qs.order_by("-created_at")]


def course_report(course: Course, *, actor: User, language: str) -> dict[str, Any]:
    """Completion, scores, learning gain (per learner, cohort, organisation, country) and session
    feedback for ``course``. Course staff see every learner; an organisation administrator who is not
    course staff sees their own organisation's learners. Seven queries whatever the number of learners."""
    from .policy import is_course_staff

    enrolments = Enrolment.objects.filter(course=course).exclude(status=EnrolmentStatus.WITHDRAWN)
    if not is_course_staff(actor, course):
        enrolments = enrolments.filter(learner__organisation=actor.organisation_id)
    enrolments = list(
        enrolments.select_related("learner__organisation", "certificate")
        .annotate(done=Count("lesson_completions"))
        .order_by("learner__last_name", "learner__first_name", "id")
    )
    lesson_total = Lesson.objects.filter(module__course=course).count()
    quizzes = {q.pk: q for q in Quiz.objects.filter(course=course)}
    pre_id = next((q.pk for q in quizzes.values() if q.kind == QuizKind.PRE_TEST), None)
    post_id = next((q.pk for q in quizzes.values() if q.kind == QuizKind.POST_TEST), None)
    by_enrolment: dict[int, dict[int, list[Attempt]]] = defaultdict(lambda: defaultdict(list))
    for a in (
        Attempt.objects.filter(enrolment__in=[e.pk for e in enrolments], status=AttemptStatus.GRADED)
        .only("quiz_id", "enrolment_id", "number", "score", "passed")
        .order_by("number")
    ):
        by_enrolment[a.enrolment_id][a.quiz_id].append(a)
    rows = []
    for e in enrolments:
        attempts = by_enrolment.get(e.pk, {})
        # Pre-test: the first attempt (what the learner knew before); post-test: the latest attempt.
        pre = attempts[pre_id][0].score if pre_id and attempts.get(pre_id) else None
        post = attempts[post_id][-1].score if post_id and attempts.get(post_id) else None
        raw, norm = gain(pre, post)
        scores = [a.score for qid, lst in attempts.items() if qid != pre_id for a in lst[-1:]]
        org = e.learner.organisation
        rows.append(
            {
                "enrolment": e,
                "name": e.learner.get_full_name() or e.learner.username,
                "organisation": org.name if org else "",
                "country": org.country if org else "",
                "cohort": e.cohort,
                "status": e.status,
                "progress": round(100 * e.done / lesson_total) if lesson_total else 0,
                "mean_score": _mean([float(s) for s in scores]),
                "pre": pre,
                "post": post,
                "raw_gain": raw,
                "normalised_gain": norm,
                "completed_at": e.completed_at,
                "certificate": getattr(e, "certificate", None),
            }
        )
    feedback = Feedback.objects.filter(signup__session__course=course).values_list(
        "relevance", "trainer_quality", "confidence"
    )
    fb = list(feedback)
    return {
        "course": course,
        "title": _course_texts(course, language)[0],
        "rows": rows,
        "by_cohort": _group_summary(rows, "cohort"),
        "by_organisation": _group_summary(rows, "organisation"),
        "by_country": _group_summary(rows, "country"),
        "overall": _group_summary([{**r, "all": "all"} for r in rows], "all"),
        "feedback": {
            "responses": len(fb),
            "relevance": _mean([f[0] for f in fb]),
            "trainer_quality": _mean([f[1] for f in fb]),
            "confidence": _mean([f[2] for f in fb]),
        },
        "comments": list(
            Feedback.objects.filter(signup__session__course=course)
            .exclude(comment="")
            .values_list("comment", flat=True)[:50]
        ),
    }


# --- train-the-trainer cascade ---------------------------------------------------------------------------


def cascade(*, actor: User) -> dict[str, Any]:
    """Who trained whom: a session's trainers trained every participant who attended it in full;
    trainers certified through a trainer track are marked with the course. Returns each trainer's
    sessions delivered, people trained directly, people reached through the whole cascade below
    them, and reach by country, role and organisation (four queries)."""
    edges: dict[int, set[int]] = defaultdict(set)
    people: dict[int, dict[str, Any]] = {}
    delivered: dict[int, set[int]] = defaultdict(set)
    trained_rows = Signup.objects.filter(status=SignupStatus.ATTENDED).values_list("session_id", "person_id").order_by()
    session_trainers = list(TrainingSession.trainers.through.objects.values_list("trainingsession_id", "user_id"))
    trainers_of: dict[int, list[int]] = defaultdict(list)
    for session_id, user_id in session_trainers:
        trainers_of[session_id].append(user_id)
    for session_id, person_id in trained_rows:
        for t in trainers_of.get(session_id, []):
            if t != person_id:
                edges[t].add(person_id)
                delivered[t].add(session_id)
    certified = {
        c.person_id: c
        for c in TrainerCertification.objects.filter(certificate__revoked_at__isnull=True)
        .select_related("course")
        .prefetch_related("course__translations")
    }
    ids = set(edges) | {p for ps in edges.values() for p in ps} | set(certified)
    for u in User.objects.filter(pk__in=ids).select_related("organisation").prefetch_related("role_assignments"):
        people[u.pk] = {
            "name": u.get_full_name() or u.username,
            "organisation": u.organisation.name if u.organisation else "",
            "country": u.organisation.country if u.organisation else "",
            "roles": sorted(r.role for r in u.role_assignments.all()),
        }

    def reach(root: int) -> set[int]:
        seen: set[int] = set()
        stack = list(edges.get(root, ()))
        while stack:
            p = stack.pop()
            if p in seen or p == root:
                continue
            seen.add(p)
            stack.extend(edges.get(p, ()))
        return seen

    trainers = []
    for t in sorted(set(edges) | set(certified), key=lambda i: people.get(i, {}).get("name", "")):
        reached = reach(t)
        trainers.append(
            {
                "person": people.get(t, {}),
                "certified_through": certified[t].course if t in certified else None,
                "sessions": len(delivered.get(t, ())),
                "direct": len(edges.get(t, ())),
                "reached": len(reached),
                "trained": sorted(people[p]["name"] for p in edges.get(t, ()) if p in people),
            }
        )
    trained_people = {p for ps in edges.values() for p in ps}
    by: dict[str, dict[str, int]] = {
        "country": defaultdict(int),
        "organisation": defaultdict(int),
        "role": defaultdict(int),
    }
    for p in trained_people:
        info = people.get(p)
        if not info:
            continue
        by["country"][info["country"] or "—"] += 1
        by["organisation"][info["organisation"] or "—"] += 1
        for role in info["roles"] or ["—"]:
            by["role"][role] += 1
    return {
        "trainers": trainers,
        "reached_total": len(trained_people),
        "by_country": sorted(by["country"].items()),
        "by_organisation": sorted(by["organisation"].items()),
        "by_role": sorted(by["role"].items()),
    }


def reader_language(requested: str | None, current: str) -> str:
    """The language to show course content in: ``?lang=`` when it is a course language, else the interface's."""
    from .vocab import CONTENT_LANGUAGES

    codes = {c for c, _label in CONTENT_LANGUAGES}
    if requested and storage_language(requested) in codes:
        return requested
    return current
