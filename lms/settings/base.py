"""Settings shared by every way of running the platform.

With no environment set this is the embedded default: SQLite, Celery tasks run eagerly in-process,
e-mail to the console. DATABASE_URL, CELERY_BROKER_URL and REDIS_URL switch to the real services.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from .environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "embedded-default-key-not-for-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms",
    "quizzes",
    "campaigns",
    "recognition",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app, with the person fields in its user forms.
    "lms.admin.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.middleware.RequireMultiFactorMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                "lms.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through TEMPLATES so the project can replace Wagtail's inline-script widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")

# Rate limits and anything else that several processes must agree on need a shared cache: the
# database by default, Redis when REDIS_URL is given (or the broker is Redis).
REDIS_URL = env_str("REDIS_URL")
if not REDIS_URL and (CELERY_BROKER_URL or "").startswith("redis"):
    REDIS_URL = CELERY_BROKER_URL
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lms_cache",
        }
    }

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ISO Learning <no-reply@lms.example>")

# --- Celery
# Without a broker the embedded default runs every task eagerly, in the request's own process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A request that enqueues while the broker is down must fail fast with a message, not hang.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Every periodic job of the platform, in one place.
CELERY_BEAT_SCHEDULE = {
    "send-pending-invitations": {
        "task": "lms.tasks.send_pending_invitations",
        "schedule": crontab(minute="*/10"),
    },
    # One digest per person per day: reminders before and after the due date, escalations.
    "send-daily-reminders": {
        "task": "lms.tasks.send_daily_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Managers' reminders written while the broker was down.
    "send-pending-team-reminders": {
        "task": "lms.tasks.send_pending_team_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Assignments: every rule against the org chart (catches lost tasks), then refreshers due;
    # both before the morning's reminders so new assignments are in them.
    "reconcile-assignment-rules": {
        "task": "lms.tasks.reconcile_assignment_rules",
        "schedule": crontab(hour=5, minute=0),
    },
    "create-refresher-assignments": {
        "task": "lms.tasks.create_refresher_assignments",
        "schedule": crontab(hour=5, minute=30),
    },
    # --- Certificates: those whose task was lost while the broker was down
    "issue-missing-certificates": {
        "task": "lms.tasks.issue_missing_certificates",
        "schedule": crontab(hour=4, minute=15),
    },
    # --- Quizzes: open attempts past their time limit (and grace) close as expired
    "expire-overdue-quiz-attempts": {
        "task": "quizzes.tasks.expire_overdue_attempts",
        "schedule": crontab(minute="*/5"),
    },
    # --- Competences: the nightly sweep for completions whose task was lost, then expiries
    # (renewals are assigned before the 07:00 reminders, so they are in them) and the line
    # managers' effectiveness checks that fell due.
    "record-missing-competences": {
        "task": "lms.tasks.record_missing_competences",
        "schedule": crontab(hour=4, minute=30),
    },
    "renew-expiring-competences": {
        "task": "lms.tasks.renew_expiring_competences",
        "schedule": crontab(hour=5, minute=45),
    },
    "notify-expired-competences": {
        "task": "lms.tasks.notify_expired_competences",
        "schedule": crontab(hour=6, minute=15),
    },
    "request-due-effectiveness-checks": {
        "task": "lms.tasks.request_due_effectiveness_checks",
        "schedule": crontab(hour=6, minute=30),
    },
    # --- xAPI: statements still in the outbox (the LRS was down, or a task was lost)
    "send-pending-xapi-statements": {
        "task": "lms.tasks.send_pending_xapi_statements",
        "schedule": crontab(minute="*/5"),
    },
    # --- Campaigns: live campaigns reach people who joined their audience since (and e-mails a
    # lost task left behind); reminders to acknowledge, after the morning's training digests.
    "deliver-live-campaigns": {
        "task": "campaigns.tasks.deliver_live_campaigns",
        "schedule": crontab(minute="*/15"),
    },
    "send-campaign-reminders": {
        "task": "campaigns.tasks.send_campaign_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # --- Recognition: the ledger's nightly sweep pays what a lost signal missed; on the 1st,
    # managers whose whole team was on time in the month just ended.
    "pay-missed-points": {
        "task": "recognition.tasks.pay_missed_points",
        "schedule": crontab(hour=3, minute=45),
    },
    "pay-team-on-time": {
        "task": "recognition.tasks.pay_team_on_time",
        "schedule": crontab(day_of_month="1", hour=6, minute=0),
    },
    # Every night, the badges whose criteria change with time alone (a quarter ends, a
    # competence expires, a report's training falls due).
    "evaluate-badges-for-everyone": {
        "task": "recognition.tasks.evaluate_badges_for_everyone",
        "schedule": crontab(hour=4, minute=0),
    },
}

# Wagtail's own background work (search and reference index) stays on django-tasks' immediate
# backend; the project's work goes through Celery.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Wagtail
WAGTAIL_SITE_NAME = "ISO Learning"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Accounts (django-allauth)
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lms.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# People arrive from the HR roster, whose addresses the organisation already owns.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
ACCOUNT_FORMS = {"login": "lms.adapters.LoginForm"}
# Wagtail sends a signed-in person who may not use the CMS to the login page with ?next=/cms/;
# bouncing them straight back would loop, so the login page stays and says who is signed in.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ISO Learning"
# The SSO provider is trusted to verify addresses, so a verified address finds the person.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_ONLY = False

# --- Project knobs (all prefixed LMS_)
LMS_SELF_SIGNUP = env_bool("LMS_SELF_SIGNUP", False)
LMS_REQUIRE_MFA_FOR_STAFF = env_bool("LMS_REQUIRE_MFA_FOR_STAFF", False)
LMS_OIDC_SERVER_URL = env_str("LMS_OIDC_SERVER_URL", "")
LMS_OIDC_CLIENT_ID = env_str("LMS_OIDC_CLIENT_ID", "")
LMS_OIDC_CLIENT_SECRET = env_str("LMS_OIDC_CLIENT_SECRET", "")
LMS_OIDC_NAME = env_str("LMS_OIDC_NAME", "Single sign-on")
LMS_ROSTER_MAX_ROWS = env_int("LMS_ROSTER_MAX_ROWS", 100_000)
# A refresher that no assignment rule covers is due this many days after it is assigned.
LMS_REFRESHER_DUE_IN_DAYS = env_int("LMS_REFRESHER_DUE_IN_DAYS", 30)
# Reminders go this many days before the due date, on it, and every day after; a line manager
# hears of a report's training once it is more than LMS_ESCALATE_AFTER_DAYS_OVERDUE days late.
LMS_REMINDER_DAYS_BEFORE = env_int("LMS_REMINDER_DAYS_BEFORE", 7)
LMS_ESCALATE_AFTER_DAYS_OVERDUE = env_int("LMS_ESCALATE_AFTER_DAYS_OVERDUE", 7)
# The quiz engine (quizzes/) renders Markdown with the project's one renderer and asks the
# learning core who may see whose attempts; a submission up to LMS_QUIZ_GRACE_SECONDS after the
# time limit still counts (the time a form takes to arrive).
LMS_QUIZ_MARKDOWN_RENDERER = "lms.markdown.render_markdown"
LMS_QUIZ_ADAPTER = "lms.quiz_adapter.LearningQuizAdapter"
LMS_QUIZ_GRACE_SECONDS = env_int("LMS_QUIZ_GRACE_SECONDS", 15)
# Competences: the renewing module is assigned this many days before a record expires.
LMS_COMPETENCE_RENEWAL_DAYS = env_int("LMS_COMPETENCE_RENEWAL_DAYS", 30)
# Printed on certificates; empty for the default Wagtail site's name.
LMS_ORGANISATION_NAME = env_str("LMS_ORGANISATION_NAME", "")
# xAPI: completions, quiz attempts and acknowledgements go to this Learning Record Store (its
# statements endpoint's base, e.g. https://lrs.example.com/xapi/) when set; until then, and while
# it is down, statements wait in the local outbox. Actors are accounts on LMS_XAPI_HOMEPAGE.
LMS_XAPI_ENDPOINT = env_str("LMS_XAPI_ENDPOINT", "")
LMS_XAPI_USERNAME = env_str("LMS_XAPI_USERNAME", "")
LMS_XAPI_PASSWORD = env_str("LMS_XAPI_PASSWORD", "")
LMS_XAPI_HOMEPAGE = env_str("LMS_XAPI_HOMEPAGE", WAGTAILADMIN_BASE_URL)
LMS_XAPI_TIMEOUT_SECONDS = env_int("LMS_XAPI_TIMEOUT_SECONDS", 10)
# Campaigns: readers have this many days to acknowledge; those who have not are reminded this
# many days after being asked, and again as often, at most this many times.
LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS = env_int("LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS", 14)
LMS_CAMPAIGN_REMIND_AFTER_DAYS = env_int("LMS_CAMPAIGN_REMIND_AFTER_DAYS", 5)
LMS_CAMPAIGN_MAX_REMINDERS = env_int("LMS_CAMPAIGN_MAX_REMINDERS", 2)
# E-mails of a campaign go out in batches of this many over one SMTP connection.
LMS_CAMPAIGN_EMAIL_BATCH = env_int("LMS_CAMPAIGN_EMAIL_BATCH", 200)
# The suggestion box takes this many suggestions per person per hour, and per minute from everyone.
LMS_SUGGESTIONS_PER_PERSON_PER_HOUR = env_int("LMS_SUGGESTIONS_PER_PERSON_PER_HOUR", 5)
LMS_SUGGESTIONS_PER_MINUTE = env_int("LMS_SUGGESTIONS_PER_MINUTE", 60)
# --- Recognition
# The nightly sweep pays the facts of this many past days that earned no points (a signal lost).
LMS_POINTS_SWEEP_DAYS = env_int("LMS_POINTS_SWEEP_DAYS", 7)
# The issuer named in every Open Badges 2.0 assertion: the organisation, its website and a
# contact address. Badge, assertion and issuer ids are built on WAGTAILADMIN_BASE_URL.
LMS_OPEN_BADGES_ISSUER_NAME = env_str(
    "LMS_OPEN_BADGES_ISSUER_NAME", LMS_ORGANISATION_NAME or "ISO Learning"
)
LMS_OPEN_BADGES_ISSUER_URL = env_str("LMS_OPEN_BADGES_ISSUER_URL", WAGTAILADMIN_BASE_URL)
LMS_OPEN_BADGES_ISSUER_EMAIL = env_str(
    "LMS_OPEN_BADGES_ISSUER_EMAIL", DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
)
# Each person may send this many kudos a week (Monday to Sunday): kudos stay worth something.
LMS_KUDOS_SENT_PER_WEEK = env_int("LMS_KUDOS_SENT_PER_WEEK", 10)

# --- The read-only API for HR systems (/api/v1/)
REST_FRAMEWORK = {
    # Token first, so a request without credentials is told to authenticate (401).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISO Learning API",
    "DESCRIPTION": "Read-only access to people, competence records, completions and the "
    "competence matrix, for HR systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only /api/v1/: Wagtail's admin has DRF views of its own that are not part of this API.
    "PREPROCESSING_HOOKS": ["lms.api.schema.only_this_api"],
    # Held and required levels share one set of choices: one name for it in the schema.
    "ENUM_NAME_OVERRIDES": {"ProficiencyLevelEnum": "lms.models.ProficiencyLevel"},
}

SOCIALACCOUNT_PROVIDERS = {}
if LMS_OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "sso",
                "name": LMS_OIDC_NAME,
                "client_id": LMS_OIDC_CLIENT_ID,
                "secret": LMS_OIDC_CLIENT_SECRET,
                "settings": {"server_url": LMS_OIDC_SERVER_URL},
            }
        ],
    }

# --- Security headers
# Enforced, and with no inline scripts anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
if LMS_OIDC_SERVER_URL:
    # Chrome checks form-action against the redirect that answers a form, and the SSO button's
    # POST is answered by a redirect to the provider's sign-in page.
    _oidc = urlsplit(LMS_OIDC_SERVER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_oidc.scheme}://{_oidc.netloc}")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Wagtail lifts this to SAMEORIGIN on its own preview views.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Requests to the anonymous suggestion box never reach a log with who sent them, or when.
    "filters": {
        "hide_suggestion_box": {"()": "campaigns.logging.HideSuggestionBoxRequests"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["hide_suggestion_box"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "hide_suggestion_box"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's defaults attach unfiltered handlers to django and django.server (which
        # stamps the time on each request): replace them, so every record meets the filter.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # The loggers that carry the request are filtered at the source too, so the records
        # are gone before any handler sees them.
        "django.server": {"level": "INFO", "propagate": True, "filters": ["hide_suggestion_box"]},
        "django.request": {"filters": ["hide_suggestion_box"]},
        "django.security.csrf": {"filters": ["hide_suggestion_box"]},
        "django.db.backends": {"level": "WARNING"},
        # One line per search-index or reference-index update drowns everything else.
        "django_tasks": {"level": "WARNING"},
    },
}
