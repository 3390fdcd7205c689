"""Dates are written the way the reader's language writes them; English day first, as in the region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template('{{ day|date:"SHORT_DATE_FORMAT" }} · {{ moment|date:"SHORT_DATETIME_FORMAT" }}')


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "25/11/2026 · 25/11/2026 14:05"), ("hr", "25.11.2026. · 25.11.2026. 14:05")],
)
def test_short_dates_follow_the_readers_language(language: str, expected: str) -> None:
    context = Context({"day": dt.date(2026, 11, 25), "moment": dt.datetime(2026, 11, 25, 14, 5)})
    with translation.override(language):
        assert TEMPLATE.render(context) == expected
