"""The demo training: the starter curriculum in four languages, idempotent seeding."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from rightpath.knowledge.taxonomy import Pillar
from rightpath.training.demo import COURSE_CODE
from rightpath.training.demo.curriculum import MODULES
from rightpath.training.models import (
    Certificate,
    Course,
    LessonTranslation,
    Quiz,
    TrainerCertification,
    TrainingSession,
)
from rightpath.training.selectors import cascade, course_outline

LANGUAGES = {"en", "sq", "bs", "mk"}


def test_the_curriculum_covers_every_pillar_and_women_minors_and_returnee_families() -> None:
    assert {m["pillar"] for m in MODULES} == set(Pillar.values)
    assert any(m["title"]["en"] == "Women, minors and returnee families" for m in MODULES)
    for m in MODULES:
        assert set(m["title"]) == LANGUAGES and len(m["lessons"]) >= 2 and len(m["questions"]) >= 3
        for lesson in m["lessons"]:
            assert set(lesson["title"]) == LANGUAGES and set(lesson["body"]) == LANGUAGES
            assert all(len(body) > 300 for body in lesson["body"].values())
        for q in m["questions"]:
            assert set(q["prompt"]) == LANGUAGES
            assert any(ok for _labels, ok in q["choices"])


@pytest.mark.django_db
def test_seeding_twice_builds_the_training_once(settings: Any) -> None:
    settings.RIGHTPATH_DEMO = True
    call_command("seed_demo", stdout=io.StringIO())
    course = Course.objects.get(code=COURSE_CODE)
    counts = (
        Course.objects.count(),
        LessonTranslation.objects.count(),
        Quiz.objects.count(),
        TrainingSession.objects.count(),
    )
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "already there" in out.getvalue()
    assert counts == (
        Course.objects.count(),
        LessonTranslation.objects.count(),
        Quiz.objects.count(),
        TrainingSession.objects.count(),
    )
    assert counts[1] == 4 * sum(len(m["lessons"]) for m in MODULES)
    assert counts[2] == len(MODULES) + 2
    for lang in LANGUAGES:
        outline = course_outline(course, lang)
        assert outline["language"] == lang and len(outline["modules"]) == len(MODULES)
    assert Certificate.objects.count() == 1
    assert TrainerCertification.objects.filter(person__username="socialwork.practitioner").exists()
    trainers = {t["person"]["name"]: t for t in cascade(actor=None)["trainers"]}
    assert any(t["reached"] == 2 for t in trainers.values())
