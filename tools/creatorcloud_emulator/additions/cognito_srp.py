# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cognito sign-in as Cognito does it: the SRP-6a password verifier, the client's auth flows, its tokens.

moto 5.2.5 answers InitiateAuth USER_SRP_AUTH with random SALT and SRP_B and accepts any
PASSWORD_VERIFIER signature, so every password signs in; it allows every auth flow whatever
the app client's ExplicitAuthFlows; its ID token carries the user's id as `email` when the pool
signs users in by e-mail; and GlobalSignOut, which is not signed, looks for the token in the
default account only. Here the server side of Cognito's SRP (the 3072-bit group of RFC 5054,
SHA-256, the hex "padded" to whole non-negative bytes as Cognito's clients do) checks the
signature against the verifier of the password moto stores, the flows of the app client are
enforced, and the tokens carry the claims Cognito puts in them.
"""

import base64
import hashlib
import hmac
import re
import secrets
import time
import uuid
from datetime import datetime
from typing import NamedTuple

from joserfc import jwt
from moto.cognitoidp.exceptions import InvalidParameterException
from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpBackend
from moto.cognitoidp.models import CognitoIdpUserPool
from moto.cognitoidp.models import RegionAgnosticBackend
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import EmptyResult

# RFC 5054's 3072-bit group, the one Cognito uses.
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
G = 2
DERIVED_KEY_INFO = b"Caldera Derived Key"
WRONG_PASSWORD = "Incorrect username or password."
# Cognito's TIMESTAMP, Java's "EEE MMM d HH:mm:ss z yyyy" in English and UTC.
TIMESTAMP_PATTERN = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) "
    r"(\d{2}:\d{2}:\d{2}) UTC (\d{4})"
)
# The app client's ExplicitAuthFlows values that allow each AuthFlow (legacy names included).
FLOW_PERMISSIONS = {
    "USER_SRP_AUTH": ("ALLOW_USER_SRP_AUTH",),
    "USER_PASSWORD_AUTH": ("ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"),
    "REFRESH_TOKEN_AUTH": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "REFRESH_TOKEN": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "CUSTOM_AUTH": ("ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"),
    "ADMIN_USER_PASSWORD_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "ADMIN_NO_SRP_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
}
# What a client without ExplicitAuthFlows allows; a client with legacy names only allows SRP and refresh too.
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH")
LEGACY_IMPLIED_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
# Attributes that are booleans in a token although Cognito stores every attribute as a string.
BOOLEAN_ATTRIBUTES = ("email_verified", "phone_number_verified")

_moto_initiate_auth = CognitoIdpBackend.initiate_auth
_moto_admin_initiate_auth = CognitoIdpBackend.admin_initiate_auth
_moto_respond_to_auth_challenge = CognitoIdpBackend.respond_to_auth_challenge
_moto_create_refresh_token = CognitoIdpUserPool.create_refresh_token
_moto_create_access_token = CognitoIdpUserPool.create_access_token
_moto_create_id_token = CognitoIdpUserPool.create_id_token


def padded(value):
    """The big-endian bytes of a non-negative integer with a zero byte first when its top bit is set."""
    return value.to_bytes(value.bit_length() // 8 + 1, "big")


def hash_to_int(*parts):
    """SHA-256 of the concatenated parts, as an integer."""
    return int.from_bytes(hashlib.sha256(b"".join(parts)).digest(), "big")


MULTIPLIER = hash_to_int(padded(N), padded(G))


def pool_name(pool_id):
    """The part of a pool id after the region and '_': what Cognito's SRP hashes as the pool."""
    return pool_id.split("_", 1)[1]


def password_verifier(pool_id, user_id_for_srp, password, salt):
    """v = g^x, x = H(pad(salt) | H(pool name | USER_ID_FOR_SRP | ":" | password))."""
    identity = hashlib.sha256(f"{pool_name(pool_id)}{user_id_for_srp}:{password}".encode()).digest()
    return pow(G, hash_to_int(padded(salt), identity), N)


def session_key(big_a, big_b, small_b, verifier):
    """The server's 16-byte key: HKDF-SHA256 of S = (A·v^u)^b with u = H(pad(A) | pad(B)) as salt."""
    scrambler = hash_to_int(padded(big_a), padded(big_b))
    if scrambler == 0:
        raise NotAuthorizedError(WRONG_PASSWORD)
    secret = pow(big_a * pow(verifier, scrambler, N), small_b, N)
    pseudo_random_key = hmac.new(padded(scrambler), padded(secret), hashlib.sha256).digest()
    return hmac.new(pseudo_random_key, DERIVED_KEY_INFO + b"\x01", hashlib.sha256).digest()[:16]


def claim_signature(key, pool_id, user_id_for_srp, secret_block, timestamp):
    """base64(HMAC-SHA256(key, pool name | USER_ID_FOR_SRP | SECRET_BLOCK bytes | TIMESTAMP))."""
    message = pool_name(pool_id).encode() + user_id_for_srp.encode() + secret_block + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def parsed_timestamp(text):
    """The moment a Cognito TIMESTAMP names (its weekday is not checked), or None when the text is not one."""
    match = TIMESTAMP_PATTERN.fullmatch(text or "")
    if match is None:
        return None
    unused_weekday, month, day, clock, year = match.groups()
    try:
        return datetime.strptime(f"{year} {month} {day} {clock}", "%Y %b %d %H:%M:%S")
    except ValueError:  # a day the month does not have
        return None


def canonical_timestamp(text):
    """The timestamp as Cognito re-formats it before it checks the signature.

    Cognito parses TIMESTAMP leniently and signs what it parsed, so a zero-padded day or a wrong
    weekday parses but then fails the signature ("Incorrect username or password."), while text
    that does not parse at all is an InvalidParameterException.
    """
    moment = parsed_timestamp(text)
    if moment is None:
        raise InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
    return f"{moment:%a %b} {moment.day} {moment:%H:%M:%S} UTC {moment.year}"


class PasswordVerifierChallenge(NamedTuple):
    """What the server keeps between InitiateAuth USER_SRP_AUTH and its PASSWORD_VERIFIER answer."""

    pool_id: str
    client_id: str
    username: str
    big_a: int
    big_b: int
    small_b: int
    verifier: int
    expires_at: float

    def expected_signature(self, secret_block, timestamp):
        """The PASSWORD_CLAIM_SIGNATURE that only a client knowing the password computes."""
        key = session_key(self.big_a, self.big_b, self.small_b, self.verifier)
        return claim_signature(key, self.pool_id, self.username, secret_block, timestamp)


def new_challenge(pool, client, user, big_a):
    """A fresh salt and b for `user`'s password, and the challenge parameters that carry them."""
    salt = secrets.randbits(128)
    # An unset password (an invited user before it has one) must match no password at all.
    verifier = password_verifier(pool.id, user.username, user.password or secrets.token_hex(32), salt)
    small_b = secrets.randbits(1024)
    big_b = (MULTIPLIER * verifier + pow(G, small_b, N)) % N
    validity_minutes = client.extended_config.get("AuthSessionValidity") or 3
    challenge = PasswordVerifierChallenge(
        pool.id, client.id, user.username, big_a, big_b, small_b, verifier, time.time() + 60 * validity_minutes
    )
    parameters = {
        "SALT": padded(salt).hex(),
        "SRP_B": format(big_b, "x"),
        "SECRET_BLOCK": base64.b64encode(secrets.token_bytes(96)).decode(),
        "USERNAME": user.username,
        "USER_ID_FOR_SRP": user.username,
    }
    return challenge, parameters


def srp_a_of(auth_parameters):
    """The client's A from AuthParameters; refused as Cognito refuses a missing, malformed or zero A."""
    text = (auth_parameters or {}).get("SRP_A")
    if not text:
        raise InvalidParameterException("Missing required parameter SRP_A")
    try:
        big_a = int(text, 16)
    except ValueError:
        raise InvalidParameterException("SRP_A is not a valid hexadecimal number.") from None
    if big_a % N == 0:
        raise NotAuthorizedError(WRONG_PASSWORD)
    return big_a


def challenges_of(backend):
    """The backend's pending password verifier challenges by SECRET_BLOCK (reset with the backend)."""
    return backend.__dict__.setdefault("creatorcloud_srp_challenges", {})


def pool_and_client(backend, client_id):
    """The pool that has the app client `client_id`, and the client; (None, None) when none has it."""
    for pool in backend.user_pools.values():
        if client_id in pool.clients:
            return pool, pool.clients[client_id]
    return None, None


def check_flow_enabled(client, auth_flow):
    """Refuse an AuthFlow that the app client's ExplicitAuthFlows do not allow, as Cognito does."""
    if client is None or auth_flow not in FLOW_PERMISSIONS:
        return  # moto answers an unknown client or flow with its own errors
    allowed = set(client.extended_config.get("ExplicitAuthFlows") or DEFAULT_FLOWS)
    if not any(flow.startswith("ALLOW_") for flow in allowed):
        allowed.update(LEGACY_IMPLIED_FLOWS)
    if allowed.isdisjoint(FLOW_PERMISSIONS[auth_flow]):
        raise InvalidParameterException(f"{auth_flow} flow not enabled for this client")


def initiate_auth(self, client_id, auth_flow, auth_parameters):
    """moto's InitiateAuth, within the client's flows, with a real SRP challenge for USER_SRP_AUTH."""
    pool, client = pool_and_client(self, client_id)
    check_flow_enabled(client, auth_flow)
    big_a = srp_a_of(auth_parameters) if auth_flow == "USER_SRP_AUTH" and client else None
    result = _moto_initiate_auth(self, client_id, auth_flow, auth_parameters)
    if big_a is None:
        return result
    user = pool._get_user(auth_parameters["USERNAME"])
    challenge, parameters = new_challenge(pool, client, user, big_a)
    # moto keys the PASSWORD_VERIFIER answer by SECRET_BLOCK; its own session id is not sent.
    self.sessions[parameters["SECRET_BLOCK"]] = self.sessions.pop(result["Session"])
    challenges_of(self)[parameters["SECRET_BLOCK"]] = challenge
    return {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": parameters}


def admin_initiate_auth(self, user_pool_id, client_id, auth_flow, auth_parameters):
    """moto's AdminInitiateAuth, within the client's flows."""
    check_flow_enabled(self.describe_user_pool(user_pool_id).clients.get(client_id), auth_flow)
    return _moto_admin_initiate_auth(self, user_pool_id, client_id, auth_flow, auth_parameters)


def verify_password_claim(backend, client_id, responses):
    """Raise NotAuthorizedException unless the PASSWORD_VERIFIER answer proves the password."""
    for name in ("USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"):
        if not responses.get(name):
            raise InvalidParameterException(f"Missing required parameter {name}")
    secret_block = responses["PASSWORD_CLAIM_SECRET_BLOCK"]
    timestamp = canonical_timestamp(responses["TIMESTAMP"])
    # One answer per challenge, right or wrong: a new attempt starts with a new InitiateAuth.
    challenge = challenges_of(backend).pop(secret_block, None)
    session = backend.sessions.get(secret_block)
    if challenge is None or session is None or challenge.client_id != client_id:
        raise NotAuthorizedError(WRONG_PASSWORD)
    user = session[1]._get_user(responses["USERNAME"])
    # The SECRET_BLOCK is the emulator's own (it found the challenge), so it decodes.
    secret_bytes = base64.b64decode(secret_block)
    genuine = (
        user is not None
        and user.username == challenge.username
        and time.time() < challenge.expires_at
        and hmac.compare_digest(
            challenge.expected_signature(secret_bytes, timestamp).encode(),
            responses["PASSWORD_CLAIM_SIGNATURE"].encode(),
        )
    )
    if not genuine:
        backend.sessions.pop(secret_block, None)
        raise NotAuthorizedError(WRONG_PASSWORD)


def respond_to_auth_challenge(self, session, client_id, challenge_name, challenge_responses):
    """moto's RespondToAuthChallenge, once a PASSWORD_VERIFIER answer has proven the password."""
    if challenge_name == "PASSWORD_VERIFIER":
        verify_password_claim(self, client_id, challenge_responses or {})
    return _moto_respond_to_auth_challenge(self, session, client_id, challenge_name, challenge_responses)


def canonical_username(pool, username):
    """The user's own username for a name the user signed in with (its e-mail, in an e-mail pool)."""
    user = pool._get_user(username)
    return user.username if user else username


def create_refresh_token(self, client_id, username):
    """moto's refresh token, recorded under the user's username so that sign-out finds every session."""
    return _moto_create_refresh_token(self, client_id, canonical_username(self, username))


def create_access_token(self, client_id, username, origin_jti):
    """moto's access token, recorded under the user's username."""
    return _moto_create_access_token(self, client_id, canonical_username(self, username), origin_jti)


def create_id_token(self, client_id, username, origin_jti):
    """moto's ID token, recorded under the user's username."""
    return _moto_create_id_token(self, client_id, canonical_username(self, username), origin_jti)


def readable_attributes(pool, client_id, user):
    """The user's attributes that the app client may read (all of them without ReadAttributes), for a token."""
    client = pool.clients.get(client_id)
    readable = client.get_readable_fields() if client else []
    claims = {}
    for name, value in user.attribute_lookup.items():
        if name != "sub" and (not readable or name in readable):
            claims[name] = value.lower() == "true" if name in BOOLEAN_ATTRIBUTES else value
    return claims


def create_jwt(self, client_id, username, token_use, expires_in=60 * 60, extra_data=None):
    """A token with the claims Cognito issues; signed with moto's key, which its JWKS serves."""
    user = self._get_user(username)
    now = int(time.time())
    claims = {
        "sub": user.id,
        "iss": f"https://cognito-idp.{self.region}.amazonaws.com/{self.id}",
        "token_use": token_use,
        "auth_time": now,
        "iat": now,
        "exp": now + expires_in,
        "jti": str(uuid.uuid4()),
        "event_id": str(uuid.uuid4()),
    }
    claims.update(extra_data or {})
    if token_use == "access":
        claims.update(client_id=client_id, username=user.username)
    else:
        claims.update(readable_attributes(self, client_id, user), aud=client_id)
        claims["cognito:username"] = user.username
    return jwt.encode({"kid": "dummy", "alg": "RS256"}, claims, self.json_web_key), expires_in


def global_sign_out(self):
    """GlobalSignOut is not signed: find the token in whichever account and region issued it."""
    access_token = self._get_param("AccessToken")
    backend = RegionAgnosticBackend(self.current_account, self.region)._find_backend_by_access_token(access_token)
    backend.global_sign_out(access_token)
    return EmptyResult()


def register():
    CognitoIdpBackend.initiate_auth = initiate_auth
    CognitoIdpBackend.admin_initiate_auth = admin_initiate_auth
    CognitoIdpBackend.respond_to_auth_challenge = respond_to_auth_challenge
    CognitoIdpUserPool.create_refresh_token = create_refresh_token
    CognitoIdpUserPool.create_access_token = create_access_token
    CognitoIdpUserPool.create_id_token = create_id_token
    CognitoIdpUserPool.create_jwt = create_jwt
    CognitoIdpResponse.global_sign_out = global_sign_out
