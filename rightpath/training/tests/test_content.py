"""Course content: lesson text rendered to safe HTML, images and materials checked on upload and
served through a guarded view, translations with a fallback, the outline cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rightpath.training import richtext
from rightpath.training.selectors import course_outline
from rightpath.training.services import courses as cs

from .conftest import CourseKit, build_course

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_lesson_text_cannot_carry_markup_or_scripts() -> None:
    html = richtext.render("<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_lesson_text_supports_headings_lists_emphasis_and_safe_links() -> None:
    html = richtext.render(
        "## Aims\n- one\n- **two**\n\n1. first\n2. *second*\n\n> quoted\n\nSee [RAN](https://example.org/ran)."
    )
    assert "<h2>Aims</h2>" in html
    assert "<ul><li>one</li><li><strong>two</strong></li></ul>" in html
    assert "<ol><li>first</li><li><em>second</em></li></ol>" in html
    assert "<blockquote><p>quoted</p></blockquote>" in html
    assert '<a href="https://example.org/ran">RAN</a>' in html


@pytest.mark.django_db
def test_an_uploaded_image_appears_in_the_lesson_through_the_guarded_view(
    kit: CourseKit,
    trainer: Any,
    learner: Any,
    make_user: Any,
    other_org: Any,
    client_for: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    lesson = kit.lessons[0]
    item = cs.lesson_file_add(lesson, actor=trainer, upload=SimpleUploadedFile("map.png", PNG), kind="image")
    cs.lesson_save(
        lesson.module,
        actor=trainer,
        lesson=lesson,
        language="en",
        title="Lesson",
        body=f"![Referral map](image:{item.code})",
    )
    page = client_for(learner).get(reverse("training:lesson_detail", args=[lesson.code]))
    assert f'<img src="/training/files/{item.code}/" alt="Referral map">' in page.text
    image = client_for(learner).get(reverse("training:file", args=[item.code]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == PNG
    assert str(tmp_path) not in page.text


@pytest.mark.django_db
def test_files_of_a_course_not_published_to_you_are_not_found(
    trainer: Any, org: Any, make_user: Any, other_org: Any, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    kit = build_course(trainer, audience="organisations", organisations=[org])
    item = cs.lesson_file_add(
        kit.lessons[0], actor=trainer, upload=SimpleUploadedFile("notes.txt", b"Notes"), kind="material"
    )
    outsider = make_user(organisation=other_org)
    assert client_for(outsider).get(reverse("training:file", args=[item.code])).status_code == 404


@pytest.mark.django_db
def test_a_bad_upload_gets_a_clear_message(
    kit: CourseKit, trainer: Any, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    lesson = kit.lessons[0]
    with pytest.raises(ValidationError, match="not accepted here"):
        cs.lesson_file_add(
            lesson, actor=trainer, upload=SimpleUploadedFile("x.png", b"MZ\x90\x00binary\x00"), kind="image"
        )
    response = client_for(trainer).post(
        reverse("training:lesson_upload", args=[lesson.code]),
        {"kind": "image", "file": SimpleUploadedFile("notes.png", b"plain text, not an image")},
    )
    assert response.status_code == 400
    assert "This file type is not accepted here. Accepted types: PNG, JPEG." in response.text
    settings.TRAINING_FILE_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        cs.lesson_file_add(lesson, actor=trainer, upload=SimpleUploadedFile("a.txt", b"x" * 11), kind="material")


@pytest.mark.django_db
def test_the_outline_falls_back_to_the_original_language_and_follows_changes(kit: CourseKit, trainer: Any) -> None:
    cs.course_translation_save(kit.course, actor=trainer, language="sq", title="Vlerësimi i rrezikut", summary="")
    assert course_outline(kit.course, "sq")["title"] == "Vlerësimi i rrezikut"
    assert course_outline(kit.course, "mk")["title"] == "Risk assessment in practice"
    before = course_outline(kit.course, "en")["lesson_count"]
    cs.lesson_save(kit.course.modules.first(), actor=trainer, language="en", title="Extra", body="")
    kit.course.refresh_from_db()
    assert course_outline(kit.course, "en")["lesson_count"] == before + 1


@pytest.mark.django_db
def test_a_question_needs_its_right_answer_marked(kit: CourseKit, trainer: Any) -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        cs.question_create(
            kit.course,
            actor=trainer,
            type="single",
            prompts={"en": "?"},
            choices=[({"en": "a"}, False), ({"en": "b"}, False)],
        )
    other = build_course(trainer)
    with pytest.raises(ValidationError, match="question bank"):
        cs.quiz_save(kit.course, actor=trainer, kind="module", titles={"en": "Q"}, questions=other.questions)


@pytest.mark.django_db
def test_a_trainer_builds_a_course_through_the_pages(trainer: Any, client_for: Any) -> None:
    client = client_for(trainer)
    response = client.post(
        reverse("training:course_create"),
        {
            "title": "Prison-based DRR",
            "summary": "",
            "original_language": "en",
            "status": "draft",
            "audience": "platform",
        },
    )
    assert response.status_code == 302
    from rightpath.training.models import Course

    course = Course.objects.get()
    client.post(
        reverse("training:module_create", args=[course.code]), {"language": "en", "title": "Intake", "pillar": "prison"}
    )
    module = course.modules.get()
    client.post(
        reverse("training:lesson_create", args=[module.code]),
        {"language": "en", "title": "Day one", "body": "Hello", "status": "original"},
    )
    bad = client.post(
        reverse("training:question_create", args=[course.code]),
        {"language": "en", "type": "single", "prompt": "Q?", "choices": "a\nb", "points": 1},
    )
    assert "Mark exactly one choice as the right answer." in bad.text
    client.post(
        reverse("training:question_create", args=[course.code]),
        {"language": "en", "type": "single", "prompt": "Q?", "choices": "*a\nb", "points": 1},
    )
    q = course.questions.get()
    client.post(
        reverse("training:quiz_create", args=[course.code]),
        {
            "kind": "post_test",
            "language": "en",
            "title": "Final",
            "questions": [str(q.code)],
            "pass_mark": 60,
            "max_attempts": 2,
        },
    )
    outline = course_outline(Course.objects.get(), "en")
    assert outline["post_test"]["title"] == "Final" and outline["lesson_count"] == 1


@pytest.mark.django_db
def test_concurrent_course_edits_are_detected(kit: CourseKit, trainer: Any, client_for: Any) -> None:
    client = client_for(trainer)
    data = {
        "title": "New title",
        "summary": "",
        "original_language": "en",
        "status": "published",
        "audience": "platform",
        "version": kit.course.version,
    }
    assert client.post(reverse("training:course_edit", args=[kit.course.code]), data).status_code == 302
    stale = client.post(reverse("training:course_edit", args=[kit.course.code]), {**data, "title": "Other"})
    assert "Someone else saved this course" in stale.text
