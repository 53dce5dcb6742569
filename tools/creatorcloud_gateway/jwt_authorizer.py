# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An HTTP API's JWT authorizer, checking Cognito tokens as API Gateway does, with the emulator's keys.

The token is taken from the authorizer's identity source, with or without a `Bearer ` prefix;
its RS256 signature is checked with the issuer's JWKS (a Cognito issuer's key set is read from
the emulator, where `cognito-idp.<region>.amazonaws.com` does not resolve), then `iss`, the
audience (`aud`, or `client_id` when the token has no `aud`, as API Gateway checks), `token_use`
(Cognito's id or access), `exp`, `nbf` and `iat`, and the route's scopes. The claims reach the
function as strings, a list as "[a b]", the way HTTP APIs pass them.
"""

import re
import threading

import jwt

from creatorcloud_gateway.creator_access import SiteUnavailable

# AWS does not document the JWT authorizer's tolerance for clock skew; 5 minutes is what it
# allows for a request signature, and the emulator and the gateway share one clock anyway.
CLOCK_SKEW_SECONDS = 300
# API Gateway keeps an issuer's public keys for up to two hours.
JWKS_LIFESPAN_SECONDS = 7200
COGNITO_ISSUER = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool_id>[^/]+)$")
TOKEN_USES = frozenset({"id", "access"})
ALGORITHMS = ["RS256"]
BEARER = "bearer "


class Refused(Exception):
    """A request the authorizer refuses: API Gateway's status, message and www-authenticate challenge."""

    def __init__(self, reason, status=401, message="Unauthorized", challenge="Bearer"):
        super().__init__(reason)
        self.status = status
        self.message = message
        self.challenge = challenge


def invalid_token(reason, description):
    """A 401 for a token that is there but not valid, with the challenge API Gateway sends for one."""
    return Refused(reason, challenge=f'Bearer scope="" error="invalid_token" error_description="{description}"')


def jwks_url(issuer, endpoint_url):
    """Where the issuer's key set is: the emulator's for a Cognito user pool, else the issuer's own."""
    match = COGNITO_ISSUER.match(issuer)
    if match:
        return f"{endpoint_url.rstrip('/')}/{match['pool_id']}/.well-known/jwks.json"
    return f"{issuer.rstrip('/')}/.well-known/jwks.json"


def claim_string(value):
    """A claim as HTTP APIs pass it to the function: a string, a list as "[a b]"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + " ".join(claim_string(item) for item in value) + "]"
    return str(value)


def token_scopes(claims):
    """The scopes a token grants: `scope` (space separated) or `scp` (a list or a string)."""
    granted = claims.get("scope", claims.get("scp"))
    if granted is None:
        return None
    return granted.split() if isinstance(granted, str) else [str(scope) for scope in granted]


def identity_token(request, authorizer):
    """The token from the authorizer's identity source (a header or a query parameter), without `Bearer `."""
    for source in authorizer.identity_source or ("$request.header.Authorization",):
        if source.startswith("$request.header."):
            value = request.headers.get(source.removeprefix("$request.header."), "")
        elif source.startswith("$request.querystring."):
            value = request.args.get(source.removeprefix("$request.querystring."), "")
        else:
            value = ""
        value = value.strip()
        if value[: len(BEARER)].lower() == BEARER:
            value = value[len(BEARER) :].strip()
        if value:
            return value
    raise Refused("no token in the identity source")


class JwtAuthorizers:
    """Verifies tokens for the API's JWT authorizers, with one cached key set per issuer."""

    def __init__(self, endpoint_url, clock_skew=CLOCK_SKEW_SECONDS):
        self.endpoint_url = endpoint_url
        self.clock_skew = clock_skew
        self._lock = threading.Lock()
        self._key_sets = {}

    def authorize(self, request, authorizer, route_scopes=()):
        """`{"claims": {...}, "scopes": [...] or None}` for requestContext.authorizer.jwt, or Refused."""
        token = identity_token(request, authorizer)
        claims = self._verified_claims(token, authorizer)
        audience = claims.get("aud", claims.get("client_id"))
        audiences = [audience] if isinstance(audience, str) else list(audience or ())
        if not set(audiences) & set(authorizer.audience):
            raise invalid_token(f"audience {audiences} is not {list(authorizer.audience)}", "invalid audience")
        if claims.get("token_use") not in TOKEN_USES:
            raise invalid_token(f"token_use {claims.get('token_use')!r} is not id or access", "invalid token use")
        scopes = token_scopes(claims)
        if route_scopes and not set(route_scopes) & set(scopes or ()):
            raise Refused(f"none of the route's scopes {list(route_scopes)}", status=403, message="Forbidden")
        return {"claims": {name: claim_string(value) for name, value in claims.items()}, "scopes": scopes}

    def _verified_claims(self, token, authorizer):
        try:
            key = self._key_set(authorizer.issuer).get_signing_key_from_jwt(token).key
            return jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=authorizer.issuer,
                leeway=self.clock_skew,
                options={"verify_aud": False, "require": ["exp", "iat", "iss"]},
            )
        except jwt.PyJWKClientConnectionError as e:
            raise SiteUnavailable(f"Cannot read the keys of issuer {authorizer.issuer} ({e}).") from e
        except jwt.ExpiredSignatureError as e:
            raise invalid_token(str(e), "the token has expired") from e
        except jwt.PyJWTError as e:
            raise invalid_token(str(e), "the token is not valid") from e

    def _key_set(self, issuer):
        with self._lock:
            if issuer not in self._key_sets:
                self._key_sets[issuer] = jwt.PyJWKClient(
                    jwks_url(issuer, self.endpoint_url), lifespan=JWKS_LIFESPAN_SECONDS, timeout=5
                )
            return self._key_sets[issuer]
