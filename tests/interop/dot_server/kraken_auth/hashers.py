"""A PBKDF2 hasher with few iterations, for the client secrets of the interop server only.

Django's default PBKDF2 takes about half a second per secret check on a small CI runner,
and the differential suite sends a hundred-odd token requests. The stored format
(``pbkdf2_sha256$<iterations>$<salt>$<hash>``) and every answer of the token endpoint are
the same as with the default hasher; only the time per request differs.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
