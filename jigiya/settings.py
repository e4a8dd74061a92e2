"""One settings module, driven by the environment.

Development needs nothing set. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL; `manage.py check --deploy` is then clean.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.conf import locale
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIGIYA_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The demo world's logins are printed on the login page only in demo mode.
DEMO_MODE = env_bool("JIGIYA_DEMO", DEBUG)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "jigiya.core",
    "jigiya.places",
    "jigiya.accounts",
    "jigiya.donors",
    "jigiya.web",
    "jigiya.indicators",
    "jigiya.registry",
    "jigiya.followup",
    "jigiya.savings",
    "jigiya.cooperatives",
    "jigiya.quality",
    "jigiya.care",
    "jigiya.interop",
]

MIDDLEWARE = [
    # First: /healthz answers load balancers over plain HTTP, whatever the Host header.
    "jigiya.web.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A password an administrator gave must be replaced before anything else.
    "jigiya.accounts.middleware.PasswordChangeRequiredMiddleware",
    "jigiya.web.middleware.LanguageMiddleware",
    # Names the user on every HTML page, error pages too (the offline cache is per user).
    "jigiya.web.middleware.OfflineUserMiddleware",
    # Jigiya's own error pages in the user's language, even with DEBUG (web/middleware.py).
    "jigiya.web.middleware.ErrorPageMiddleware",
    # Bad input (a body too large, a NUL character, a bad query parameter): 400/413/422 in the
    # API's JSON shape or on Jigiya's error page, never 500 (core/middleware.py).
    "jigiya.core.middleware.BadInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form the phone's outbox sends gets 204, not the page its redirect leads to (issue 16).
    "jigiya.web.middleware.OutboxAnswerMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jigiya.urls"
WSGI_APPLICATION = "jigiya.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jigiya.web.context_processors.jigiya",
            ],
            "builtins": ["jigiya.core.templatetags.typography"],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'jigiya.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jigiya.accounts.password_validation.NotCurrentPasswordValidator"},
]

# Lockout after repeated failed logins, for one hour, three ways at once (accounts/lockout.py):
# one username from one address, one username from any address, one address for any username.
# Mobile networks put many phones behind one address, hence the address's higher limit.
LOGIN_LOCKOUTS = [
    (["username", "ip_address"], env_int("LOGIN_FAILURE_LIMIT", 5)),
    ("username", env_int("LOGIN_FAILURE_LIMIT_ACCOUNT", 10)),
    ("ip_address", env_int("LOGIN_FAILURE_LIMIT_ADDRESS", 50)),
]
AXES_LOCKOUT_PARAMETERS = [parameters for parameters, _limit in LOGIN_LOCKOUTS]
AXES_FAILURE_LIMIT = LOGIN_LOCKOUTS[0][1]
AXES_HANDLER = "jigiya.accounts.lockout.LockoutHandler"
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_CALLABLE = "jigiya.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "jigiya.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# How many reverse proxies of our own stand in front of the app (1 behind nginx): the client's
# address is read from X-Forwarded-For only that far (lockouts and rate limits key on it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Rate limits ("number/period", s, min, h or day; empty turns one off): API calls per user and
# login attempts per address (accounts/throttling.py). They count in the cache below.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
LOGIN_RATE_LIMIT = env_str("LOGIN_RATE_LIMIT", "30/min")
# The database cache: one count for every server process and machine (a per-process cache
# would let each gunicorn worker grant the whole rate). Its table is made by `migrate`. A count
# lives a minute; room for 10 000 (Django's 300 would cull live counts with a few hundred users).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "jigiya_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

# Content-Security-Policy (django-csp): only this site's own scripts, styles, images and
# forms; no inline script (an inline style element carries the request's nonce); no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Languages: French by default, English complete, Bambara for field-facing words
# (what Bambara does not yet translate falls back to French).
locale.LANG_INFO["bm"] = {
    "bidi": False,
    "code": "bm",
    "name": "Bambara",
    "name_local": "Bamanankan",
}
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("bm", _("Bambara"))]
LOCALE_PATHS = [BASE_DIR / "jigiya" / "locale"]
# Dates day-month-year in French and Bambara, with distinct month abbreviations (jigiya/formats).
FORMAT_MODULE_PATH = ["jigiya.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Money: an optional USD equivalent shown beside FCFA amounts (FCFA per dollar; 0 hides it).
JIGIYA_FCFA_PER_USD = env_int("JIGIYA_FCFA_PER_USD", 0)
# Indicators: the first month that may hold data; refresh inline (tests, no worker) or queued.
JIGIYA_HISTORY_START = env_str("JIGIYA_HISTORY_START", "2018-01")
JIGIYA_INDICATORS_REFRESH_INLINE = env_bool("JIGIYA_INDICATORS_REFRESH_INLINE", False)
# The busiest pages' costliest parts (worklist, dashboard cards) cached this many seconds per
# user (core.pagecache); 0 turns it off.
JIGIYA_PAGE_CACHE_SECONDS = env_int("JIGIYA_PAGE_CACHE_SECONDS", 20)
# The field client's release tag (web/offline.py): mixed into the service worker's version, so
# a deployment may force phones to take a new worker even when no static file changed.
JIGIYA_CLIENT_RELEASE = env_str("JIGIYA_CLIENT_RELEASE", "1")
# Savings: the ceiling of one movement of money, and the movement above which a posting waits
# for a second officer (FCFA; a cycle's constitution may set its own, up to 10^12 FCFA).
SAVINGS_MAX_MOVEMENT_FCFA = env_int("SAVINGS_MAX_MOVEMENT_FCFA", 5_000_000)
SAVINGS_APPROVAL_THRESHOLD_FCFA = env_int("SAVINGS_APPROVAL_THRESHOLD_FCFA", 1_000_000)
# Bounds (core.bounds): the first day the program records anything; no visit, meeting, enrollment
# or other event is dated before it (ISO date).
PROGRAM_START_DATE = date.fromisoformat(env_str("JIGIYA_PROGRAM_START", "2000-01-01"))
# Background work (core.schedule): a task running longer than its lease is taken again; the worker
# checks leases and sweeps every so often; a cell stale this long is refreshed whatever the queue.
JIGIYA_TASK_LEASE_MINUTES = env_int("JIGIYA_TASK_LEASE_MINUTES", 60)
JIGIYA_WORKER_CHECK_SECONDS = env_int("JIGIYA_WORKER_CHECK_SECONDS", 60)
JIGIYA_STALE_SWEEP_MINUTES = env_int("JIGIYA_STALE_SWEEP_MINUTES", 5)
# Savings: the ceiling of one movement of money, and the movement above which a posting waits
# for a second officer (FCFA; a cycle's constitution may set its own, up to 10^12 FCFA).
SAVINGS_MAX_MOVEMENT_FCFA = env_int("SAVINGS_MAX_MOVEMENT_FCFA", 5_000_000)
SAVINGS_APPROVAL_THRESHOLD_FCFA = env_int("SAVINGS_APPROVAL_THRESHOLD_FCFA", 1_000_000)
# Savings: a box counted more than this away from the expected cash needs a real explanation and
# a second officer's approval, and is flagged to the supervisor (FCFA).
SAVINGS_CASH_DIFFERENCE_THRESHOLD_FCFA = env_int("SAVINGS_CASH_DIFFERENCE_THRESHOLD_FCFA", 5_000)
# API pagination: items per page.
NINJA_PAGINATION_PER_PAGE = env_int("API_PAGE_SIZE", 100)
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "jigiya.web.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe over plain HTTP (HealthCheckMiddleware answers first anyway).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
