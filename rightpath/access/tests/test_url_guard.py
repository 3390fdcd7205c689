"""Every URL goes through the policy: a view without a policy decision (or an explicit, reasoned
public mark) fails here, and every guarded URL refuses anonymous visitors and role-less users."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter

from conftest import sign_in
from rightpath.access.policy import can, registered_actions


def _walk(
    patterns: list[Any], prefix: str = "", converters: dict[str, Any] | None = None
) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for p in patterns:
        conv = {**(converters or {}), **getattr(p.pattern, "converters", {})}
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route, conv)
        elif isinstance(p, URLPattern):
            yield route, p.callback, conv


def _marks(callback: Any) -> tuple[str | None, str | None]:
    """(action, public reason) declared by a view, including DRF views via their class."""
    cls = getattr(callback, "cls", None)
    if cls is not None and hasattr(cls, "permission_classes"):
        from rightpath.api.permissions import PolicyPermission

        if getattr(callback, "access_public", None):
            return None, callback.access_public
        if PolicyPermission in cls.permission_classes:
            action = getattr(cls, "policy_action", None) or ",".join(getattr(cls, "policy_actions", {}).values())
            return action or None, None
        return None, None
    return getattr(callback, "access_action", None), getattr(callback, "access_public", None)


ALL_ROUTES = list(_walk(get_resolver().url_patterns))


def _concrete(route: str, converters: dict[str, Any]) -> str:
    import re

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        conv = converters.get(name)
        if isinstance(conv, UUIDConverter):
            return str(uuid.uuid4())
        if isinstance(conv, IntConverter):
            return "1"
        return "x"

    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    return "/" + path.lstrip("^").rstrip("$")


def test_every_url_declares_its_policy_or_why_it_is_public() -> None:
    unguarded = [route for route, cb, _ in ALL_ROUTES if _marks(cb) == (None, None)]
    assert unguarded == [], f"views without a policy decision: {unguarded}"


def test_every_declared_action_has_a_registered_rule() -> None:
    actions = registered_actions()
    missing = []
    for route, cb, _ in ALL_ROUTES:
        action, _public = _marks(cb)
        for a in (action or "").split(","):
            if a and a not in actions:
                missing.append((route, a))
    assert missing == []


GUARDED = [(r, cb, c) for r, cb, c in ALL_ROUTES if _marks(cb)[1] is None]


@pytest.mark.parametrize("route,callback,converters", GUARDED, ids=[r for r, _, _ in GUARDED])
def test_guarded_url_refuses_anonymous_visitors(
    client: Any, db: Any, route: str, callback: Any, converters: Any
) -> None:
    response = client.get(_concrete(route, converters))
    assert response.status_code in (302, 401, 403, 404, 405), (route, response.status_code)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("route,callback,converters", GUARDED, ids=[r for r, _, _ in GUARDED])
def test_guarded_url_refuses_a_user_without_roles_unless_everyone_may(
    client: Any, make_user: Any, route: str, callback: Any, converters: Any
) -> None:
    user = make_user()
    sign_in(client, user)
    response = client.get(_concrete(route, converters))
    action = _marks(callback)[0] or ""
    everyone_may = all(can(user, a).allowed for a in action.split(",") if a)
    if response.status_code == 200:
        assert everyone_may, f"{route} answered 200 to a user whose roles do not allow {action}"
