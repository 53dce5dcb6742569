# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cognito sign-in on the emulator checks the password as Cognito does: real SRP, the client's flows, its tokens.

pycognito's AWSSRP is the independent client: it computes the PASSWORD_VERIFIER answer from the
password exactly as Cognito's own JavaScript does, so what it can sign in with, a browser can.
"""

import base64
from typing import NamedTuple

import jwt
import pytest
from pycognito.aws_srp import AWSSRP

from . import ACCOUNTS
from . import assumed_role
from . import aws_error

REGION = "eu-central-1"
EMAIL = "fan@example.com"
PASSWORD = "Corr3ct-Horse!"
WRONG_PASSWORD = "Incorrect username or password."


class Pool(NamedTuple):
    """A user pool like the auth role's (e-mail as username, e-mail verified by code) and its website client."""

    cognito: object
    pool_id: str
    client_id: str
    account_id: str


def create_pool(cognito, account_id, auth_flows=("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")):
    """A pool that signs users in by e-mail and verifies it by code, with a client allowing `auth_flows`."""
    pool_id = cognito.create_user_pool(
        PoolName="creatorcloud-creator1-fans",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_CODE"},
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
    )["UserPool"]["Id"]
    client_id = add_client(cognito, pool_id, auth_flows)
    return Pool(cognito, pool_id, client_id, account_id)


def add_client(cognito, pool_id, auth_flows):
    """A public app client of the pool that allows `auth_flows`."""
    return cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="website", ExplicitAuthFlows=list(auth_flows)
    )["UserPoolClient"]["ClientId"]


def cognito_in(aws_client, index):
    """A cognito-idp client acting in ACCOUNTS[index] (moto: the access key decides the account)."""
    return aws_client("cognito-idp", REGION, **assumed_role(aws_client, ACCOUNTS[index]))


@pytest.fixture
def pool(aws_client):
    """The website's pool in a creator account (not moto's default account)."""
    return create_pool(cognito_in(aws_client, 0), ACCOUNTS[0])


def add_fan(pool, email=EMAIL, password=PASSWORD):
    """A confirmed user of the pool with `password`; returns its username (the id Cognito gives it)."""
    sub = pool.cognito.sign_up(
        ClientId=pool.client_id, Username=email, Password=password, UserAttributes=[{"Name": "email", "Value": email}]
    )["UserSub"]
    pool.cognito.admin_confirm_sign_up(UserPoolId=pool.pool_id, Username=email)
    return sub


def srp_client(pool, username=EMAIL, password=PASSWORD):
    """pycognito's SRP client for the pool's website client, talking to the emulator."""
    return AWSSRP(username, password, pool.pool_id, pool.client_id, client=pool.cognito)


def answer_challenge(pool, srp, alter=None):
    """InitiateAuth USER_SRP_AUTH and the PASSWORD_VERIFIER answer, changed by `alter(answer)` before it is sent."""
    parameters = srp.get_auth_params()
    challenge = pool.cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=parameters)
    answer = srp.process_challenge(challenge["ChallengeParameters"], parameters)
    if alter:
        alter(answer)
    return pool.cognito.respond_to_auth_challenge(
        ClientId=pool.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
    )


@pytest.mark.parametrize("sign_in_name", ["email", "username"])
def test_the_right_password_signs_in_with_srp(pool, sign_in_name):
    sub = add_fan(pool)

    tokens = srp_client(pool, EMAIL if sign_in_name == "email" else sub).authenticate_user()["AuthenticationResult"]

    assert set(tokens) >= {"IdToken", "AccessToken", "RefreshToken", "ExpiresIn", "TokenType"}
    user = pool.cognito.get_user(AccessToken=tokens["AccessToken"])
    assert user["Username"] == sub


def test_the_challenge_names_the_user_by_its_username(pool):
    sub = add_fan(pool)
    srp = srp_client(pool)

    challenge = pool.cognito.initiate_auth(
        ClientId=pool.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params()
    )

    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    parameters = challenge["ChallengeParameters"]
    assert parameters["USER_ID_FOR_SRP"] == parameters["USERNAME"] == sub
    assert int(parameters["SRP_B"], 16) > 0 and int(parameters["SALT"], 16) > 0
    assert base64.b64decode(parameters["SECRET_BLOCK"], validate=True)


def test_a_wrong_password_is_refused(pool):
    add_fan(pool)

    with aws_error("NotAuthorizedException") as error:
        srp_client(pool, password="Wr0ng-Horse!").authenticate_user()

    assert error.value.response["Error"]["Message"] == WRONG_PASSWORD


def test_a_tampered_signature_is_refused_and_its_challenge_is_spent(pool):
    add_fan(pool)
    srp = srp_client(pool)
    sent = {}

    def tamper(answer):
        sent.update(answer)
        signature = bytearray(base64.b64decode(answer["PASSWORD_CLAIM_SIGNATURE"]))
        signature[0] ^= 1
        answer["PASSWORD_CLAIM_SIGNATURE"] = base64.b64encode(bytes(signature)).decode()

    with aws_error("NotAuthorizedException") as error:
        answer_challenge(pool, srp, tamper)
    assert error.value.response["Error"]["Message"] == WRONG_PASSWORD

    # The genuine answer to the same challenge no longer counts: each challenge takes one answer.
    with aws_error("NotAuthorizedException"):
        pool.cognito.respond_to_auth_challenge(
            ClientId=pool.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=sent
        )


def test_an_answer_for_another_user_is_refused(pool):
    add_fan(pool)
    add_fan(pool, "other@example.com")

    with aws_error("NotAuthorizedException"):
        answer_challenge(pool, srp_client(pool), lambda answer: answer.update(USERNAME="other@example.com"))


def test_the_timestamp_is_read_as_cognito_reads_it(pool, monkeypatch):
    add_fan(pool)

    # Any well-formed time signs in (the day without a leading zero) ...
    monkeypatch.setattr(
        AWSSRP, "get_cognito_formatted_timestamp", staticmethod(lambda now: "Thu Nov 5 08:00:00 UTC 2026")
    )
    assert "AuthenticationResult" in answer_challenge(pool, srp_client(pool))

    # ... a zero-padded day parses, but Cognito signs the day without the zero ...
    monkeypatch.setattr(
        AWSSRP, "get_cognito_formatted_timestamp", staticmethod(lambda now: "Thu Nov 05 08:00:00 UTC 2026")
    )
    with aws_error("NotAuthorizedException"):
        answer_challenge(pool, srp_client(pool))

    # ... and text that is not a timestamp is a bad parameter.
    monkeypatch.setattr(AWSSRP, "get_cognito_formatted_timestamp", staticmethod(lambda now: "2026-11-05T08:00:00Z"))
    with aws_error("InvalidParameterException") as error:
        answer_challenge(pool, srp_client(pool))
    assert (
        error.value.response["Error"]["Message"] == "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
    )


@pytest.mark.parametrize("srp_a", ["0", "00", "not-hex"])
def test_a_zero_or_malformed_a_is_refused(pool, srp_a):
    add_fan(pool)

    with pytest.raises(pool.cognito.exceptions.ClientError) as error:
        pool.cognito.initiate_auth(
            ClientId=pool.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": EMAIL, "SRP_A": srp_a}
        )

    expected = "InvalidParameterException" if srp_a == "not-hex" else "NotAuthorizedException"
    assert error.value.response["Error"]["Code"] == expected


def test_a_multiple_of_n_as_a_is_refused(pool):
    add_fan(pool)
    srp = srp_client(pool)

    with aws_error("NotAuthorizedException"):
        pool.cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": EMAIL, "SRP_A": format(srp.big_n * 2, "x")},
        )


def test_an_unconfirmed_user_cannot_sign_in(pool):
    pool.cognito.sign_up(
        ClientId=pool.client_id, Username=EMAIL, Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": EMAIL}]
    )

    with aws_error("UserNotConfirmedException"):
        srp_client(pool).authenticate_user()


def test_an_invited_user_signs_in_with_the_temporary_password_and_sets_a_new_one(pool):
    pool.cognito.admin_create_user(
        UserPoolId=pool.pool_id,
        Username=EMAIL,
        TemporaryPassword="Tempor4ry-Pass!",
        UserAttributes=[{"Name": "email", "Value": EMAIL}],
        MessageAction="SUPPRESS",
    )

    with aws_error("NotAuthorizedException"):
        srp_client(pool, password="Wr0ng-Horse!").set_new_password_challenge(PASSWORD)
    result = srp_client(pool, password="Tempor4ry-Pass!").set_new_password_challenge(PASSWORD)

    assert "IdToken" in result["AuthenticationResult"]
    assert "AuthenticationResult" in srp_client(pool).authenticate_user()


def test_user_password_auth_needs_the_flow_on_the_client(pool):
    add_fan(pool)
    password_auth = {"USERNAME": EMAIL, "PASSWORD": PASSWORD}

    with aws_error("InvalidParameterException") as error:
        pool.cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=password_auth)
    assert error.value.response["Error"]["Message"] == "USER_PASSWORD_AUTH flow not enabled for this client"

    password_client = add_client(pool.cognito, pool.pool_id, ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    tokens = pool.cognito.initiate_auth(
        ClientId=password_client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=password_auth
    )["AuthenticationResult"]
    assert "IdToken" in tokens
    with aws_error("NotAuthorizedException") as error:
        pool.cognito.initiate_auth(
            ClientId=password_client,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={**password_auth, "PASSWORD": "Wr0ng-Horse!"},
        )
    assert error.value.response["Error"]["Message"] == WRONG_PASSWORD
    with aws_error("InvalidParameterException"):
        srp_client(pool._replace(client_id=password_client)).authenticate_user()


def test_admin_password_auth_needs_the_flow_on_the_client(pool):
    add_fan(pool)

    with aws_error("InvalidParameterException"):
        pool.cognito.admin_initiate_auth(
            UserPoolId=pool.pool_id,
            ClientId=pool.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD},
        )


def signing_key(aws, pool, token):
    """The key that the JWKS served at <endpoint>/<pool id>/.well-known/jwks.json names for `token`."""
    return jwt.PyJWKClient(f"{aws.endpoint_url}/{pool.pool_id}/.well-known/jwks.json").get_signing_key_from_jwt(token)


def test_tokens_carry_cognitos_claims_and_verify_against_the_served_jwks(aws, pool):
    sub = add_fan(pool)
    pool.cognito.create_group(UserPoolId=pool.pool_id, GroupName="premium")
    pool.cognito.admin_add_user_to_group(UserPoolId=pool.pool_id, Username=EMAIL, GroupName="premium")
    tokens = srp_client(pool).authenticate_user()["AuthenticationResult"]
    issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{pool.pool_id}"

    id_claims = jwt.decode(
        tokens["IdToken"],
        signing_key(aws, pool, tokens["IdToken"]).key,
        algorithms=["RS256"],
        audience=pool.client_id,
        issuer=issuer,
        options={"require": ["exp", "iat", "auth_time", "sub", "aud", "iss", "token_use"]},
    )
    access_claims = jwt.decode(
        tokens["AccessToken"],
        signing_key(aws, pool, tokens["AccessToken"]).key,
        algorithms=["RS256"],
        issuer=issuer,
        options={"require": ["exp", "iat", "auth_time", "sub", "iss", "token_use"]},
    )

    assert id_claims["token_use"] == "id"
    assert id_claims["sub"] == sub
    assert id_claims["email"] == EMAIL
    assert id_claims["email_verified"] is False
    assert id_claims["cognito:username"] == sub
    assert id_claims["cognito:groups"] == ["premium"]
    assert access_claims["token_use"] == "access"
    assert access_claims["client_id"] == pool.client_id
    assert access_claims["username"] == sub
    assert access_claims["scope"] == "aws.cognito.signin.user.admin"
    assert access_claims["cognito:groups"] == ["premium"]
    assert "aud" not in access_claims
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(
            tokens["IdToken"], signing_key(aws, pool, tokens["IdToken"]).key, algorithms=["RS256"], audience="other"
        )


def test_refresh_and_global_sign_out_in_a_creator_account(pool):
    add_fan(pool)
    tokens = srp_client(pool).authenticate_user()["AuthenticationResult"]

    refreshed = pool.cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert jwt.decode(refreshed["IdToken"], options={"verify_signature": False})["email"] == EMAIL

    # GlobalSignOut is not signed: the emulator must find the token in the creator's account.
    pool.cognito.global_sign_out(AccessToken=refreshed["AccessToken"])

    with aws_error("NotAuthorizedException"):
        pool.cognito.get_user(AccessToken=tokens["AccessToken"])
    with aws_error("NotAuthorizedException"):
        pool.cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )


def test_sign_in_stays_in_its_account(aws_client):
    first = create_pool(cognito_in(aws_client, 0), ACCOUNTS[0])
    second = create_pool(cognito_in(aws_client, 1), ACCOUNTS[1])
    add_fan(first)
    add_fan(second, password="0ther-Horse!")

    assert "AuthenticationResult" in srp_client(first).authenticate_user()
    assert "AuthenticationResult" in srp_client(second, password="0ther-Horse!").authenticate_user()
    with aws_error("NotAuthorizedException"):
        srp_client(second).authenticate_user()
