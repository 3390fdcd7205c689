"""The course page's outline as HTML: rendered once per course structure version and language and
cached (it is the same for every learner), then filled with one learner's state: which lessons they
have done and, per quiz, their score and the button to start or continue it.

Rendering 50 lessons and a dozen quizzes through the template engine on every request was most of
the course page's time; filling comment markers in the cached HTML is a single regular-expression
pass.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Course
from .selectors import OUTLINE_TTL, Progress, outline_key
from .vocab import QuizKind

_MARKER = re.compile(r"<!--(lesson|quiz):(\d+)-->")


def outline_html(course: Course, outline: dict[str, Any], language: str) -> str:
    """The cached, learner-independent HTML of the outline (with markers for each learner's state)."""
    key = outline_key(course, language) + ":html"
    html = cache.get(key)
    if html is None:
        html = render_to_string("training/_outline.html", {"outline": outline, "course": course})
        cache.set(key, html, OUTLINE_TTL)
    return html


def _quiz_line(quiz: dict[str, Any], state: dict[str, Any] | None, enrolled: bool, csrf: str) -> str:
    kind = quiz["kind"]
    label = {QuizKind.PRE_TEST: _("Pre-test"), QuizKind.POST_TEST: _("Post-test")}.get(kind, _("Module quiz"))
    parts = [
        format_html('<strong>{}</strong> <span class="badge">{}</span> ', quiz["title"], label),
        ngettext("%(count)d question", "%(count)d questions", quiz["questions"]) % {"count": quiz["questions"]},
    ]
    if kind != QuizKind.PRE_TEST:
        parts.append(", " + _("pass mark %(mark)s%%") % {"mark": quiz["pass_mark"]})
    state = state or {}
    if state.get("passed") and kind != QuizKind.PRE_TEST:
        parts.append(format_html(' <span class="badge">{}</span>', _("Passed")))
    if state.get("best") is not None:
        parts.append(" " + _("Your score: %(score)s%%") % {"score": state["best"]})
    if state.get("awaiting"):
        parts.append(" " + _("Waiting for a trainer to grade your answers."))
    if enrolled:
        if state.get("open"):
            parts.append(
                format_html(
                    ' <a class="button button--small" href="{}">{}</a>',
                    reverse("training:attempt", args=[state["open"]]),
                    _("Continue %(title)s") % {"title": quiz["title"]},
                )
            )
        elif (kind == QuizKind.PRE_TEST and not state) or (
            kind != QuizKind.PRE_TEST and not state.get("passed") and not state.get("awaiting")
        ):
            parts.append(
                format_html(
                    '<form class="inline-form" method="post" action="{}"><input type="hidden"'
                    ' name="csrfmiddlewaretoken" value="{}"><button type="submit" class="button button--small">{}</button></form>',
                    reverse("training:quiz_start", args=[quiz["code"]]),
                    csrf,
                    _("Start %(title)s") % {"title": quiz["title"]},
                )
            )
    return format_html("<li>{}</li>", mark_safe("".join(str(p) for p in parts)))  # noqa: S308 (each part is escaped)


def fill(html: str, outline: dict[str, Any], progress: Progress, request: HttpRequest) -> SafeString:
    """The outline with ``progress`` (one learner's state) put in place of the markers."""
    enrolled = progress.enrolment is not None
    done = format_html(' <span class="badge">{}</span>', _("Done"))
    quizzes = {q["id"]: q for m in outline["modules"] for q in m["quizzes"]}
    for q in (outline["pre_test"], outline["post_test"]):
        if q:
            quizzes[q["id"]] = q
    csrf = get_token(request) if enrolled else ""

    def replace(match: re.Match[str]) -> str:
        ident = int(match.group(2))
        if match.group(1) == "lesson":
            return done if ident in progress.done_lessons else ""
        quiz = quizzes.get(ident)
        return _quiz_line(quiz, progress.quizzes.get(ident), enrolled, csrf) if quiz else ""

    return mark_safe(_MARKER.sub(replace, html))  # noqa: S308 (cached template output and escaped parts)
