"""Laptop pilot and development profile: embedded SQLite, plain HTTP on 127.0.0.1, demo data allowed.

Secrets here are fixed development values so a fresh clone runs with no configuration; the
production profile refuses to start without real ones.
"""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
os.environ.setdefault("AUDIT_HMAC_KEYS", "dev1:dev-only-audit-key-0123456789abcdef")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "dev1:ZGV2LW9ubHktZmllbGQta2V5LTAxMjM0NTY3ODlhYmM=")
os.environ.setdefault("BLIND_INDEX_KEY", "dev-only-blind-index-key-0123456789")
# The demo serves plain HTTP on 127.0.0.1, where browsers drop Secure cookies.
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.filebased.EmailBackend")

from .base import *  # noqa: F403

RIGHTPATH_DEMO = True
