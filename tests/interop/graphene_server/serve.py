#!/usr/bin/env python3
"""Serve Kraken's GraphQL API subset (kraken.py) with graphene-django, for interop tests.

    serve.py --fixture FIXTURE.json [--validation-status 400|200]

FIXTURE.json is what the test hands over so that this server holds the same data as the
simulator it is compared with:

    {"data_end": "2026-07-01T00:00:00+00:00", "denial_code": "KT-CT-1111",
     "object_denial_code": "KT-CT-4177",
     "properties": [{"id", "address", "postcode", "customer"?,
                     "supply_points": [{"id", "market_name", "device_id"?, "days"}]}],
     "viewers": {"<token>": {"name": "...", "permissions": ["CAN_QUERY_PROPERTY", ...]}}}

(the scenario's own `[api]` codes and `[[properties]]`; a property with `mpan`, `market_name`
and `days` instead of `supply_points` — an older simulator's — is one meter).

`--validation-status 400` is stock graphene-django: a parse or validation error (any error
without a `path`) answers HTTP 400. `200` is Kraken's published convention (the API "will
always return a 200 response code"): the same body with HTTP 200. Serves `/v1/graphql/` on
127.0.0.1:<free port> and prints ONE JSON line on stdout:

    {"url": "http://127.0.0.1:PORT/v1/graphql/", "versions": {...}}

Everything else goes to stderr. Stops when stdin closes or on SIGTERM/SIGINT.
"""

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from serving import DJANGO_LOGGING, listen, serve_until_stdin_closes, url_of  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixture", required=True, type=Path)
    parser.add_argument("--validation-status", type=int, choices=(400, 200), default=400)
    args = parser.parse_args()

    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="interop-only-not-a-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        # CommonMiddleware as on any Django site (it redirects `/v1/graphql` to the slash).
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
        DATABASES={},
        USE_TZ=True,
        LOGGING=DJANGO_LOGGING,
    )

    import django

    django.setup()

    import graphene
    import graphene_django
    import graphql
    from django.core.wsgi import get_wsgi_application
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt
    from graphene_django.views import GraphQLView

    import kraken

    kraken.configure(json.loads(args.fixture.read_text()))

    class KrakenGraphQLView(GraphQLView):
        """graphene-django's view, answering HTTP 200 where the stock view says 400 for a
        GraphQL error (parse, validation, variables); the body is unchanged."""

        def get_response(self, request, data, show_graphiql=False):
            result, status = super().get_response(request, data, show_graphiql)
            return result, 200 if status == 400 else status

    view = KrakenGraphQLView if args.validation_status == 200 else GraphQLView
    # Module-level, where Django's URL resolver looks for it (ROOT_URLCONF is this module).
    global urlpatterns
    urlpatterns = [path("v1/graphql/", csrf_exempt(view.as_view(schema=kraken.schema)))]

    server = listen(get_wsgi_application())
    announcement = {
        "url": f"{url_of(server)}/v1/graphql/",
        "versions": {
            "django": django.get_version(),
            "graphene-django": graphene_django.__version__,
            "graphene": graphene.__version__,
            "graphql-core": graphql.__version__,
        },
    }
    serve_until_stdin_closes(server, announcement)


urlpatterns = []

if __name__ == "__main__":
    main()
