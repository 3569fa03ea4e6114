"""DOT's endpoints at the root, as on Kraken's auth host (``/token/``, ``/.well-known/...``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
