"""THE door for permissions. Every view and API endpoint asks here, and only here.

Two questions, one module (see docs/security.md):

* ``can(user, action, obj)`` answers for one object (or for a global action when ``obj`` is None)
  with a ``Decision`` that carries the reason;
* ``visible(user, action, queryset)`` narrows a queryset in SQL to what the user may see, so a list
  never loads rows it would hide.

Each part of the product registers its rules from ``<part>/policy.py`` with ``@rule`` and
``@scope``. An action with no rule is denied: deny by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

QS = TypeVar("QS", bound=QuerySet)


@dataclass(frozen=True)
class Decision:
    """The answer to one permission question.

    ``conceal`` marks a denial that must look like "not found" (the object is not the user's to
    know about); other denials answer 403. ``reason`` is recorded in the audit log.
    """

    allowed: bool
    reason: str
    conceal: bool = False

    def __bool__(self) -> bool:
        return self.allowed


def allow(reason: str) -> Decision:
    return Decision(True, reason)


def deny(reason: str, *, conceal: bool = False) -> Decision:
    return Decision(False, reason, conceal)


Rule = Callable[[Any, Any], Decision]
Scope = Callable[[Any, QuerySet], QuerySet]

_rules: dict[str, Rule] = {}
_scopes: dict[str, Scope] = {}
_descriptions: dict[str, str] = {}


def rule(action: str, description: str = "") -> Callable[[Rule], Rule]:
    """Register the rule that decides ``action``; its docstring documents it in docs/security.md."""

    def register(fn: Rule) -> Rule:
        if action in _rules:
            raise ValueError(f"A rule for {action!r} is already registered")
        _rules[action] = fn
        doc = (fn.__doc__ or "").strip()
        _descriptions[action] = description or (doc.splitlines()[0] if doc else "")
        return fn

    return register


def scope(action: str) -> Callable[[Scope], Scope]:
    """Register the SQL narrowing used by ``visible`` for ``action``."""

    def register(fn: Scope) -> Scope:
        if action in _scopes:
            raise ValueError(f"A scope for {action!r} is already registered")
        _scopes[action] = fn
        return fn

    return register


def can(user: Any, action: str, obj: Model | None = None) -> Decision:
    """May ``user`` perform ``action`` (on ``obj``)? Denied when no rule is registered."""
    fn = _rules.get(action)
    if fn is None:
        return deny(f"no rule for {action}")
    if user is None:
        return deny("no user")
    if user.is_authenticated and not user.is_active:
        return deny("account inactive")
    return fn(user, obj)


def visible(user: Any, action: str, queryset: QS) -> QS:
    """``queryset`` narrowed to the rows ``user`` may ``action``; empty when no scope is registered."""
    fn = _scopes.get(action)
    if fn is None or user is None or (user.is_authenticated and not user.is_active):
        return queryset.none()
    return fn(user, queryset)


def registered_actions() -> dict[str, str]:
    """Every registered action with its one-line description (for docs/security.md)."""
    return dict(sorted(_descriptions.items()))


def has_scope(action: str) -> bool:
    return action in _scopes
