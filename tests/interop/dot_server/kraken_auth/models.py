"""The OAuth application model of this stand-in for Kraken's auth server.

django-oauth-toolkit has no "disabled" flag of its own; its sanctioned hook is
``AbstractApplication.is_usable(request)``, which ``OAuth2Validator._load_application``
consults on every token request (an unusable application is treated exactly like an unknown
one: 401 ``invalid_client``). A swapped application model with an ``enabled`` field is how a
DOT-based server such as Kraken's can disable an application without deleting it.
"""

from django.db import models
from oauth2_provider.models import AbstractApplication


class Application(AbstractApplication):
    enabled = models.BooleanField(default=True)

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"

    def is_usable(self, request):
        return self.enabled
