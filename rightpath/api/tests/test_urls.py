"""Every API URL is either deliberately public (with a reason) or a DRF view behind PolicyPermission."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver

from rightpath.access.policy import can, registered_actions
from rightpath.api.permissions import PolicyPermission


def _api_patterns() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.append((prefix + str(p.pattern), p.callback))

    walk(get_resolver().url_patterns, "")
    return [(route, cb) for route, cb in out if route.startswith("api/v1/")]


def test_every_api_view_is_public_on_purpose_or_guarded_by_the_policy() -> None:
    routes = _api_patterns()
    assert len(routes) >= 5
    public = {route for route, cb in routes if getattr(cb, "access_public", None)}
    plumbing = {"api/v1/schema/", "api/v1/docs/", "api/v1/<path:unknown>"}
    assert plumbing <= public
    actions = registered_actions()
    for route, cb in routes:
        if route in plumbing:
            continue
        cls = cb.cls
        assert PolicyPermission in cls.permission_classes, route
        declared = [cls.policy_action] if getattr(cls, "policy_action", None) else list(cls.policy_actions.values())
        assert declared and all(a in actions for a in declared), route
        if route in public:
            # Open to visitors on purpose, but still decided by the policy: every action must allow them.
            assert all(can(AnonymousUser(), a) for a in declared), route
