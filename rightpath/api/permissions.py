"""Every API view names the policy action it performs; the permission asks ``rightpath.access``."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from rightpath.access.policy import can
from rightpath.audit import events
from rightpath.audit.services import record


class PolicyPermission(BasePermission):
    """Deny unless the view's ``policy_action`` (or ``policy_actions[method]``) is allowed.

    Session-authenticated users must also have passed their second factor when they need one.
    """

    def _action(self, view: Any, request: Any) -> str | None:
        actions = getattr(view, "policy_actions", None)
        if actions:
            return actions.get(getattr(view, "action", None) or request.method.lower())
        return getattr(view, "policy_action", None)

    def has_permission(self, request: Any, view: Any) -> bool:
        action = self._action(view, request)
        if action is None:
            return False
        user = request.user
        if user.is_authenticated and request.auth is None and user.needs_mfa and not user.is_verified():
            return False
        decision = can(user, action)
        if not decision and user.is_authenticated:
            record(events.ACCESS_DENIED, actor=user, data={"action": action, "reason": decision.reason, "api": True})
        return decision.allowed

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        action = self._action(view, request)
        if action is None:
            return False
        decision = can(request.user, action, obj)
        if not decision and request.user.is_authenticated:
            record(
                events.ACCESS_DENIED,
                actor=request.user,
                target=obj,
                data={"action": action, "reason": decision.reason, "api": True},
            )
        return decision.allowed
