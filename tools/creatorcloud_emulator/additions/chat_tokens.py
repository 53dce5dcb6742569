# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IVS Chat tokens: compact signed tokens that only this emulator process can issue and verify.

A token is `<payload>.<signature>`, both base64url without padding: the payload is JSON claims,
the signature their HMAC-SHA256 with a secret made when the process starts.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time

_SECRET = secrets.token_bytes(32)


class InvalidChatToken(ValueError):
    """The token is malformed, was not signed by this process, or has expired."""


def issue_chat_token(claims):
    """A signed token carrying `claims` (a JSON-serializable dict that includes `expiresAt`)."""
    payload = _encode(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_encode(_sign(payload))}"


def verify_chat_token(token, now=None):
    """The claims of a token issued by this process; raises InvalidChatToken if it is not valid at `now`."""
    payload, unused_dot, signature = str(token).partition(".")
    try:
        genuine = hmac.compare_digest(_decode(signature), _sign(payload))
        claims = json.loads(_decode(payload)) if genuine else None
    except ValueError as error:
        raise InvalidChatToken(f"malformed chat token: {error}") from None
    if claims is None:
        raise InvalidChatToken("the chat token was not issued by this emulator")
    if (time.time() if now is None else now) >= claims["expiresAt"]:
        raise InvalidChatToken("the chat token has expired")
    return claims


def _sign(payload):
    return hmac.new(_SECRET, payload.encode(), hashlib.sha256).digest()


def _encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
