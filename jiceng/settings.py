"""Settings for jiceng, read from the environment with safe defaults.

JICENG_ENV chooses the profile:
- ``production`` (default): DEBUG off, secrets and keys must come from the environment.
- ``demo``: the local demo (make demo), fixed demo-only keys.
- ``test``: the test suite, fixed test-only keys.
"""

import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
JICENG_ENV = os.environ.get("JICENG_ENV", "production")
if JICENG_ENV not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(
        f"JICENG_ENV must be production, demo or test, not {JICENG_ENV!r}"
    )
IS_PRODUCTION = JICENG_ENV == "production"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_required(name, demo_value):
    """Return an environment secret; outside production fall back to a demo value."""
    value = os.environ.get(name)
    if value:
        return value
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} must be set in production (see docs/deploy.md)"
        )
    return demo_value


# Every profile users see (the demo included) serves the Chinese 403/404/500 pages;
# Django's debug pages (with the URL map) only when a developer asks: JICENG_DEBUG=1
# (DJANGO_DEBUG is read as well, for existing setups).
DEBUG = env_bool("JICENG_DEBUG", default=env_bool("DJANGO_DEBUG", default=False))
SECRET_KEY = env_required(
    "DJANGO_SECRET_KEY", "demo-only-secret-key-not-for-production-use"
)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]

# Field encryption (SM4-GCM) and blind index (HMAC-SM3) keys, hex encoded.
# JICENG_FIELD_KEYS is "id:hexkey[,id:hexkey…]"; the last one encrypts, all decrypt.
JICENG_FIELD_KEYS = env_required(
    "JICENG_FIELD_KEYS", "1:0123456789abcdef0123456789abcdef"
)
JICENG_INDEX_KEY = env_required(
    "JICENG_INDEX_KEY",
    "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "jiceng.core",
    "jiceng.places",
    "jiceng.party",
    "jiceng.people",
    "jiceng.transfer",
    "jiceng.cases",
    "jiceng.notices",
    "jiceng.volunteer",
    "jiceng.alliances",
    "jiceng.deliberation",
    "jiceng.accounts",
    "jiceng.onewindow",
    "jiceng.intelligence",
    "jiceng.workforce",
    "jiceng.assessment",
    "jiceng.home",
    "jiceng.insight",
    "jiceng.screen",
    "jiceng.atlas",
    "jiceng.portal",  # the public portal (/public/), top layer
    "jiceng.demo",  # seeds every app above: installed last
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiceng.core.middleware.RequestContextMiddleware",
    "jiceng.core.middleware.RefuseNulMiddleware",
    "axes.middleware.AxesMiddleware",
    "jiceng.accounts.middleware.InitialPasswordMiddleware",
]

ROOT_URLCONF = "jiceng.urls"
WSGI_APPLICATION = "jiceng.wsgi.application"

# django-ninja's API docs page needs its templates and static files, added by path
# rather than as an installed app: an app is imported at start-up, and processes
# that serve no API (the task worker, an import's second process) would load
# ninja and pydantic for nothing (~17 MB each). jiceng.api renders the page.
NINJA_DIR = Path(find_spec("ninja").origin).parent

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jiceng" / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiceng.home.context_processors.navigation",
                "jiceng.notices.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
VAR_DIR = Path(os.environ.get("JICENG_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiceng.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist as on PostgreSQL (DB_CONN_MAX_AGE): reconnecting and
    # re-running the PRAGMAs cost ~6 ms a request, a third of a case report.
    # Writers queue at a file lock, not in SQLite's sleeping busy handler.
    DATABASES["default"]["ENGINE"] = "jiceng.core.sqlite"
    # In-memory test databases, as for Django's own engine (pytest-django's xdist
    # naming recognises only that engine by name).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE makes writers queue for the lock instead of failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries for many users at once (load test, city size): no JIT (a 300 ms
    # dashboard query spent 145 ms compiling itself) and no parallel workers (a
    # grid worker's newest 20 cases took 4 s: Gather Merge waits for every worker,
    # and a worker whose part of the time index holds none of the grid's cases
    # scanned millions of rows; 28 ms in one process). Parallel workers would also
    # take the cores of the other requests. Random reads priced as on SSD or in
    # cache (random_page_cost 1.1, PostgreSQL's default 4 assumes spinning disks):
    # a community's party meetings in a city where every district holds them were
    # read by hashing all 163k meetings (23 ms), not by each of its 222
    # organisations' index (0.5 ms).
    # Options the URL brings (a benchmark's search_path) are kept, after ours.
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = " ".join(
        part
        for part in (
            "-c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1",
            pg_options.get("options", ""),
        )
        if part
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "jiceng.core.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiceng.core.validators.MixedCharacterPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "home:workbench"
LOGOUT_REDIRECT_URL = "core:login"

# Login lockout (django-axes): five failures lock the account for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("JICENG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("JICENG_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
# Lock the account, not the address: a whole street office often shares one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after 30 idle minutes; every request renews the clock.
SESSION_COOKIE_AGE = int(os.environ.get("JICENG_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Security headers.
HTTPS = env_bool("JICENG_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("JICENG_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Reverse proxies whose X-Real-IP header the audit log believes (comma-separated).
JICENG_TRUSTED_PROXIES = {
    ip.strip()
    for ip in os.environ.get("JICENG_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
    if ip.strip()
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Leaflet and Swagger UI set inline styles; scripts stay strict.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"]
        + [u for u in [os.environ.get("JICENG_TILE_ORIGIN", "")] if u],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "jiceng" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "jiceng" / "static", NINJA_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the app folders (no collectstatic),
# whatever DEBUG says; production serves the collected, hashed and compressed copies.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("JICENG_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Background work through Django's tasks interface (database backend).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "JICENG_TASK_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if JICENG_ENV == "test"
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Notifications that leave the platform (notices/channels/). Off unless configured:
# an SMS gateway by JICENG_SMS_URL, WeChat template messages by JICENG_WECHAT_APPID.
# JICENG_NOTICE_OUTBOX=file|console shows unconfigured SMS/WeChat messages instead of
# sending them (the demo writes var/messages/sms.log and wechat.log).
JICENG_SMS_URL = os.environ.get("JICENG_SMS_URL", "")
JICENG_SMS_KEY = os.environ.get("JICENG_SMS_KEY", "")
JICENG_SMS_SECRET = os.environ.get("JICENG_SMS_SECRET", "")
JICENG_SMS_TEMPLATE = os.environ.get("JICENG_SMS_TEMPLATE", "")
JICENG_SMS_SIGN = os.environ.get("JICENG_SMS_SIGN", "")
JICENG_SMS_TIMEOUT = float(os.environ.get("JICENG_SMS_TIMEOUT", "5"))
JICENG_WECHAT_APPID = os.environ.get("JICENG_WECHAT_APPID", "")
JICENG_WECHAT_SECRET = os.environ.get("JICENG_WECHAT_SECRET", "")
JICENG_WECHAT_TEMPLATE = os.environ.get("JICENG_WECHAT_TEMPLATE", "")
JICENG_WECHAT_API = os.environ.get("JICENG_WECHAT_API", "https://api.weixin.qq.com")
JICENG_WECHAT_FIELDS = {
    "content": os.environ.get("JICENG_WECHAT_FIELD_CONTENT", "thing1"),
    "time": os.environ.get("JICENG_WECHAT_FIELD_TIME", "time2"),
}
JICENG_SITE_URL = os.environ.get("JICENG_SITE_URL", "")
JICENG_NOTICE_OUTBOX = os.environ.get(
    "JICENG_NOTICE_OUTBOX", "file" if JICENG_ENV == "demo" else ""
)
_OUTBOXES = {
    "file": "jiceng.notices.channels.outbox.FileChannel",
    "console": "jiceng.notices.channels.outbox.ConsoleChannel",
}
JICENG_NOTICE_ADAPTERS = {
    "sms": "jiceng.notices.channels.sms.SmsChannel"
    if JICENG_SMS_URL
    else _OUTBOXES.get(JICENG_NOTICE_OUTBOX, ""),
    "wechat": "jiceng.notices.channels.wechat.WeChatChannel"
    if JICENG_WECHAT_APPID
    else _OUTBOXES.get(JICENG_NOTICE_OUTBOX, ""),
}
# A failed message is tried again after 1, 2, 4 … times this many seconds.
JICENG_NOTICE_MAX_ATTEMPTS = int(os.environ.get("JICENG_NOTICE_MAX_ATTEMPTS", "5"))
JICENG_NOTICE_RETRY_SECONDS = int(os.environ.get("JICENG_NOTICE_RETRY_SECONDS", "60"))

# Map: the district's own geometry is the base layer (places:basemap); tiles go under it
# only where an intranet tile server is configured (e.g. 天地图 intranet, self-hosted).
# Exports of more rows than this are written by the task worker and downloaded from
# their job page; smaller ones are written during the request (transfer.services).
JICENG_EXPORT_INLINE_ROWS = int(os.environ.get("JICENG_EXPORT_INLINE_ROWS", "2000"))
# Imports of at least this many rows prepare chunks in a second process (pipeline.py).
JICENG_IMPORT_WORKER_MIN_ROWS = int(
    os.environ.get("JICENG_IMPORT_WORKER_MIN_ROWS", "50000")
)
# At most this many chunks are prepared by the writer while the worker starts; then it
# waits for the worker. Unset: as many as it takes (never slower on a busy machine).
JICENG_IMPORT_WORKER_HEAD_START = (
    int(os.environ["JICENG_IMPORT_WORKER_HEAD_START"])
    if os.environ.get("JICENG_IMPORT_WORKER_HEAD_START")
    else None
)
JICENG_TILE_URL = os.environ.get("JICENG_TILE_URL", "")
# KPI 红黑榜: named only among at least this many places, each with this many cases.
JICENG_KPI_RANK_MIN_PLACES = int(os.environ.get("JICENG_KPI_RANK_MIN_PLACES", "3"))
JICENG_KPI_RANK_MIN_CASES = int(os.environ.get("JICENG_KPI_RANK_MIN_CASES", "5"))
JICENG_DISTRICT_NAME = os.environ.get("JICENG_DISTRICT_NAME", "")
# How often the big screen (/screen/) refreshes its data, in seconds.
JICENG_SCREEN_POLL_SECONDS = int(os.environ.get("JICENG_SCREEN_POLL_SECONDS", "30"))
# The web process's garbage collector (jiceng/gc_tuning.py): "" freezes the loaded
# site and keeps Python's thresholds, "gen0,gen1,gen2" sets them, "off" leaves it.
JICENG_GC_THRESHOLD = os.environ.get("JICENG_GC_THRESHOLD", "")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
# Bounds the offset too (ninja's own class leaves it open to any integer).
NINJA_PAGINATION_CLASS = "jiceng.core.pagination.BoundedPagination"

# Logs never carry ID numbers or phones: every handler runs the PII scrubber.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_pii": {"()": "jiceng.core.logging.ScrubPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["scrub_pii"],
            "formatter": "plain",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("JICENG_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Phone-ready controls (issue 16): every form renders through jiceng's widget templates
# (dates as 年-月-日, Chinese file buttons, form-checks, 请选择), dates are written and
# read as 2026-03-05 first, and an empty choice in a filter reads 全部.
FORM_RENDERER = "jiceng.core.forms.FormRenderer"
FORMAT_MODULE_PATH = ["jiceng.formats"]
FILTERS_EMPTY_CHOICE_LABEL = "全部"

# 智能派遣与未诉先办 (jiceng.intelligence): below this many closed cases suggestions
# come from routing rules and keywords; detection's cluster, repeat and rise limits.
INTELLIGENCE_MIN_CASES = int(os.environ.get("JICENG_DISPATCH_MIN_CASES", "100"))
INTELLIGENCE_CLUSTER_METRES = float(os.environ.get("JICENG_CLUSTER_METRES", "200"))
INTELLIGENCE_CLUSTER_DAYS = float(os.environ.get("JICENG_CLUSTER_DAYS", "7"))
INTELLIGENCE_CLUSTER_MIN_CASES = int(os.environ.get("JICENG_CLUSTER_MIN_CASES", "5"))
INTELLIGENCE_REPEAT_DAYS = int(os.environ.get("JICENG_REPEAT_DAYS", "30"))
