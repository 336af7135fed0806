"""Settings, read from the environment (``PMO_*`` variables).

Defaults serve a laptop: SQLite under ``var/``, debug off, localhost only. A
deployment sets ``PMO_SECRET_KEY`` and ``PMO_DATABASE_URL``; with debug off the
settings refuse an insecure or missing secret key unless ``PMO_ALLOW_DEV_KEY``
is set by the local tooling (``make demo``, tests).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from babel.numbers import list_currencies
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pmo.core.money import NOT_MONEY
from pmo.core.proxy import DEFAULT_PROXY_HEADERS, parse_proxy_headers, parse_trusted_proxies

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _home() -> Path:
    """The folder holding ``var/``: ``PMO_HOME``, else the checkout, else the cwd."""
    if env := os.environ.get("PMO_HOME"):
        return Path(env).resolve()
    checkout = PACKAGE_DIR.parent.parent
    if (checkout / "pyproject.toml").exists():
        return checkout
    return Path.cwd()


# Every PMO_* variable is read through these helpers: a bad value stops the app with
# ImproperlyConfigured naming the variable and what it accepts, which ``pmo`` prints as one
# line (an empty value counts as unset).
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _flag(name: str, default: bool = False) -> bool:
    """An on/off variable: 1/true/yes/on or 0/false/no/off."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE | _FALSE:
        return value in _TRUE
    raise ImproperlyConfigured(
        f"{name} must be 1 or 0 (or true/false, yes/no, on/off), got {os.environ[name]!r}"
    )


def _int(name: str, default: int, *, low: int, high: int | None = None) -> int:
    """A whole-number variable from ``low`` to ``high`` (no upper limit when ``None``)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {text!r}") from None
    if number < low or (high is not None and number > high):
        limits = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ImproperlyConfigured(f"{name} must be {limits}, got {number}")
    return number


def _choice(name: str, default: str, choices: list[str]) -> str:
    """A variable taking one of ``choices`` (compared in lower case)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _time_zone(name: str, default: str) -> str:
    """An IANA time zone name such as Asia/Shanghai or Europe/London."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name like Asia/Shanghai or Europe/London, got {value!r}"
        ) from None
    return value


HOME_DIR = _home()
VAR_DIR = HOME_DIR / "var"

DEBUG = _flag("PMO_DEBUG")
DEV_SECRET_KEY = "pmo-hub-insecure-development-key-change-me"
SECRET_KEY = os.environ.get("PMO_SECRET_KEY", DEV_SECRET_KEY)


def _help_only() -> bool:
    """``pmo CMD --help``, ``pmo --version``, ``pmo help CMD``: nothing is signed, no key needed.

    Only the command line's own words count (before ``--``), and only for ``pmo`` itself.
    """
    if Path(sys.argv[0]).name not in {"pmo", "manage.py", "django-admin"}:
        return False
    words = sys.argv[1:]
    if "--" in words:
        words = words[: words.index("--")]
    return words[:1] == ["help"] or any(w in ("-h", "--help", "--version") for w in words)


if SECRET_KEY == DEV_SECRET_KEY and not (DEBUG or _flag("PMO_ALLOW_DEV_KEY")) and not _help_only():
    raise ImproperlyConfigured(
        "PMO_SECRET_KEY is not set: set it to a long random value for production "
        "(or PMO_DEBUG=1 / PMO_ALLOW_DEV_KEY=1 on a development machine)."
    )
if not DEBUG and SECRET_KEY != DEV_SECRET_KEY and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("PMO_SECRET_KEY is too short: use at least 32 random characters.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PMO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
if "test" in sys.argv[0:2] or "pytest" in sys.modules:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from its own static files (not a CDN)
    # before django_tasks_db: Django takes a command from the first app that has one, and
    # pmo.core's ``db_worker`` is django_tasks_db's with a loop that outlives database errors
    "pmo.core",
    "django_tasks",
    "django_tasks_db",
    "axes",  # sign-in throttling (ADR 0011)
    "csp",  # the Content-Security-Policy header (ADR 0011)
    "pmo.accounts",
    "pmo.audit",
    "pmo.portfolio",
    "pmo.resources",
    "pmo.reports",
    "pmo.scheduling",
    "pmo.interop",
    "pmo.governance",
    "pmo.dependencies",
    "pmo.demo",
    "pmo.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "pmo.core.middleware.RejectNulMiddleware",
    "pmo.core.middleware.OutOfRangeMiddleware",
    "pmo.core.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pmo.accounts.middleware.UserLanguageMiddleware",
    "pmo.core.middleware.MethodNotAllowedPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pmo.accounts.middleware.HtmxLoginRedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pmo.config.urls"
WSGI_APPLICATION = "pmo.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pmo.dependencies.context_processors.unread_notifications",
                "pmo.resources.context_processors.capacity",
            ],
        },
    },
]


# Forms render through the project's template engine, so src/pmo/templates/django/forms/
# overrides Django's form templates (a field's errors after its input, not above its label).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"


DATABASE_ENGINES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")
# How long a SQLite writer waits for another's write lock before "database is locked" (a 503,
# pmo.core.busy): a capacity sheet at its 50,000-row limit holds it about 18 s on a small
# machine, so ordinary writes wait it out (ADR 0008, "Busy database"; docs/operations.md).
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def _database(url: str, name: str = "PMO_DATABASE_URL") -> dict[str, object]:
    """Django's database settings for ``url``, read from the variable ``name``."""
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError:
        config = {}
    if config.get("ENGINE") not in DATABASE_ENGINES:
        shown = re.sub(r"//[^/@]*@", "//...@", url)  # never print a password
        raise ImproperlyConfigured(
            f"{name} must be a PostgreSQL or SQLite URL like "
            f"postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////path/to/pmo.sqlite3, "
            f"got {shown!r}"
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers work while one writer commits; IMMEDIATE makes a
            # writer take the lock up front instead of failing half-way.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000};"
            ),
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,  # the same, while connecting
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASE_URL_VARIABLE = "PMO_DATABASE_URL"
DATABASE_URL = (
    os.environ.get("PMO_DATABASE_URL", "").strip() or f"sqlite:///{VAR_DIR / 'pmo.sqlite3'}"
)
if "pytest" in sys.modules and os.environ.get("PMO_TEST_DATABASE_URL", "").strip():
    DATABASE_URL_VARIABLE = "PMO_TEST_DATABASE_URL"
    DATABASE_URL = os.environ["PMO_TEST_DATABASE_URL"].strip()
DATABASES = {"default": _database(DATABASE_URL, DATABASE_URL_VARIABLE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# AxesStandaloneBackend first: it refuses a locked-out username/address before the password is
# checked (ADR 0011). API bearer tokens do not go through these backends.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # the stock backend, reading the user with their person (the top bar names them)
    "pmo.accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portfolio:project_list"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LANGUAGE_CODE = _choice("PMO_LANGUAGE", "en", [code for code, _name in LANGUAGES])
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["pmo.config.formats"]  # digit grouping for Chinese amounts
LANGUAGE_COOKIE_NAME = "pmo_language"
USE_I18N = True
TIME_ZONE = _time_zone("PMO_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (gate deliverables). Never served as static media: every download goes
# through a view that checks the project is visible to the user (no URL maps MEDIA_URL).
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Largest accepted upload, in megabytes.
PMO_MAX_UPLOAD_MB = _int("PMO_MAX_UPLOAD_MB", 20, low=1, high=10_000)

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less header tag
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # no project URLs in the Referer sent to other sites

# Sign-in throttling (django-axes, ADR 0011): after PMO_LOGIN_FAILURE_LIMIT failed sign-ins
# of one username from one address, that pair is refused for PMO_LOGIN_LOCKOUT_MINUTES
# (counted from the last failure); a successful sign-in clears the count.
AXES_FAILURE_LIMIT = _int("PMO_LOGIN_FAILURE_LIMIT", 5, low=1)
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=_int("PMO_LOGIN_LOCKOUT_MINUTES", 15, low=1, high=366 * 24 * 60)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pmo.accounts.views.locked_out"

# Content-Security-Policy (django-csp, ADR 0011): scripts only from this site (no inline
# script, no eval); inline styles stay allowed for the templates' style attributes and the
# server-rendered SVG charts' <style> elements.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# HTTPS (ADR 0011). PMO_HTTPS=1 when users reach the site over https (TLS at a reverse
# proxy in front of ``pmo serve``): HSTS and cookies sent over https only.
PMO_HTTPS = _flag("PMO_HTTPS")
if PMO_HTTPS:
    SECURE_HSTS_SECONDS = _int("PMO_HSTS_SECONDS", 365 * 24 * 3600, low=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("PMO_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = _flag("PMO_HSTS_PRELOAD")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# PMO_PROXY_SSL_HEADER=1 only when the proxy sets X-Forwarded-Proto (and drops the clients'
# own): Django then knows which requests came over https and, with PMO_HTTPS, redirects the
# others there. Trusting the header without such a proxy would let any client claim https.
if _flag("PMO_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = PMO_HTTPS


def _listed(
    name: str, parse: Callable[[str], tuple[str, ...]], default: str = ""
) -> tuple[str, ...]:
    """A comma-separated variable read by ``parse``, whose ``ValueError`` names the entry."""
    try:
        return parse(os.environ.get(name, "").strip() or default)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None


# The reverse proxy in front of ``pmo serve`` (ADR 0017): waitress believes the forwarding
# headers (scheme, client address, host) only from these peers and removes them from any
# other. Empty: no peer is believed, as before.
PMO_TRUSTED_PROXY = _listed("PMO_TRUSTED_PROXY", parse_trusted_proxies)
PMO_TRUSTED_PROXY_HEADERS = _listed(
    "PMO_TRUSTED_PROXY_HEADERS", parse_proxy_headers, ",".join(DEFAULT_PROXY_HEADERS)
)
PMO_TRUSTED_PROXY_COUNT = _int("PMO_TRUSTED_PROXY_COUNT", 1, low=1, high=10)
if PMO_TRUSTED_PROXY and {"x-forwarded-proto", "forwarded"} & set(PMO_TRUSTED_PROXY_HEADERS):
    # the proxy's scheme becomes the request's own (wsgi.url_scheme): Django sees https
    SECURE_SSL_REDIRECT = PMO_HTTPS


def _origins(text: str) -> tuple[str, ...]:
    """``https://pmo.example.com, https://*.example.com:8443``: scheme and host, no path."""
    origins = [origin.strip().rstrip("/") for origin in text.split(",") if origin.strip()]
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path:
            raise ValueError(
                f"{origin!r} is not an origin like https://pmo.example.com "
                "(scheme and host, optionally :port, nothing after)"
            )
    return tuple(origins)


def _https_origin(host: str) -> str | None:
    """The https origin of an allowed host (``.example.com``: its subdomains too)."""
    if host == "*" or host == "testserver":
        return None
    return f"https://*{host}" if host.startswith(".") else f"https://{host}"


# Sign-in and every form check the browser's Origin against these (ADR 0017). Under
# PMO_HTTPS the allowed hosts over https count by default, so a proxy that does not say
# the request came over https does not make every form a 403.
CSRF_TRUSTED_ORIGINS = list(_listed("PMO_CSRF_TRUSTED_ORIGINS", _origins))
if not CSRF_TRUSTED_ORIGINS and PMO_HTTPS:
    CSRF_TRUSTED_ORIGINS = [o for h in ALLOWED_HOSTS if (o := _https_origin(h)) is not None]

# Every list of the API pages by pmo.core.api.Pages: 50 rows a page unless the list says
# another, ?page_size= up to 500 (above is a 422 naming it, not a shorter page). django-ninja
# reads the cap as NINJA_MAX_PER_PAGE_SIZE (not NINJA_PAGINATION_...: that name was ignored,
# which left its own cap of 100 and silently cut pages of 200 to 100 rows).
NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 500

# How long after a reporting period ends the PM has to submit (days).
PMO_REPORT_GRACE_DAYS = _int("PMO_REPORT_GRACE_DAYS", 2, low=0, high=31)

# The PMO's currency: budgets are totalled and the steering committee's cost threshold is
# held in it; other currencies are converted with the PMO's exchange rates (ADR 0016).
PMO_BASE_CURRENCY = os.environ.get("PMO_BASE_CURRENCY", "").strip().upper() or "CNY"
if PMO_BASE_CURRENCY not in list_currencies() or PMO_BASE_CURRENCY in NOT_MONEY:
    raise ImproperlyConfigured(
        "PMO_BASE_CURRENCY must be the ISO 4217 code of a country's or area's money like CNY "
        f"or USD, got {PMO_BASE_CURRENCY!r}"
    )

# A change request above any of these needs the steering committee (issue #7); the cost is
# in PMO_BASE_CURRENCY.
PMO_CHANGE_THRESHOLDS = {
    "slip_days": _int("PMO_CHANGE_STEERING_DAYS", 10, low=0),
    "cost": _int("PMO_CHANGE_STEERING_COST", 1_000_000, low=0),
    "effort": _int("PMO_CHANGE_STEERING_EFFORT", 200, low=0),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_in_one_line": {"()": "pmo.core.logs.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # a 403 or 404 is one line in the log; a 500 keeps its traceback
    "loggers": {"django.request": {"filters": ["refusals_in_one_line"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

if "pytest" in sys.modules:
    # Tests create many users: a fast hasher keeps the suite quick (never used outside tests).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
