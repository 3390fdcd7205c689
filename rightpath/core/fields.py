"""Encrypted model fields for personal data at rest (identity fields, session notes).

Each stored value is ``<key id>:<Fernet token>``; keys come from FIELD_ENCRYPTION_KEYS
(``id:urlsafe-base64-32-byte-key``, newest first), never from the database. Reading picks the key
named by the value, so old values stay readable after a new key is added; ``manage.py
reencrypt_fields`` rewrites them under the newest key. Encrypted values cannot be searched or
sorted in SQL: use a blind index (``blind_index``) for exact-match lookups.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .script import to_latin


@lru_cache(maxsize=8)
def _keys(raw: tuple[str, ...]) -> list[tuple[str, Fernet]]:
    keys = []
    for item in raw:
        key_id, sep, secret = item.partition(":")
        if not sep or not key_id:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS entries must look like 'id:base64key'")
        try:
            keys.append((key_id, Fernet(secret.encode())))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS key {key_id!r} is not a valid 32-byte base64 key"
            ) from exc
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return keys


def encryption_keys() -> list[tuple[str, Fernet]]:
    return _keys(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    key_id, fernet = encryption_keys()[0]
    return f"{key_id}:{fernet.encrypt(plaintext.encode()).decode()}"


def decrypt(stored: str) -> str:
    key_id, _sep, token = stored.partition(":")
    for kid, fernet in encryption_keys():
        if kid == key_id:
            try:
                return fernet.decrypt(token.encode()).decode()
            except InvalidToken as exc:
                raise ValueError(f"encrypted value under key {key_id!r} does not decrypt") from exc
    raise ValueError(f"no key {key_id!r} in FIELD_ENCRYPTION_KEYS")


def key_id_of(stored: str) -> str:
    return stored.partition(":")[0]


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; Python code sees plain text."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def normalise_for_index(*parts: str) -> str:
    """Lower-case, strip accents and spaces so spelling variants of a name meet."""
    # Script first, then đ → dj, then accents: Ђорђе, Đorđe and Djordje all become "djordje".
    text = to_latin(" ".join(p for p in parts if p)).lower().replace("đ", "dj")
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


def blind_index(*parts: str) -> str:
    """Keyed hash of the normalised parts (e.g. name and birth date): equal inputs, equal index."""
    key = settings.BLIND_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is not set")
    return hmac.new(key.encode(), normalise_for_index(*parts).encode(), hashlib.sha256).hexdigest()
