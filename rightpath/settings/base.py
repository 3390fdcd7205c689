"""Settings shared by every profile. Values come from the environment (django-environ).

Profiles (``dev``, ``test``, ``production``) set their defaults, then import this module.
Every setting an operator may change is listed in docs/configuration.md.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "rightpath.core",
    "rightpath.accounts",
    "rightpath.access",
    "rightpath.audit",
    "rightpath.api",
    "rightpath.knowledge",
    "rightpath.cases",
    "rightpath.training",
    "rightpath.assessments",
]

# Extra generated sections of docs/security.md (see access/management/commands/document_policy.py).
POLICY_DOC_SECTIONS = ["rightpath.cases.policy.grants_table_markdown"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rightpath.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rightpath.accounts.middleware.SessionTimeoutMiddleware",
    "rightpath.accounts.middleware.MFAEnforcementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rightpath.core.middleware.RequestContextMiddleware",
    # Axes must be last: it turns a lockout into the translated lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rightpath.urls"
WSGI_APPLICATION = "rightpath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rightpath.core.context_processors.platform",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL=postgres://user@host:5432/name selects PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'rightpath.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write transactions start with BEGIN IMMEDIATE so concurrent writers queue instead of failing
    # with "database is locked"; WAL lets readers work while one writer commits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
# Closed cases are anonymised after this many days (retention rule; see cases/retention.py).
CASE_RETENTION_DAYS = env.int("CASE_RETENTION_DAYS", default=5 * 365)
# How long emergency (break-glass) access lasts.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=4)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
# Largest case document and largest lesson image or material that may be uploaded.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
TRAINING_FILE_MAX_BYTES = env.int("TRAINING_FILE_MAX_BYTES", default=10 * 1024 * 1024)
# Public certificate checks allowed per client address per window (seconds), in the shared cache.
CERTIFICATE_VERIFY_LIMIT = env.int("CERTIFICATE_VERIFY_LIMIT", default=30)
CERTIFICATE_VERIFY_WINDOW = env.int("CERTIFICATE_VERIFY_WINDOW", default=600)
# The address users reach the platform at, for links in e-mails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Login throttling (django-axes): per account and per address, lock for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rightpath.accounts.views.lockout"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Sessions: idle timeout enforced by SessionTimeoutMiddleware, absolute lifetime by the cookie age.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Roles that can see personal data must use a second factor (see accounts.roles).
OTP_TOTP_ISSUER = "RightPath"
MFA_ENFORCED = env.bool("MFA_ENFORCED", default=True)

# --- security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
# English dates are written day first (25/11/2026), as in the region, not in the US order.
FORMAT_MODULE_PATH = ["rightpath.formats"]
LANGUAGES = [
    ("en", "English"),
    ("sq", "Shqip"),
    ("bs", "Bosanski"),
    ("hr", "Hrvatski"),
    ("mk", "Македонски"),
    ("sr", "Српски"),
    ("sr-latn", "Srpski (latinica)"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="Europe/Belgrade")
LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private files (case documents) live outside the web root and are served only through checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")

# --- e-mail: every message goes through the task queue -------------------------------------------
EMAIL_BACKEND = "rightpath.core.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="RightPath <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")

# --- task queue (django-tasks with the database backend as the embedded default) ------------------
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# --- audit log ------------------------------------------------------------------------------------
# Keys for the audit MACs come from the environment, never from the database. Several keys may be
# given (newest first, "id:secret" pairs) so the key can rotate without breaking old entries.
AUDIT_HMAC_KEYS = env.list("AUDIT_HMAC_KEYS")
# Seal entries older than this many seconds (a safety margin for transactions still in flight).
AUDIT_SEAL_DELAY_SECONDS = env.int("AUDIT_SEAL_DELAY_SECONDS", default=5)

# Field encryption keys ("id:base64-32-byte-key", newest first) for identity fields, notes, documents.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# Key of the blind index (keyed hash of normalised name + birth date) used to find duplicates
# among encrypted identities. It must stay stable: changing it means rebuilding the index.
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default="")

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rightpath.api.authentication.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rightpath.api.permissions.PolicyPermission"],
    "DEFAULT_PAGINATION_CLASS": "rightpath.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rightpath.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="60/minute"),
        "user": env("API_USER_RATE", default="600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RightPath API",
    "DESCRIPTION": "REST API of RightPath. Every endpoint is checked by the same policy module as the web pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- caching and logging ----------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}

RIGHTPATH_DEMO = False
CSRF_FAILURE_VIEW = "rightpath.core.views.csrf_failure"
