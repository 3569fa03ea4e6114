#!/usr/bin/env python3
"""Serve a real django-oauth-toolkit token endpoint, set up like Kraken's, for interop tests.

Creates a fresh sqlite database in a temporary directory, migrates it, registers one OAuth
application per simulator auth scenario, serves on 127.0.0.1:<free port> and prints ONE JSON
line on stdout:

    {"url": "http://127.0.0.1:PORT", "versions": {...},
     "applications": {"<scenario>": {"client_id": "...", "client_secret": "..."}}}

``client_secret`` is the secret a user of that scenario holds (for ``rotated-secret`` the old
one, for ``unknown-client`` a client_id the server never registered). Everything else goes to
stderr. The server stops when stdin closes or on SIGTERM/SIGINT.
"""

import os
import secrets
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from serving import listen, serve_until_stdin_closes, url_of  # noqa: E402


def rsa_private_key_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def register_applications():
    """One application per simulator auth scenario; returns what each scenario's user holds."""
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    confidential = Application.CLIENT_CONFIDENTIAL
    public = Application.CLIENT_PUBLIC
    client_credentials = Application.GRANT_CLIENT_CREDENTIALS
    authorization_code = Application.GRANT_AUTHORIZATION_CODE

    def new_secret():
        return secrets.token_urlsafe(64)[:128]

    held = {}

    def register(scenario, client_type, grant, stored_secret=None, offered_secret=None, **fields):
        secret = new_secret() if stored_secret is None else stored_secret
        app = Application(
            name=f"interop {scenario}",
            client_type=client_type,
            authorization_grant_type=grant,
            client_secret=secret,  # hashed on save: hash_client_secret defaults to True
            **fields,
        )
        app.save()
        held[scenario] = {
            "client_id": app.client_id,
            "client_secret": offered_secret if offered_secret is not None else secret,
        }

    register("healthy", confidential, client_credentials)
    # A secret with characters HTTP Basic must form-encode (RFC 6749 §2.3.1); DOT decodes
    # each half with unquote_plus. Same class as the simulator's reserved-characters scenario.
    register("reserved-characters", confidential, client_credentials,
             stored_secret=new_secret()[:122] + "+%:/=\u00e9")
    # The server holds the new secret; the user still has the old one.
    register("rotated-secret", confidential, client_credentials, offered_secret=new_secret())
    register("public-client", public, client_credentials)
    # A blanked secret is still hashed on save (make_password("")): the server then accepts
    # exactly the empty secret, i.e. a request without one. The user holds the old secret.
    register("public-client-no-secret", public, client_credentials, stored_secret="",
             offered_secret=new_secret())
    register("wrong-grant", confidential, authorization_code,
             redirect_uris="https://example.com/callback")
    register("disabled-app", confidential, client_credentials, enabled=False)
    # Never registered: a client_id of the same shape as DOT's own.
    from oauth2_provider.generators import generate_client_id

    held["unknown-client"] = {"client_id": generate_client_id(), "client_secret": new_secret()}
    return held


def main():
    workdir = tempfile.TemporaryDirectory(prefix="kraken-dot-")
    os.environ["KRAKEN_DOT_DB"] = str(Path(workdir.name) / "db.sqlite3")
    os.environ["KRAKEN_DOT_RSA_KEY"] = rsa_private_key_pem()
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    sys.path.insert(0, str(HERE))

    import django
    import oauthlib
    import oauth2_provider
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    applications = register_applications()

    server = listen(get_wsgi_application())
    url = url_of(server)
    settings.KRAKEN_ISSUER = f"{url}/token/"
    announcement = {
        "url": url,
        "versions": {
            "django": django.get_version(),
            "django-oauth-toolkit": oauth2_provider.__version__,
            "oauthlib": oauthlib.__version__,
        },
        "applications": applications,
    }
    serve_until_stdin_closes(server, announcement, cleanup=workdir.cleanup)


if __name__ == "__main__":
    main()
