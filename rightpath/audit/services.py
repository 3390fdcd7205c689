"""Writing the audit log. ``record`` is the one way in; it runs inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from rightpath.core.request_context import client_address, current_request

from . import crypto
from .models import AuditEntry


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    """The fields an entry's MAC covers, in canonical form."""
    return {
        "uid": str(entry.uid),
        "created_at": entry.created_at.isoformat(),
        "event": entry.event,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation_id": entry.organisation_id,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "address": entry.address,
        "justification": entry.justification,
        "data": entry.data,
        "key_id": entry.key_id,
    }


def compute_entry_mac(entry: AuditEntry, key: bytes) -> str:
    return crypto.mac(key, crypto.canonical(entry_payload(entry)))


def _target(target: Any) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        ref = getattr(target, "code", None) or target.pk
        return target._meta.label_lower, str(ref)
    if isinstance(target, tuple):
        return str(target[0]), str(target[1])
    return type(target).__name__, str(target)


def record(
    event: str,
    *,
    actor: Any = None,
    target: Any = None,
    organisation: Any = None,
    data: dict[str, Any] | None = None,
    justification: str = "",
    request: Any = None,
) -> AuditEntry:
    """Append one entry to the audit log, in the current transaction (one INSERT).

    ``target`` is a model instance (recorded by type and code), a ``(type, id)`` pair, or None.
    ``organisation`` defaults to the actor's organisation. ``data`` must never hold decrypted
    personal data: record references and field names, not values.
    """
    request = request or current_request.get()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    target_type, target_id = _target(target)
    org_id = getattr(organisation, "pk", organisation)
    if org_id is None and actor is not None:
        org_id = getattr(actor, "organisation_id", None)
    key_id, key = crypto.current_key()
    entry = AuditEntry(
        created_at=timezone.now(),
        event=event,
        actor_id=getattr(actor, "pk", None),
        actor_label=(getattr(actor, "username", "") or "")[:150],
        organisation_id=org_id,
        target_type=target_type,
        target_id=target_id[:64],
        address=client_address(request),
        justification=justification,
        data=data or {},
        key_id=key_id,
    )
    entry.mac = compute_entry_mac(entry, key)
    entry.save(force_insert=True)
    return entry
