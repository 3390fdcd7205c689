"""Case work views, one module per area; each module owns its ``urlpatterns``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from rightpath.cases.models import Case
from rightpath.cases.policy import SectionRef


def load_case(request: HttpRequest, code: Any, **kwargs: Any) -> Case:
    """The case behind the URL's ``code`` (404 when unknown); the policy then decides."""
    return get_object_or_404(Case.objects.select_related("lead_organisation", "receiving_organisation"), code=code)


def section_loader(section: str) -> Callable[..., SectionRef]:
    """A ``@guard`` loader asking about one section of the case named in the URL."""

    def load(request: HttpRequest, code: Any, **kwargs: Any) -> SectionRef:
        return SectionRef(load_case(request, code), section)

    return load
