"""Access tokens as Kraken issues them: RS256 JWTs (its published key set is RS256).

The claims of Kraken's client-credentials tokens are not public; this carries only what
kraken-doctor may look at (``exp``) plus the usual ``iat``/``jti``/``iss``.
"""

import json
import time
import uuid

from django.conf import settings
from jwcrypto import jwk, jwt


def signed_token_generator(request, refresh_token=False):
    key = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    now = int(time.time())
    lifetime = settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]
    claims = {
        "iss": settings.KRAKEN_ISSUER,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "client_id": getattr(request, "client_id", None) or "",
    }
    token = jwt.JWT(header={"alg": "RS256", "typ": "JWT", "kid": key.thumbprint()}, claims=json.dumps(claims))
    token.make_signed_token(key)
    return token.serialize()
