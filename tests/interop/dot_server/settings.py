"""Django settings of a minimal django-oauth-toolkit server set up like Kraken's auth server.

Public facts it follows (docs/krakens.md, the EDF GB discovery document): the token
endpoint is ``/token/`` at the root of the auth host, DOT over oauthlib, client secrets stored
hashed (DOT's default ``hash_client_secret=True``), client authentication by form body or
HTTP Basic, OIDC discovery with RS256, access tokens that are RS256 JWTs, the discovery
document's scopes. Where nothing public says, DOT's defaults stand; ``ACCESS_TOKEN_EXPIRE_SECONDS``
is 3600 (the value the simulator assumes). ``serve.py`` fills the database path and the RSA key.
"""

import json
import os
from pathlib import Path

from serving import DJANGO_LOGGING  # tests/interop/, on the path serve.py set

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]

SECRET_KEY = "interop-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "urls"
WSGI_APPLICATION = None
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "oauth2_provider",
    "kraken_auth",
]

# Django's default stack, minus messages (nothing here uses them).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("KRAKEN_DOT_DB", str(HERE / "db.sqlite3")),
        # A throwaway database: no fsync (migrating takes seconds otherwise).
        "OPTIONS": {"init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;"},
    }
}

# The first hasher is the default one, for client secrets too (DOT CLIENT_SECRET_HASHER="default").
# A throwaway database: tables straight from the models (`migrate --run-syncdb`), which is
# seconds faster than replaying every app's migrations and yields the same schema.
MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}

PASSWORD_HASHERS = [
    "kraken_auth.hashers.QuickPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LOGGING = DJANGO_LOGGING

KRAKEN_ISSUER = "http://127.0.0.1/token/"

_discovery = json.loads((REPO / "crates/kraken-sim/data/openid-configuration-edf-gb.json").read_text())

OAUTH2_PROVIDER_APPLICATION_MODEL = "kraken_auth.Application"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "SCOPES": {scope: scope for scope in _discovery["scopes_supported"]},
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ.get("KRAKEN_DOT_RSA_KEY", ""),
    "ACCESS_TOKEN_GENERATOR": "kraken_auth.tokens.signed_token_generator",
}
