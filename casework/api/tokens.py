"""Token services: create (the secret is returned once), revoke, and find the token of a key."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from casework.api.models import ApiToken

# "cw_" + 8 characters of prefix + "_" + the secret: recognisable in logs and by secret scanners.
TOKEN_START = "cw_"
PREFIX_LENGTH = 8
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass
class NewToken:
    token: ApiToken
    key: str  # the full secret: show it once, then forget it


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_prefix() -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(PREFIX_LENGTH))


@transaction.atomic
def token_create(*, user, name: str, days: int) -> NewToken:
    """A token for `user` that expires `days` days from now; the key is in the result only."""
    prefix = _new_prefix()
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = _new_prefix()
    key = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        digest=digest_of(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The active token whose secret is `key`, or None (unknown, wrong, expired or revoked)."""
    if not key.startswith(TOKEN_START):
        return None
    prefix = key[len(TOKEN_START) : len(TOKEN_START) + PREFIX_LENGTH]
    token = (
        ApiToken.objects.select_related("user", "user__membership").filter(prefix=prefix).first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest_of(key)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
