"""Newsroom's one settings module: safe defaults, everything else from the environment.

The embedded default is SQLite, a local-memory cache and a local media folder; set
``DATABASE_URL``, ``REDIS_URL`` and friends to run big. ``DEBUG`` is off unless
``DJANGO_DEBUG`` asks for it, and a non-debug start refuses to run without
``DJANGO_SECRET_KEY``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_prose_editor
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Newsroom refuses to start without a secret key "
            "unless DJANGO_DEBUG=1 (local development only). Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    # Development only: a fixed, clearly-labelled key so sessions survive restarts.
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")


def _base_url(value):
    """``NEWSROOM_BASE_URL``: a scheme and a host (and port), nothing else; refused with the reason otherwise."""
    from urllib.parse import urlsplit

    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"NEWSROOM_BASE_URL={value!r} is not an origin: expected a scheme and a host only, "
            "e.g. https://www.example.org or http://127.0.0.1:8000"
        )
    return value


# The site's canonical origin (newsroom.security.origin): every absolute URL in feeds, sitemaps, structured
# data, preview links and the API starts with it, never with the request's Host header. The default
# fits the embedded run (make run); production sets its public https origin.
NEWSROOM_BASE_URL = _base_url(os.environ.get("NEWSROOM_BASE_URL") or "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # Full-text search on PostgreSQL (SearchVector, SearchHeadline); harmless on SQLite.
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # Before newsroom: its admin registers the library's own key model, which newsroom's unregisters.
    "rest_framework_api_key",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "newsroom",
    "faq",
    "media_clips",
    # Revisions of articles with their FAQ items, liveblog placements and broadcast mentions.
    "reversion",
    # The rich text editor's assets (newsroom.fields.RichTextFormField).
    "django_prose_editor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy (below) on every response, and what newsroom.headers adds to it.
    "csp.middleware.CSPMiddleware",
    "newsroom.security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # What every response carries, revalidations answered early included (the frame options
    # and the language apply to every response; the host check refuses a foreign Host).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A matching conditional GET of a public page or an API document is a 304 from here.
    "newsroom.caching.early.RevalidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in (newsroom.security.two_factor): request.user.is_verified(), and where required, enforced.
    "django_otp.middleware.OTPMiddleware",
    "newsroom.security.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last: turns a locked-out sign-in into its German page (newsroom.security.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "newsroom.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# How long a save waits for a database that another save holds (seconds); an admin save that
# still meets a busy database is tried once more, then refused with its input kept
# (newsroom.admin.saving).
NEWSROOM_DATABASE_WAIT = float(os.environ.get("NEWSROOM_DATABASE_WAIT", "4"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins, so two saves queue up (for at most
    # the wait) instead of one failing at its first write ("database is locked"); the WAL journal
    # lets readers go on while a save writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": NEWSROOM_DATABASE_WAIT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # A Redis that is down or stuck costs a request at most this long (newsroom.caching.faults
            # goes on without it); the defaults would wait for the operating system's TCP timeout.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("NEWSROOM_REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("NEWSROOM_REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    # Bounded: the response cache (newsroom.caching) keeps at most this many pages per process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("NEWSROOM_LOCAL_CACHE_ENTRIES", "2000"))},
        }
    }

# Sign-in lockout (django-axes, newsroom.security.lockout): after NEWSROOM_LOGIN_FAILURES wrong
# passwords for one user from one address, that pair waits NEWSROOM_LOGIN_COOLOFF_MINUTES (or until
# an administrator deletes the entry under "Zugriffsversuche").
AUTHENTICATION_BACKENDS = [
    "newsroom.security.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout.locked_out"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, TOTP): offered to all staff; with NEWSROOM_REQUIRE_2FA, superusers
# and the "Chef vom Dienst" role reach the admin only after the code of their authenticator app.
NEWSROOM_REQUIRE_2FA = env_bool("NEWSROOM_REQUIRE_2FA")
OTP_TOTP_ISSUER = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
# The rich text editor's dialogs in German: its JavaScript catalogue joins the admin's.
LOCALE_PATHS = [Path(django_prose_editor.__file__).resolve().parent / "locale"]
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves MEDIA_URL from MEDIA_ROOT itself (media_clips.views), also with DEBUG off: the
# single-machine production works out of the box. Off where a web server or object storage does.
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", True)

# Object storage (S3-compatible, django-storages): with NEWSROOM_S3_BUCKET, uploads and their
# renditions go to the bucket and pages link to it (NEWSROOM_S3_PUBLIC_URL, e.g. a CDN in front, or
# the endpoint's own address); Django then serves no media. Credentials come from the environment
# (NEWSROOM_S3_ACCESS_KEY/NEWSROOM_S3_SECRET_KEY, or boto3's own AWS_* variables and roles).
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
if NEWSROOM_S3_BUCKET:
    _s3_endpoint = os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or None
    _s3_public = (
        os.environ.get("NEWSROOM_S3_PUBLIC_URL")
        or (f"{_s3_endpoint.rstrip('/')}/{NEWSROOM_S3_BUCKET}" if _s3_endpoint else "")
        or f"https://{NEWSROOM_S3_BUCKET}.s3.amazonaws.com"
    ).rstrip("/")
    _s3_options = {
        "bucket_name": NEWSROOM_S3_BUCKET,
        "endpoint_url": _s3_endpoint,
        "region_name": os.environ.get("NEWSROOM_S3_REGION") or None,
        "access_key": os.environ.get("NEWSROOM_S3_ACCESS_KEY") or None,
        "secret_key": os.environ.get("NEWSROOM_S3_SECRET_KEY") or None,
        # Public media: plain, stable URLs (no signed query strings, which would change every
        # page and its ETag); names are never overwritten.
        "querystring_auth": False,
        "file_overwrite": False,
        "custom_domain": _s3_public.split("://", 1)[1],
        "url_protocol": _s3_public.split("://", 1)[0] + ":",
        "object_parameters": {"CacheControl": "public, max-age=86400"},
    }
    MEDIA_URL = _s3_public + "/"
    NEWSROOM_SERVE_MEDIA = False

STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
        if NEWSROOM_S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        # Hashed, compressed files in production; plain ones while developing and
        # testing, so neither needs a prior collectstatic run.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"


def _origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# The Content-Security-Policy (django-csp) of every response: scripts only from this site, or
# inline with the request's nonce (the admin's editor import map); no plugins, no framing, no
# forms to elsewhere. Videos may come from any https host an editor enters; images from this
# site or the media storage's origin. newsroom.headers relaxes styles for the admin and Swagger UI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, *filter(None, [_origin(MEDIA_URL)])],
        "media-src": [SELF, "https:", *filter(None, [_origin(MEDIA_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default (the embedded run speaks plain HTTP); a TLS deployment turns them on.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")

# Partner API (Django REST framework). Deny by default: every view needs a partner
# key or a staff session; throttled per key.
NEWSROOM_API_RATE = os.environ.get("NEWSROOM_API_RATE", "1000/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 with WWW-Authenticate: Api-Key.
        "newsroom.api.auth.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["newsroom.api.auth.IsPartnerOrStaff"],
    "DEFAULT_THROTTLE_CLASSES": ["newsroom.api.auth.PartnerKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {"partner": NEWSROOM_API_RATE},
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "newsroom.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom Partner-API",
    "DESCRIPTION": (
        "Lesender Zugang zu den veröffentlichten Artikeln (Erklärstücke, FAQ, Nachrichten, Analysen) "
        "für Partnerorganisationen, auch als IPTC ninjs 3.2. Jede Anfrage trägt den Schlüssel im Header "
        "`Authorization: Api-Key <Schlüssel>`; Listen sind cursor-paginiert (dem Link in `next` folgen), "
        "Dokumente tragen `ETag` und `Last-Modified` für bedingte Abrufe (304). Änderungen, auch Rücknahmen und "
        "Löschungen, kommen als signierte Webhooks (Standard Webhooks: Header `webhook-id`, `webhook-timestamp`, "
        "`webhook-signature`; Inhalt `WebhookEvent`, siehe `x-webhooks`) oder über `/api/v1/articles/changes/`. "
        "Anleitung: docs/partners.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Partners see only their scheme; the staff's session sign-in (browsable API) is not theirs.
    "AUTHENTICATION_WHITELIST": ["newsroom.api.auth.PartnerKeyAuthentication"],
    # Named after what they are, not "TypeEnum".
    "ENUM_NAME_OVERRIDES": {"EventTypeEnum": "newsroom.models.ArticleEvent.Type"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "newsroom.api.schema.german_descriptions",
    ],
}

# The site's name, shown in the header and used as publisher name.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")

# Caching (newsroom.caching): anonymous pages, feeds, sitemaps and the API's documents are kept
# in Django's cache, keyed by their stamp; the cache in front is told of changes by a purger.
NEWSROOM_RESPONSE_CACHE = env_bool("NEWSROOM_RESPONSE_CACHE", True)
NEWSROOM_PURGER = os.environ.get("NEWSROOM_PURGER", "newsroom.caching.purge.Purger")
NEWSROOM_VARNISH_URLS = env_list("NEWSROOM_VARNISH_URLS")
if NEWSROOM_VARNISH_URLS and "NEWSROOM_PURGER" not in os.environ:
    NEWSROOM_PURGER = "newsroom.caching.purge.VarnishPurger"
# A purge is tried at once for this long (an editor's save waits for it); one Varnish did not take
# goes to the task queue and is tried again after each of these delays (seconds; together they
# cover the shared max-age, after which the cache's copy ends anyway).
NEWSROOM_VARNISH_PURGE_TIMEOUT = float(os.environ.get("NEWSROOM_VARNISH_PURGE_TIMEOUT", "1"))
NEWSROOM_PURGE_RETRY_DELAYS = [
    float(delay) for delay in env_list("NEWSROOM_PURGE_RETRY_DELAYS", "1,5,15,30,60,120,120")
]


def _code_version():
    """A digest of the code and templates: a deployment that changes what pages look like changes every ETag."""
    import hashlib

    digest = hashlib.blake2b(digest_size=6)
    for folder in ("newsroom", "faq", "media_clips", "templates"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".xml", ".txt"} and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()


NEWSROOM_CACHE_VERSION = os.environ.get("NEWSROOM_CACHE_VERSION") or _code_version()

# How long a shareable preview link (/vorschau/…) works, in seconds; 48 hours by default.
NEWSROOM_PREVIEW_MAX_AGE = int(os.environ.get("NEWSROOM_PREVIEW_MAX_AGE", "172800"))

# Uploads (media_clips.validators): an image is refused above these limits before it is decoded,
# a video file above its own; the editors' message names the limit.
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", str(40_000_000)))
NEWSROOM_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
NEWSROOM_MAX_VIDEO_BYTES = int(os.environ.get("NEWSROOM_MAX_VIDEO_BYTES", str(2 * 1024 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Background work (Django's Tasks API through the django-tasks backport; newsroom.webhooks): the
# webhook deliveries and the outbox relay run in a worker beside the web server
# (``manage.py run_worker``, started by ``make run``), never in an editor's request. The embedded
# default is the database queue (django-tasks-db); NEWSROOM_TASK_QUEUE=redis runs the same tasks on
# RQ with the Redis at NEWSROOM_TASK_REDIS_URL (default REDIS_URL).
NEWSROOM_TASK_QUEUE = os.environ.get("NEWSROOM_TASK_QUEUE", "database").strip().lower()
NEWSROOM_TASK_REDIS_URL = os.environ.get("NEWSROOM_TASK_REDIS_URL") or REDIS_URL or "redis://127.0.0.1:6379/0"
if NEWSROOM_TASK_QUEUE == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}}
elif NEWSROOM_TASK_QUEUE == "redis":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "webhooks"]}}
else:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASK_QUEUE={NEWSROOM_TASK_QUEUE!r}: expected 'database' (the embedded default) or 'redis'."
    )
# RQ's queues (used with NEWSROOM_TASK_QUEUE=redis): short timeouts, so a Redis that is away
# costs an enqueue a second, not a request's worth of waiting.
RQ_QUEUES = {
    name: {"URL": NEWSROOM_TASK_REDIS_URL, "DEFAULT_TIMEOUT": 60, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 5}
    for name in ("default", "webhooks")
}
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "django_rq"]

# Webhooks (newsroom.webhooks): a delivery waits this long for the receiver's answer; a failed one
# is tried again after each of these delays (seconds, with ±10 % jitter: about a day in all, the
# Standard Webhooks schedule), then it counts as failed and its endpoint is switched off.
NEWSROOM_WEBHOOK_TIMEOUT = float(os.environ.get("NEWSROOM_WEBHOOK_TIMEOUT", "5"))
NEWSROOM_WEBHOOK_RETRY_DELAYS = [
    float(delay) for delay in env_list("NEWSROOM_WEBHOOK_RETRY_DELAYS", "5,300,1800,7200,18000,36000,36000")
]
# A delivery handed to the queue but not attempted within this many seconds (a lost job, a
# restarted Redis without persistence) is handed over again.
NEWSROOM_WEBHOOK_REQUEUE_AFTER = float(os.environ.get("NEWSROOM_WEBHOOK_REQUEUE_AFTER", "300"))
# Targets: with DEBUG on, only loopback and these hosts; with DEBUG off, any public address plus
# these hosts; private, link-local and reserved ranges only with NEWSROOM_WEBHOOK_ALLOW_PRIVATE.
NEWSROOM_WEBHOOK_ALLOWED_HOSTS = env_list("NEWSROOM_WEBHOOK_ALLOWED_HOSTS")
NEWSROOM_WEBHOOK_ALLOW_PRIVATE = env_bool("NEWSROOM_WEBHOOK_ALLOW_PRIVATE")

# Mail (the notice to superusers when an endpoint is switched off): SMTP from the environment;
# while developing, mails are printed on the console.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
# What the outbox calls after a commit that noted a change (newsroom.services.outbox).
NEWSROOM_OUTBOX_RELAY = "newsroom.webhooks.tasks.relay_soon"
# How often the worker's own relay pass runs (seconds): it picks up what a lost task left.
NEWSROOM_RELAY_INTERVAL = float(os.environ.get("NEWSROOM_RELAY_INTERVAL", "2"))
