"""Test profile: like dev, with fast password hashing and in-memory e-mail delivery."""

import os

os.environ.setdefault("EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run when enqueued unless a test uses the database backend on purpose.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
