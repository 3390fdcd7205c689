"""Template context shared by every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import items_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(user) if user is not None else [],
        "is_demo": settings.RIGHTPATH_DEMO,
    }
