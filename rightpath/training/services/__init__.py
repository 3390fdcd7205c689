"""Writes for training. Each service checks the policy before its transaction (so a denial's audit
entry persists), then validates, saves and audits inside it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from rightpath.access.policy import can
from rightpath.audit import events
from rightpath.audit.services import record


def require(actor: Any, action: str, obj: Any = None) -> None:
    """Raise (404 when concealed, else PermissionDenied) and audit unless ``actor`` may ``action``."""
    decision = can(actor, action, obj)
    if not decision:
        record(events.ACCESS_DENIED, actor=actor, target=obj, data={"action": action, "reason": decision.reason})
        if decision.conceal:
            raise Http404
        raise PermissionDenied(decision.reason)
