"""Settings, all from the environment (see README "Configuration")."""

import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets the code write the generics mypy checks (forms.ModelForm[Unit]) at runtime too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LUOSHI_DATA_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("LUOSHI_DEBUG", False)
# The public development key serves the demo (debug on) only: a server with debug off refuses to start without
# its own key, since anyone holding the key can forge sessions.
SECRET_KEY = os.environ.get("LUOSHI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "LUOSHI_SECRET_KEY is not set. Set it to a long random string (e.g. `python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`) in the server's environment, or LUOSHI_DEBUG=true for a demo."
        )
    SECRET_KEY = "luoshi-insecure-development-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("LUOSHI_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("LUOSHI_CSRF_TRUSTED_ORIGINS", "")
# Behind the reverse proxy the README describes: it sets X-Forwarded-Proto and appends X-Forwarded-For.
LUOSHI_BEHIND_PROXY = env_bool("LUOSHI_BEHIND_PROXY", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "luoshi.audit",
    "luoshi.org",
    "luoshi.plans",
    "luoshi.reporting",
    "luoshi.alerts",
    "luoshi.notices",
    "luoshi.assessment",
    "luoshi.arena",
    "luoshi.goals",
    "luoshi.innovation",
    "luoshi.projects",
    "luoshi.security",
    "luoshi.front",
    "luoshi.bulletins",
    "luoshi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "luoshi.security.middleware.SessionPolicyMiddleware",
    "luoshi.security.middleware.no_store_when_signed_in",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "luoshi.audit.middleware.AuditRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

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
                "django.template.context_processors.i18n",
                "luoshi.notices.context.unread",
            ],
        },
    }
]


def database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'luoshi.sqlite3'}"
    max_age = int(os.environ.get("LUOSHI_DB_CONN_MAX_AGE", "60"))
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=max_age))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while a writer commits; IMMEDIATE transactions plus a busy timeout turn
        # concurrent writers into short waits instead of "database is locked" errors.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL")
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "luoshi.security.backends.LoginProtectionBackend",  # django-axes: refuses locked accounts and addresses
    "django.contrib.auth.backends.ModelBackend",
]
# Login protection (等保 2.0): failures are counted per account and per address; limits come from the strictest
# zone of the account (5 failures lock for 30 minutes unless a zone's admin sets otherwise).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "luoshi.security.lockout.failure_limit"
AXES_COOLOFF_TIME = "luoshi.security.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "luoshi.security.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "luoshi.security.login_views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "落实 Luoshi"
SESSION_COOKIE_AGE = 24 * 3600  # the zones' lifetimes (at most 24 h) are enforced by the security middleware
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = os.environ.get("LUOSHI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("LUOSHI_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# After `luoshi collectstatic` files are served hashed and compressed from STATIC_ROOT; before it (development,
# tests, a first start) whitenoise serves them straight from the source folders.
COLLECTED = (STATIC_ROOT / "staticfiles.json").exists()
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not COLLECTED

# Uploads: the plan import accepts files up to 20 MB and says so itself, so Django must let them through.
LUOSHI_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# What an .xlsx or .docx may expand to (luoshi.sheets.guard): the upload limit is on the compressed file.
LUOSHI_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = LUOSHI_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# HTTPS (on by default with debug off: a level-3 system is reached over HTTPS only). Behind the reverse proxy the
# README describes, the proxy terminates TLS and says so in X-Forwarded-Proto.
HTTPS = env_bool("LUOSHI_HTTPS", env_bool("LUOSHI_SECURE_COOKIES", not DEBUG))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True  # pages carry the token themselves (forms and htmx's hx-headers)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# No HSTS preload: an intranet host name cannot be on the browsers' public preload list, and asking for it
# would bind every host under the zone's domain (security.W021 says so, and is silenced for that reason).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if LUOSHI_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from Luoshi's own static files, never inline; chart data
# travels as json_script blocks, which are data, not script. Styles may be inline (style attributes and the
# styles ECharts and htmx set).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LUOSHI_LOG_LEVEL", "WARNING")},
}

# --- Notices: email and the outbox worker (luoshi.notices) -------------------------------------------------------
# No LUOSHI_EMAIL_HOST means no email: notifications still reach the inbox and the group robots.
EMAIL_HOST = os.environ.get("LUOSHI_EMAIL_HOST", "")
LUOSHI_EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if LUOSHI_EMAIL_ENABLED
    else "django.core.mail.backends.dummy.EmailBackend"
)
_email_tls = os.environ.get("LUOSHI_EMAIL_TLS", "").strip().lower()
if _email_tls not in ("", "none", "false", "0", "starttls", "true", "1", "ssl"):
    raise ImproperlyConfigured(f"LUOSHI_EMAIL_TLS must be starttls, ssl or none, not {_email_tls!r}")
EMAIL_USE_TLS = _email_tls in ("starttls", "true", "1")  # STARTTLS, usually port 587
EMAIL_USE_SSL = _email_tls == "ssl"  # implicit TLS, usually port 465
try:
    EMAIL_PORT = int(os.environ.get("LUOSHI_EMAIL_PORT") or (465 if EMAIL_USE_SSL else 25))
except ValueError as error:
    raise ImproperlyConfigured("LUOSHI_EMAIL_PORT must be a port number") from error
EMAIL_HOST_USER = os.environ.get("LUOSHI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LUOSHI_EMAIL_PASSWORD", "")
DEFAULT_FROM_EMAIL = os.environ.get("LUOSHI_EMAIL_FROM") or EMAIL_HOST_USER or "luoshi@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Emails and group messages leave the site, so their links need its address (e.g. https://luoshi.example.gov.cn).
LUOSHI_SITE_URL = os.environ.get("LUOSHI_SITE_URL", "")
LUOSHI_NOTICE_TIMEOUT = 5.0  # seconds for an SMTP server or a group robot to connect and answer
LUOSHI_OUTBOX_MAX_ATTEMPTS = 10  # back-off 30 s, 1, 2, 4 … 60 min: about three hours before a message is dead
# Group robots reach only https://qyapi.weixin.qq.com, oapi.dingtalk.com, open.feishu.cn and open.larksuite.com,
# plus these self-hosted gateways (`host`, `host:port` — https — or `http://host:port`), whose addresses may be private.
LUOSHI_ROBOT_ALLOWED_HOSTS = env_list("LUOSHI_ROBOT_ALLOWED_HOSTS", "")
for _entry in LUOSHI_ROBOT_ALLOWED_HOSTS:
    _found = re.fullmatch(r"(https?://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?/?", _entry)
    if not _found or int(_found[3] or 1) > 65535:
        raise ImproperlyConfigured(
            f"LUOSHI_ROBOT_ALLOWED_HOSTS: {_entry!r} is not host, host:port or scheme://host:port"
        )
# --- end of notices ------------------------------------------------------------------------------------------------
