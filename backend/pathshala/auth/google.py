"""Verifying a Google ID token (facts: shared/reference/integrations.md, Google section).

``verify_token`` checks signature, expiry and audience but not the issuer or
``email_verified``; both are checked here. Google's certs are cached per their Cache-Control.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import cachecontrol
import requests
from google.auth import exceptions as google_exceptions
from google.auth.transport import requests as google_requests
from google.oauth2 import id_token

GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")
CLOCK_SKEW_SECONDS = 10


class GoogleTokenRejected(Exception):
    """The token is not a valid, verified Google identity for this platform."""


class GoogleCertsUnavailable(Exception):
    """Google's signing certificates could not be fetched."""


@dataclass(frozen=True)
class GoogleIdentity:
    sub: str
    email: str
    name: str


@cache
def _cached_transport() -> google_requests.Request:
    session = cachecontrol.CacheControl(requests.Session())
    return google_requests.Request(session=session)


def verify_id_token(token: str, *, client_id: str, certs_url: str) -> GoogleIdentity:
    try:
        claims = id_token.verify_token(
            token,
            _cached_transport(),
            audience=client_id,
            certs_url=certs_url,
            clock_skew_in_seconds=CLOCK_SKEW_SECONDS,
        )
    except google_exceptions.TransportError as exc:
        raise GoogleCertsUnavailable(str(exc)) from exc
    except (ValueError, google_exceptions.GoogleAuthError) as exc:
        raise GoogleTokenRejected(str(exc)) from exc
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise GoogleTokenRejected("wrong issuer")
    audience = claims.get("aud")
    if audience != client_id and not (isinstance(audience, list) and client_id in audience):
        raise GoogleTokenRejected("wrong audience")
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise GoogleTokenRejected("no email in token")
    if claims.get("email_verified") not in (True, "true"):
        raise GoogleTokenRejected("email not verified by Google")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise GoogleTokenRejected("no subject in token")
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        name = email.split("@", 1)[0]
    return GoogleIdentity(sub=sub, email=email.strip().lower(), name=name.strip()[:120])
