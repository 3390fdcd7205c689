"""Template helpers for training pages."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or None (for per-learner state keyed by id)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def contains(collection: Any, item: Any) -> bool:
    try:
        return item in collection
    except TypeError:
        return False
