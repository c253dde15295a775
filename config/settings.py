"""Waypoint's settings: one file, every knob read from the environment."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_FALSE = {"0", "false", "no", "off", ""}


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    return os.environ.get(name, "1" if default else "0").strip().lower() not in _FALSE


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Development is the default; DEBUG=0 is production and refuses to start half-configured.
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "accounts",
    "roadmap",
    "reminders",
    "sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.permissions_policy",
    "config.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the user with the session in one query.
    "accounts.middleware.AuthenticationMiddleware",
    "accounts.middleware.time_zone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Before any view or the CSRF check reads the body; after the headers' middleware, so
    # its 400 carries them.
    "config.middleware.malformed_requests",
    "config.middleware.database_unavailable",
    # Axes turns a locked-out login into its lockout page; it must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "roadmap.undo.context",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL (for example postgres://user@host/db) for scale-out.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Production keeps connections for a minute (checked before reuse); development
        # opens one per request, as runserver's threads come and go.
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let concurrent writers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too (not the in-memory default), so they exercise the same locking as
    # production: concurrent requests queue on the write lock instead of failing.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"waypoint-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters bound by the server, and a statement run five times on a connection prepared
    # there (psycopg's threshold): PostgreSQL then neither parses nor plans it again, and psycopg
    # does not splice parameters into the SQL text. On the active-learner path (a tick, then the
    # roadmap page) that halves the database's CPU and takes a fifth off the app's (README,
    # Benchmarks). Set DATABASE_PREPARED_STATEMENTS=0 behind a pooler that cannot keep prepared
    # statements (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Redis down or slow is a cache miss, not an error: pages render fresh meanwhile.
    REDIS_CACHE = {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
    # Sessions are cached in Redis too (accounts/sessions.py), which every app process shares:
    # a session ended on one is evicted for all.
    CACHES = {"default": REDIS_CACHE, "sessions": REDIS_CACHE}
else:
    # Without Redis each process has a cache of its own: fine for pages (keyed by versions),
    # not for sessions (one process could not evict another's copy of an ended session), so
    # sessions are read from the database on every request.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
SESSION_CACHE_ALIAS = "sessions"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "roadmap:catalogue"
LOGOUT_REDIRECT_URL = "roadmap:home"
PASSWORD_RESET_TIMEOUT = int(timedelta(days=3).total_seconds())
# Sessions live in the database, each row marked with its user, so deleting an account ends
# its sessions on every device and every app server (accounts/sessions.py); cached in Redis
# when there is one (SESSION_CACHE_ALIAS above).
SESSION_ENGINE = "accounts.sessions"
# "Remember me" keeps a session this long; without it the session ends with the browser.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", int(timedelta(weeks=2).total_seconds()))

# Login throttling: five failures for one username from one address lock that pair for
# 15 minutes. Attempts live in the database, so every app server sees the same count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# A locked-out attempt does not extend the lock, so "try again in 15 minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout"
AXES_USERNAME_CALLABLE = "accounts.throttling.lock_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
# No "AXES: BEGIN" line at every start; failed logins are still logged, by lock parameters.
AXES_VERBOSE = False
# Sign-up and password-reset throttling (accounts/throttling.py): attempts per client address
# and per username or e-mail address typed, in each fixed hour. Counted in the cache, so
# every app server shares the counts when REDIS_URL is set; without it, each process counts
# on its own.
ACCOUNT_THROTTLE_PERIOD = timedelta(hours=1)
SIGNUP_LIMIT_PER_CLIENT = env_int("SIGNUP_LIMIT_PER_CLIENT", 10)
SIGNUP_LIMIT_PER_TARGET = env_int("SIGNUP_LIMIT_PER_TARGET", 5)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 20)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
# X-Forwarded-For is only believed behind this many proxies the operator runs (0: never).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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


def email_settings(url):
    """Django's e-mail settings from EMAIL_URL (smtp://user:pass@host:587?tls=1).

    Without EMAIL_URL, mail goes to EMAIL_BACKEND, the console unless set.
    """
    if not url:
        return {
            "EMAIL_BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
        }
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured("EMAIL_URL must start with smtp:// or smtps://.")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": query.get("tls", "0").lower() not in _FALSE,
        "EMAIL_USE_SSL": parts.scheme == "smtps" or query.get("ssl", "0").lower() not in _FALSE,
    }


globals().update(email_settings(env("EMAIL_URL")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Waypoint <noreply@localhost>")
# Where the site is reached from outside: links in e-mails and calendar feeds start with it.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Security headers and HTTPS. Production defaults are strict; behind a TLS-terminating proxy
# set SECURE_PROXY_SSL_HEADER=1 (only then is X-Forwarded-Proto believed). `make serve` turns
# the HTTPS redirect and secure-only cookies off for plain http on 127.0.0.1.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
# No inline scripts or styles anywhere: htmx is told not to inject its indicator styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
    }
}

# Logs go to stdout, one line per record: a request error's traceback is escaped into its line.
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "one_line": {
            "class": "config.logging.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "one_line",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own records go to the root handler only: its default console handler would
    # print a second, multi-line copy to stderr when DEBUG is on.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL}},
}
