"""Keyed MACs for audit entries and seals. Keys come from the environment (AUDIT_HMAC_KEYS)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _keys() -> list[tuple[str, bytes]]:
    pairs = []
    for item in settings.AUDIT_HMAC_KEYS:
        key_id, sep, secret = item.partition(":")
        if not sep or not key_id or len(secret) < 16:
            raise ImproperlyConfigured(
                "AUDIT_HMAC_KEYS entries must look like 'id:secret' with a secret of 16+ characters"
            )
        pairs.append((key_id, secret.encode()))
    if not pairs:
        raise ImproperlyConfigured("AUDIT_HMAC_KEYS is empty")
    return pairs


def current_key() -> tuple[str, bytes]:
    """The newest key (first in the list): used for every new entry and seal."""
    return _keys()[0]


def key_by_id(key_id: str) -> bytes | None:
    return dict(_keys()).get(key_id)


def canonical(payload: dict[str, Any]) -> bytes:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()
