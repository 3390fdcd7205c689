"""Course staff edit a course's structure through the pages: module and lesson texts in each
interface language (with optimistic locking), the order of modules and lessons, deleting content
nobody has progress on, and the question bank before and after it has been answered."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rightpath.audit.models import AuditEntry
from rightpath.training.models import Choice, Lesson, LessonTranslation, Module, Question, Quiz
from rightpath.training.selectors import course_outline
from rightpath.training.services import courses as cs
from rightpath.training.services import learning as ls

from .conftest import CourseKit, build_course
from .helpers import take

pytestmark = pytest.mark.django_db


def _modules(kit: CourseKit) -> list[Module]:
    return list(kit.course.modules.order_by("position", "id"))


@pytest.fixture
def outsider(make_user: Any, other_org: Any) -> Any:
    """A trainer of another organisation."""
    return make_user("trainer", organisation=other_org, username="outsider")


# --- who may edit ----------------------------------------------------------------------------------


def _edit_requests(kit: CourseKit) -> list[tuple[str, dict[str, Any]]]:
    module = _modules(kit)[0]
    lesson = kit.lessons[0]
    question = kit.questions[0]
    return [
        (reverse("training:module_edit", args=[module.code]), {"language": "en", "title": "Hacked", "version": 1}),
        (reverse("training:module_move", args=[module.code]), {"direction": "down"}),
        (reverse("training:module_delete", args=[module.code]), {}),
        (reverse("training:lesson_move", args=[lesson.code]), {"direction": "down"}),
        (reverse("training:lesson_delete", args=[lesson.code]), {}),
        (
            reverse("training:lesson_edit", args=[lesson.code]),
            {"language": "en", "title": "Hacked", "status": "original"},
        ),
        (
            reverse("training:question_edit", args=[question.code]),
            {"language": "en", "prompt": "Hacked", "choices": "*a\nb", "points": 1},
        ),
        (
            reverse("training:question_translate", args=[question.code]),
            {"language": "sq", "prompt": "Hacked", "choices": "a\nb"},
        ),
        (
            reverse("training:course_translate", args=[kit.course.code]),
            {"language": "sq", "title": "Hacked", "status": "translated"},
        ),
    ]


@pytest.mark.parametrize("who", ["learner", "outsider"])
def test_learners_and_trainers_of_other_organisations_cannot_edit_the_structure(
    who: str, kit: CourseKit, learner: Any, outsider: Any, client_for: Any
) -> None:
    client = client_for(learner if who == "learner" else outsider)
    before = (
        [(m.pk, m.position, m.titles) for m in _modules(kit)],
        list(Lesson.objects.order_by("pk").values_list("pk", "position")),
        list(LessonTranslation.objects.values_list("title", flat=True)),
        list(Question.objects.values_list("prompts", flat=True)),
        kit.course.translations.count(),
    )
    for url, data in _edit_requests(kit):
        assert client.get(url).status_code in (403, 404, 405), url
        assert client.post(url, data).status_code in (403, 404), url
    after = (
        [(m.pk, m.position, m.titles) for m in _modules(kit)],
        list(Lesson.objects.order_by("pk").values_list("pk", "position")),
        list(LessonTranslation.objects.values_list("title", flat=True)),
        list(Question.objects.values_list("prompts", flat=True)),
        kit.course.translations.count(),
    )
    assert after == before
    assert AuditEntry.objects.filter(event="access.denied").exists()


def test_the_services_refuse_people_who_are_not_course_staff(kit: CourseKit, learner: Any, outsider: Any) -> None:
    from django.core.exceptions import PermissionDenied

    module = _modules(kit)[0]
    for person in (learner, outsider):
        with pytest.raises(PermissionDenied):
            cs.module_move(module, actor=person, direction="down")
        with pytest.raises(PermissionDenied):
            cs.lesson_delete(kit.lessons[0], actor=person)
    assert Lesson.objects.count() == len(kit.lessons)


# --- module and lesson texts -------------------------------------------------------------------------


def test_course_staff_rename_a_module_in_one_language_and_keep_the_others(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    module = _modules(kit)[0]
    cs.module_save(kit.course, actor=trainer, titles={"sq": "Moduli 1"}, module=module)
    module.refresh_from_db()
    client = client_for(trainer)
    page = client.get(reverse("training:module_edit", args=[module.code]), {"language": "sq"})
    assert page.status_code == 200 and 'value="Moduli 1"' in page.text
    assert "Written in: en, sq." in page.text
    response = client.post(
        reverse("training:module_edit", args=[module.code]),
        {"language": "en", "title": "Intake and first steps", "pillar": "prison", "version": module.version},
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.titles == {"en": "Intake and first steps", "sq": "Moduli 1"} and module.pillar == "prison"
    assert course_outline(kit.course, "en")["modules"][0]["title"] == "Intake and first steps"
    assert AuditEntry.objects.filter(event="data.updated", target_id=str(module.code)).exists()


def test_a_stale_module_edit_shows_the_other_change_and_saves_nothing(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    module = _modules(kit)[0]
    stale = module.version
    cs.module_update(module, actor=trainer, expected_version=stale, language="en", title="Saved first")
    response = client_for(trainer).post(
        reverse("training:module_edit", args=[module.code]),
        {"language": "en", "title": "Saved second", "pillar": "", "version": stale},
    )
    assert response.status_code == 400
    assert "Someone else saved this while you were editing it." in response.text
    assert "Saved first" in response.text
    module.refresh_from_db()
    assert module.titles["en"] == "Saved first"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "de", "title": "Titel"}, "Select a valid choice."),
        ({"language": "en", "title": ""}, "This field is required."),
    ],
)
def test_bad_module_input_gets_a_clear_message_and_changes_nothing(
    data: dict[str, str], message: str, kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    module = _modules(kit)[0]
    response = client_for(trainer).post(
        reverse("training:module_edit", args=[module.code]), {**data, "version": module.version}
    )
    assert response.status_code == 400 and message in response.text
    module.refresh_from_db()
    assert module.titles == {"en": "Module 1"}


def test_the_module_service_refuses_an_empty_title_and_a_language_outside_the_interface(
    kit: CourseKit, trainer: Any
) -> None:
    module = _modules(kit)[0]
    with pytest.raises(ValidationError, match="Give the module a title"):
        cs.module_update(module, actor=trainer, expected_version=module.version, language="en", title=" ")
    with pytest.raises(ValidationError, match="Choose one of the course languages"):
        cs.module_update(module, actor=trainer, expected_version=module.version, language="de", title="Titel")


def test_a_lesson_is_written_in_another_language_through_its_edit_page(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    lesson = kit.lessons[0]
    client = client_for(trainer)
    page = client.get(reverse("training:lesson_edit", args=[lesson.code]), {"language": "mk"})
    assert page.status_code == 200 and "Written in: en." in page.text
    assert page.text.count('<option value="') >= 7 + 4  # the seven interface languages, then the statuses
    response = client.post(
        reverse("training:lesson_edit", args=[lesson.code]),
        {"language": "mk", "title": "Лекција", "body": "Текст", "status": "translated", "version": lesson.version},
    )
    assert response.status_code == 302
    assert set(lesson.translations.values_list("language", flat=True)) == {"en", "mk"}
    manage = client.get(reverse("training:course_manage", args=[kit.course.code]))
    assert "<td>en, mk</td>" in manage.text


def test_serbian_latin_text_is_stored_once_as_serbian(kit: CourseKit, trainer: Any, client_for: Any) -> None:
    response = client_for(trainer).post(
        reverse("training:course_translate", args=[kit.course.code]),
        {"language": "sr-latn", "title": "Procena rizika", "summary": "", "status": "translated"},
    )
    assert response.status_code == 302
    assert kit.course.translations.get(language="sr").title == "Procena rizika"
    assert course_outline(kit.course, "sr-latn")["title"] == "Procena rizika"


def test_the_course_text_page_fills_in_the_chosen_language_and_lists_the_languages(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    cs.course_translation_save(kit.course, actor=trainer, language="sq", title="Vlerësimi i rrezikut", summary="")
    page = client_for(trainer).get(reverse("training:course_translate", args=[kit.course.code]), {"language": "sq"})
    assert 'value="Vlerësimi i rrezikut"' in page.text
    assert "Written in: en, sq." in page.text
    assert '<label for="edit-language">' in page.text


def test_a_stale_lesson_edit_shows_the_other_change_and_saves_nothing(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    lesson = kit.lessons[0]
    stale = lesson.version
    cs.lesson_save(
        lesson.module, actor=trainer, lesson=lesson, expected_version=stale, language="en", title="First", body="A"
    )
    response = client_for(trainer).post(
        reverse("training:lesson_edit", args=[lesson.code]),
        {"language": "en", "title": "Second", "body": "B", "status": "original", "version": stale},
    )
    assert response.status_code == 400
    assert "Someone else saved this lesson while you were editing it." in response.text
    assert "First" in response.text
    assert lesson.translations.get(language="en").title == "First"


# --- order ----------------------------------------------------------------------------------------


def test_modules_and_lessons_move_up_and_down(kit: CourseKit, trainer: Any, client_for: Any) -> None:
    client = client_for(trainer)
    first, second = _modules(kit)
    response = client.post(reverse("training:module_move", args=[second.code]), {"direction": "up"}, follow=True)
    assert "Order saved." in response.text
    assert [m.pk for m in _modules(kit)] == [second.pk, first.pk]
    lessons = list(first.lessons.order_by("position"))
    client.post(reverse("training:lesson_move", args=[lessons[0].code]), {"direction": "down"})
    assert list(first.lessons.order_by("position").values_list("pk", flat=True)) == [lessons[1].pk, lessons[0].pk]
    outline = course_outline(kit.course, "en")
    assert [m["title"] for m in outline["modules"]] == ["Module 2", "Module 1"]
    assert [item["title"] for item in outline["modules"][1]["lessons"]] == ["Lesson 1.2", "Lesson 1.1"]


def test_moving_past_the_end_or_in_no_direction_changes_nothing(kit: CourseKit, trainer: Any, client_for: Any) -> None:
    client = client_for(trainer)
    first, second = _modules(kit)
    edge = client.post(reverse("training:module_move", args=[first.code]), {"direction": "up"}, follow=True)
    assert "It is already at that end of the list." in edge.text
    bad = client.post(reverse("training:module_move", args=[first.code]), {"direction": "sideways"}, follow=True)
    assert "Choose to move the item up or down." in bad.text
    assert [m.pk for m in _modules(kit)] == [first.pk, second.pk]


def test_the_manage_page_offers_move_buttons_only_where_they_apply(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    page = client_for(trainer).get(reverse("training:course_manage", args=[kit.course.code]))
    assert "Move Module 1 down" in page.text and "Move Module 1 up" not in page.text
    assert "Move Module 2 up" in page.text and "Move Module 2 down" not in page.text
    assert "<caption>Lessons of Module 1</caption>" in page.text


# --- deleting ------------------------------------------------------------------------------------


def test_a_lesson_nobody_has_done_is_deleted_after_confirmation(kit: CourseKit, trainer: Any, client_for: Any) -> None:
    client = client_for(trainer)
    lesson = kit.lessons[0]
    confirm = client.get(reverse("training:lesson_delete", args=[lesson.code]))
    assert confirm.status_code == 200 and "Delete the lesson Lesson 1.1" in confirm.text
    assert Lesson.objects.filter(pk=lesson.pk).exists()
    assert client.post(reverse("training:lesson_delete", args=[lesson.code])).status_code == 302
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    assert list(lesson.module.lessons.values_list("position", flat=True)) == [1]
    assert AuditEntry.objects.filter(event="data.deleted", data__lesson=str(lesson.code)).exists()


def test_a_lesson_a_learner_has_done_cannot_be_deleted(
    kit: CourseKit, trainer: Any, learner: Any, client_for: Any
) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    take(kit, kit.pre, learner)
    lesson = kit.lessons[0]
    ls.lesson_complete(lesson, actor=learner)
    client = client_for(trainer)
    confirm = client.get(reverse("training:lesson_delete", args=[lesson.code]))
    assert "Learners have completed this lesson, so it cannot be deleted" in confirm.text
    assert "Delete</button>" not in confirm.text
    response = client.post(reverse("training:lesson_delete", args=[lesson.code]))
    assert response.status_code == 400
    assert Lesson.objects.filter(pk=lesson.pk).exists()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        cs.lesson_delete(lesson, actor=trainer)


def test_a_module_whose_quiz_was_taken_cannot_be_deleted(
    kit: CourseKit, trainer: Any, learner: Any, client_for: Any
) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    take(kit, kit.pre, learner)
    take(kit, kit.module_quiz, learner)
    module = kit.module_quiz.module
    response = client_for(trainer).post(reverse("training:module_delete", args=[module.code]))
    assert response.status_code == 400
    assert "Learners have taken this module&#x27;s quiz" in response.text
    assert Module.objects.filter(pk=module.pk).exists() and Quiz.objects.filter(pk=kit.module_quiz.pk).exists()


def test_a_module_without_progress_is_deleted_and_its_questions_stay_in_the_bank(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    module = kit.module_quiz.module
    questions = Question.objects.count()
    assert client_for(trainer).post(reverse("training:module_delete", args=[module.code])).status_code == 302
    assert not Module.objects.filter(pk=module.pk).exists()
    assert not Quiz.objects.filter(pk=kit.module_quiz.pk).exists()
    assert Question.objects.count() == questions
    assert list(kit.course.modules.values_list("position", flat=True)) == [1]


# --- question bank -------------------------------------------------------------------------------


def test_a_question_nobody_has_answered_is_edited_with_its_choices(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    question = kit.questions[0]
    client = client_for(trainer)
    page = client.get(reverse("training:question_edit", args=[question.code]))
    assert "*Structured professional judgement" in page.text
    response = client.post(
        reverse("training:question_edit", args=[question.code]),
        {
            "language": "en",
            "prompt": "Which method do most DRR tools use?",
            "choices": "Automatic scoring\n*Structured professional judgement\nActuarial tables only",
            "points": 2,
            "version": question.version,
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompts["en"] == "Which method do most DRR tools use?" and question.points == 2
    choices = list(question.choices.order_by("position"))
    assert [c.labels["en"] for c in choices] == [
        "Automatic scoring",
        "Structured professional judgement",
        "Actuarial tables only",
    ]
    assert [c.is_correct for c in choices] == [False, True, False]


def test_a_question_edit_without_a_right_answer_is_refused_and_changes_nothing(
    kit: CourseKit, trainer: Any, client_for: Any
) -> None:
    question = kit.questions[0]
    before = list(Choice.objects.filter(question=question).values_list("labels", "is_correct"))
    response = client_for(trainer).post(
        reverse("training:question_edit", args=[question.code]),
        {"language": "en", "prompt": "Changed?", "choices": "a\nb", "points": 1, "version": question.version},
    )
    assert response.status_code == 400 and "Mark exactly one choice as the right answer." in response.text
    question.refresh_from_db()
    assert question.prompts["en"] == "Which method do DRR tools use?"
    assert list(Choice.objects.filter(question=question).values_list("labels", "is_correct")) == before


def test_an_answered_question_cannot_be_edited_and_a_new_one_is_suggested(
    kit: CourseKit, trainer: Any, learner: Any, client_for: Any
) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    take(kit, kit.pre, learner)
    question = kit.questions[0]
    client = client_for(trainer)
    page = client.get(reverse("training:question_edit", args=[question.code]))
    assert "Learners have already answered this question" in page.text
    assert "Add a new question to the bank" in page.text and 'name="prompt"' not in page.text
    response = client.post(
        reverse("training:question_edit", args=[question.code]),
        {"language": "en", "prompt": "Rewritten", "choices": "*a\nb", "points": 1, "version": question.version},
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.prompts["en"] == "Which method do DRR tools use?"
    with pytest.raises(ValidationError, match="already answered"):
        cs.question_update(
            question,
            actor=trainer,
            expected_version=question.version,
            language="en",
            prompt="Rewritten",
            choices=[("a", True), ("b", False)],
        )
    manage = client.get(reverse("training:course_manage", args=[kit.course.code]))
    assert "Answered: locked" in manage.text


def test_a_question_gets_its_text_in_another_language_even_after_it_was_answered(
    kit: CourseKit, trainer: Any, learner: Any, client_for: Any
) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    take(kit, kit.pre, learner)
    question = kit.questions[2]
    client = client_for(trainer)
    url = reverse("training:question_translate", args=[question.code])
    bad = client.post(url, {"language": "bs", "prompt": "Ponovna procjena je potrebna.", "choices": "Tačno"})
    assert bad.status_code == 400 and "Give one line for each of the 2 choices, in the same order." in bad.text
    assert "bs" not in Question.objects.get(pk=question.pk).prompts
    ok = client.post(url, {"language": "bs", "prompt": "Ponovna procjena je potrebna.", "choices": "Tačno\nNetačno"})
    assert ok.status_code == 302
    question.refresh_from_db()
    assert question.prompts["bs"] == "Ponovna procjena je potrebna."
    assert [c.labels["bs"] for c in question.choices.order_by("position")] == ["Tačno", "Netačno"]
    again = client.post(url, {"language": "en", "prompt": "Changed", "choices": "True\nFalse"})
    assert again.status_code == 400 and "already answered" in again.text
    question.refresh_from_db()
    assert question.prompts["en"] == "Reassessment is needed over time."


def test_the_manage_page_lists_the_languages_of_each_question(kit: CourseKit, trainer: Any, client_for: Any) -> None:
    cs.question_translation_save(
        kit.questions[2], actor=trainer, language="mk", prompt="Повторна проценка.", choice_labels=["Точно", "Неточно"]
    )
    page = client_for(trainer).get(reverse("training:course_manage", args=[kit.course.code]))
    assert "<td>en, mk</td>" in page.text
    assert "<caption>Questions of this course</caption>" in page.text


@pytest.mark.parametrize("size", [1, 4])
def test_the_manage_page_queries_do_not_grow_with_the_course(
    size: int, trainer: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    kit = build_course(trainer, lessons_per_module=size)
    client = client_for(trainer)
    client.get(reverse("training:course_manage", args=[kit.course.code]))  # warm the outline cache
    with django_assert_num_queries(MANAGE_PAGE):
        assert client.get(reverse("training:course_manage", args=[kit.course.code])).status_code == 200


# Session, user, second factor and roles (4), the course, its languages, lessons with their texts
# (2), modules, questions with their answered flag, the grading count: the outline comes from the cache.
MANAGE_PAGE = 11
