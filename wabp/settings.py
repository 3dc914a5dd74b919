"""Settings for the WABP portal, read from the environment.

Every setting that differs between machines comes from an environment variable
through one of the typed helpers below; README.md has the full table. With DEBUG
off, a missing or malformed value stops the process instead of falling back.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo logins with a known password over the demo data (wabp/demo.py, manage.py demo_logins).
# On only with DEBUG unless set; `manage.py check --deploy` warns when it is on.
DEMO_LOGINS = env_bool("DEMO_LOGINS", DEBUG)

# Public address of the portal, used in e-mailed links (no request is at hand in a task).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "wabp.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "leaflet",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wabp.apps.TasksConfig",  # django_tasks_db, named in Dutch
    # The board's audit trail of what admins, staff and the board do (groups/audit.py).
    "auditlog",
    # CORS for the open data API only (CORS_URLS_REGEX below).
    "corsheaders",
    "wabp",
    "postcodes",
    "groups",
    "elearning",
    "panels",
]

MIDDLEWARE = [
    "wabp.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer on its own (WhiteNoise, CommonMiddleware's redirects),
    # so those answers on /api/ carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wabp.middleware.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "wabp.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wabp.two_factor.middleware.SecondFactorMiddleware",
    # Puts the logged-in user on every audit-log entry written during the request.
    "auditlog.middleware.AuditlogMiddleware",
    "wabp.middleware.MessageMiddleware",
    "wabp.middleware.NeverCacheForLoggedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wabp.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wabp.urls"

# Open data API (groups/opendata): any site may read it from the browser; nothing else on
# the portal is shared across origins, and no cookie is ever sent along.
CORS_URLS_REGEX = r"^/(en/)?api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
# Safelisted headers need no exposing; these let a script revalidate and read the licence.
CORS_EXPOSE_HEADERS = ("ETag", "Link")
WSGI_APPLICATION = "wabp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL only. `make run`/`make test` point DATABASE_URL at the
# embedded server when it is not set.
_database_url = env_str("DATABASE_URL")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set (make run / make test set it to the embedded PostgreSQL)."
    )
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL.")
DATABASES["default"]["OPTIONS"] = {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5)}
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}

AUTH_USER_MODEL = "wabp.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "groups:dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling: lock a user name from one IP address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Django's login forms post the e-mail address as "username" (axes defaults to USERNAME_FIELD).
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind PROXY_COUNT reverse proxies the client's address comes from X-Forwarded-For; the
# rate limits and django-axes read it through the same function.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "wabp.ratelimit.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # no per-attempt rows with IP addresses

# Two-factor login (django-otp: an authenticator app plus recovery codes), required for the
# board, municipality staff and the police, optional for everyone else; see wabp/two_factor/.
# A wrong code counts as a failed login for django-axes too, so the code field is kept out
# of axes' records like the password.
OTP_TOTP_ISSUER = "WABP-portaal"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# The police's own mail domains: a police access request needs a work address on one of
# them (groups.police). Subdomains do not count.
POLICE_MAIL_DOMAINS = env_list("POLICE_MAIL_DOMAINS", ["politie.nl"])

# Internationalisation: Dutch first (no prefix), English under /en/; the URL alone decides
# (wabp.middleware.UrlLanguageMiddleware), so no language cookie.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Content written as files: the site's pages (manage.py load_pages) and the e-learning
# courses (manage.py load_courses).
PAGES_DIR = BASE_DIR / "wabp" / "content"
COURSES_DIR = BASE_DIR / "elearning" / "content"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# The map data per data version, built and compressed once for all workers (groups/maps/geojson.py).
MAP_DATA_DIR = Path(env_str("MAP_DATA_DIR", str(BASE_DIR / "var" / "map")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The maps' bundled borders (postcodes/static/postcodes/boundaries/) are JSON by another name.
WHITENOISE_MIMETYPES = {".topojson": "application/json"}

# A small cache in each worker process. Keys of data derived from groups carry the
# database's map version (groups.MapVersion), so workers never need to tell each other.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Whole public pages for anonymous visitors (wabp/pagecache.py), apart so that pages
    # (tens of KB each) cannot push out the small entries above. Keyed by data version too.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",  # LocMemCaches with the same LOCATION share one store
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 2000)},
    },
}
PAGE_CACHE_ALIAS = "pages"
# How long a proxy, CDN or browser may keep a public page without asking again (seconds).
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)
# How long a worker keeps a page whose data did not change (bounds pages that show dates).
PAGE_CACHE_TIMEOUT = 60 * 60

# Mail (Django 6.1 MAILERS). EMAIL_FILE_PATH writes each message to a file in that
# folder (development, tests); otherwise SMTP with a timeout.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "WhatsApp BuurtPreventie <noreply@wabp.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_file_path = env_str("EMAIL_FILE_PATH")
if _email_file_path:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": _email_file_path},
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }

# Background work: Django's Tasks framework, stored in PostgreSQL (django-tasks-db),
# run by `manage.py db_worker`. Tasks take ids, never personal data.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The "still active?" round asks at most this many groups per run (hourly, 08:30-20:30):
# a first round over a backlog goes out over days, not in one burst (wabp/schedule.py).
RECONFIRM_PER_RUN = env_int("RECONFIRM_PER_RUN", 100)

# Security. Behind a TLS-terminating proxy set TRUST_X_FORWARDED_PROTO=1.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# __Host- cookies must be Secure; the prefix binds them to this exact host.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Base map tiles. Empty: the map draws the bundled outline of the Netherlands and
# makes no request to any tile server.
MAP_TILES_URL = env_str("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "Kaartgegevens © Kadaster")
_tiles_origin = "/".join(MAP_TILES_URL.split("/")[:3]) if MAP_TILES_URL else None

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tiles_origin] if _tiles_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (52.2, 5.3),
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 6,
    "MAX_ZOOM": 16,
    "SPATIAL_EXTENT": (3.2, 50.7, 7.3, 53.6),
    "TILES": [(_("Achtergrondkaart"), MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
    if MAP_TILES_URL
    else [],
    "ATTRIBUTION_PREFIX": "Postcodegegevens © GeoNames (CC BY 4.0)",
    "RESET_VIEW": False,
}

# One handler, whose filter keeps personal data out of the log (wabp/logs.py). Django's own
# handlers on the "django" logger (a second, unfiltered console in DEBUG; mail to ADMINS,
# which is not set) are replaced by passing its records on to it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_personal_data": {"()": "wabp.logs.RedactPersonalData"},
        "one_line_per_task": {"()": "wabp.logs.OneLinePerTask"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_line_per_task", "no_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
    },
}

# How long personal data is kept (days); docs/privacy.md explains each.
# The audit trail records who did what, not from where: no IP addresses.
AUDITLOG_DISABLE_REMOTE_ADDR = True

RETENTION_DAYS = {
    "join_request_handled": 30,
    "join_request_open": 60,
    "outbound_email": 30,
    "task_results": 14,
    "scheduled_runs": 90,  # the schedule's record of runs (no personal data)
    "axes_attempts": 30,
}
