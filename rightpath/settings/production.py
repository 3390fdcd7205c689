"""Production profile: PostgreSQL, HTTPS behind a proxy, several app servers.

Refuses to start without SECRET_KEY, AUDIT_HMAC_KEYS, FIELD_ENCRYPTION_KEYS, DATABASE_URL and
ALLOWED_HOSTS from the environment. Passes ``manage.py check --deploy`` with no warnings.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DATABASES = {"default": env.db("DATABASE_URL")}  # no embedded fallback in production
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")  # required: identities and notes are encrypted
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Set when a TLS-terminating proxy sends X-Forwarded-Proto (see README "Deployment").
if env.bool("BEHIND_TLS_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
