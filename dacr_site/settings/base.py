"""DACR Lab settings. Everything comes from the environment (see ``.env.example``).

Embedded default: no ``DATABASE_URL`` → a SQLite file under ``var/``; no ``CELERY_BROKER_URL``
→ Celery tasks run eagerly in-process. Set both and the same code runs on PostgreSQL with
real workers.
"""

import os
from pathlib import Path

import dj_database_url
import plotly

from dacr_site.settings.secret import load_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DACR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = load_or_create_secret_key(VAR_DIR / "secret_key")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dacr_site",
    "challenges",
    "traces",
    "training",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dacr_site.middleware.LoginRequiredExceptApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dacr_site.urls"
WSGI_APPLICATION = "dacr_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dacr_site.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'dacr.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an in-process import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: per-process memory by default; CACHE_URL (redis://…) shares it between server
# processes, so facet counts computed by one worker serve the others.
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "challenges:suite-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
# WhiteNoise serves from the finders until `collectstatic` fills this; it must exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The plotly.js bundle comes from the plotly Python package (pinned in requirements), served
# as static/vendor/plotly/plotly.min.js: no CDN, the app works offline.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", Path(plotly.__file__).resolve().parent / "package_data"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files from the finders in development so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Largest benchmark file accepted through the web upload (bytes).
DACR_MAX_BENCHMARK_BYTES = int(os.environ.get("DACR_MAX_BENCHMARK_BYTES", str(150 * 1024 * 1024)))
# Largest JSON Lines file of traces accepted by the import API (refused from Content-Length).
DACR_MAX_TRACES_IMPORT_BYTES = int(
    os.environ.get("DACR_MAX_TRACES_IMPORT_BYTES", str(100 * 1024 * 1024))
)

# --- paper ingestion (see docs/ingestion.md) --------------------------------------------------
# Largest PDF parsed (bytes) and most pages parsed: a larger or longer paper is kept (its row
# and stored file remain) and fails with the reason.
DACR_MAX_PAPER_BYTES = int(os.environ.get("DACR_MAX_PAPER_BYTES", str(50_000_000)))
DACR_MAX_PAPER_PAGES = int(os.environ.get("DACR_MAX_PAPER_PAGES", "300"))
# One upload (page or API) carries at most this many files and this many bytes in all: the
# hard cap, refused from the request's Content-Length before its body is read (nothing that
# large is ever stored).
DACR_MAX_PAPER_FILES = int(os.environ.get("DACR_MAX_PAPER_FILES", "20"))
DACR_MAX_PAPER_UPLOAD_BYTES = int(
    os.environ.get("DACR_MAX_PAPER_UPLOAD_BYTES", str(4 * DACR_MAX_PAPER_BYTES))
)
# Limits of the child process that parses one PDF: address space, CPU time, wall clock.
DACR_PDF_MEMORY_MB = int(os.environ.get("DACR_PDF_MEMORY_MB", "1024"))
DACR_PDF_CPU_SECONDS = int(os.environ.get("DACR_PDF_CPU_SECONDS", "30"))
DACR_PDF_WALL_SECONDS = int(os.environ.get("DACR_PDF_WALL_SECONDS", "60"))

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# No broker → tasks run in-process: the embedded default needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES_NAMES = ("default", "gpu")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None  # job state lives on our rows, not in Celery
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers unacknowledged tasks after this many seconds; longer than any task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "43200"))
}
# After grading, queue a task that stores where each highlighted statement of the graded
# traces sits (their pages then never search the document). On by default with a broker, where
# a worker does it; with in-process tasks it would run inside the grading call (minutes for a
# large predictions file), so pages locate on first view instead and store what they found.
DACR_LOCATE_AFTER_GRADING = env_bool("DACR_LOCATE_AFTER_GRADING", bool(CELERY_BROKER_URL))
# A task that keeps killing its worker is stopped after this many deliveries.
DACR_TASK_MAX_DELIVERIES = int(os.environ.get("DACR_TASK_MAX_DELIVERIES", "3"))

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so anonymous API calls get 401 with a WWW-Authenticate header; no Basic auth.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dacr_site.permissions.IsViewer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DACR Lab API",
    "DESCRIPTION": (
        "Suites, challenges, traces and verdicts; synthetic suite generation and validity reports."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["dacr_site.permissions.IsViewer"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Audit decisions appear under several field names (decision, latest_audit_decision):
    # one enum component for all of them.
    "ENUM_NAME_OVERRIDES": {"AuditDecisionEnum": "traces.models.AuditDecision"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
