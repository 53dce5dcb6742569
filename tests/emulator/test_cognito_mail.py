# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cognito's codes and invitations go to the emulator's local mailbox, and only the latest code confirms."""

import json
import os
import subprocess
import sys
import types
import urllib.request

import jwt
import pytest

from . import ACCOUNTS
from . import aws_error
from .test_cognito_srp import EMAIL
from .test_cognito_srp import PASSWORD
from .test_cognito_srp import cognito_in
from .test_cognito_srp import create_pool
from .test_cognito_srp import srp_client

TOOLS = os.path.join(os.path.dirname(__file__), "..", "..", "tools")
NEW_PASSWORD = "N3w-Horse-Battery!"


@pytest.fixture
def pool(aws_client):
    """The website's pool in a creator account, as in test_cognito_srp."""
    return create_pool(cognito_in(aws_client, 0), ACCOUNTS[0])


def mailbox(aws, to=None, method="GET"):
    """The emulator's mails (to `to`), newest last; DELETE clears them."""
    query = f"?to={to}" if to else ""
    request = urllib.request.Request(f"{aws.endpoint_url}/_creatorcloud/mail{query}", method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def sign_up(pool, email=EMAIL, password=PASSWORD):
    """SignUp through the website client; returns the response."""
    return pool.cognito.sign_up(
        ClientId=pool.client_id, Username=email, Password=password, UserAttributes=[{"Name": "email", "Value": email}]
    )


def confirm(pool, code, email=EMAIL):
    return pool.cognito.confirm_sign_up(ClientId=pool.client_id, Username=email, ConfirmationCode=code)


def other_code(code):
    """A 6-digit code that is not `code`."""
    return f"{(int(code) + 1) % 10**6:06d}"


def test_sign_up_mails_a_code_that_confirms_once(aws, pool):
    response = sign_up(pool)

    assert response["UserConfirmed"] is False
    assert response["CodeDeliveryDetails"] == {
        "Destination": "f***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    (mail,) = mailbox(aws, EMAIL)
    assert mail["kind"] == "confirm_sign_up"
    assert mail["to"] == EMAIL
    assert mail["pool_id"] == pool.pool_id
    assert mail["account_id"] == pool.account_id
    assert mail["username"] == response["UserSub"]
    assert len(mail["code"]) == 6 and mail["code"].isdigit()
    assert mail["subject"] == "Your verification code"
    assert mail["code"] in mail["body"]
    assert mail["sent_at"].endswith("Z")

    with aws_error("CodeMismatchException") as error:
        confirm(pool, other_code(mail["code"]))
    assert error.value.response["Error"]["Message"] == "Invalid verification code provided, please try again."
    with aws_error("UserNotConfirmedException"):
        srp_client(pool).authenticate_user()

    confirm(pool, mail["code"])

    tokens = srp_client(pool).authenticate_user()["AuthenticationResult"]
    assert jwt.decode(tokens["IdToken"], options={"verify_signature": False})["email_verified"] is True
    with aws_error("NotAuthorizedException") as error:
        confirm(pool, mail["code"])
    assert error.value.response["Error"]["Message"] == "User cannot be confirmed. Current status is CONFIRMED"


def test_resend_mails_a_new_code_and_the_old_one_stops_working(aws, pool):
    sign_up(pool)
    first = mailbox(aws)[-1]["code"]

    response = pool.cognito.resend_confirmation_code(ClientId=pool.client_id, Username=EMAIL)

    assert response["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    first_mail, second_mail = mailbox(aws, EMAIL)
    assert first_mail["code"] == first
    assert second_mail["kind"] == "confirm_sign_up"
    if second_mail["code"] != first:  # one in a million, the new code is the old one
        with aws_error("CodeMismatchException"):
            confirm(pool, first)
    confirm(pool, second_mail["code"])
    with aws_error("InvalidParameterException"):
        pool.cognito.resend_confirmation_code(ClientId=pool.client_id, Username=EMAIL)


def test_confirming_an_unknown_user_is_not_found(pool):
    with aws_error("UserNotFoundException"):
        confirm(pool, "123456", "nobody@example.com")


def test_admin_confirm_sign_up_needs_no_code(aws, pool):
    sign_up(pool)

    pool.cognito.admin_confirm_sign_up(UserPoolId=pool.pool_id, Username=EMAIL)

    assert "AuthenticationResult" in srp_client(pool).authenticate_user()


def test_a_pool_that_does_not_verify_email_mails_no_code(aws, pool):
    pool_id = pool.cognito.create_user_pool(PoolName="no-verification", UsernameAttributes=["email"])["UserPool"]["Id"]
    client_id = pool.cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]

    response = sign_up(pool._replace(pool_id=pool_id, client_id=client_id))

    assert "CodeDeliveryDetails" not in response
    assert mailbox(aws) == []
    with aws_error("InvalidParameterException"):
        pool.cognito.resend_confirmation_code(ClientId=client_id, Username=EMAIL)


def test_forgot_password_mails_a_code_that_sets_the_new_password(aws, pool):
    sign_up(pool)
    confirm(pool, mailbox(aws)[-1]["code"])

    response = pool.cognito.forgot_password(ClientId=pool.client_id, Username=EMAIL)

    assert response["CodeDeliveryDetails"]["Destination"] == "f***@e***"
    mail = mailbox(aws, EMAIL)[-1]
    assert mail["kind"] == "forgot_password"
    reset = {"ClientId": pool.client_id, "Username": EMAIL, "Password": NEW_PASSWORD}
    with aws_error("CodeMismatchException"):
        pool.cognito.confirm_forgot_password(**reset, ConfirmationCode=other_code(mail["code"]))
    with aws_error("InvalidPasswordException"):
        pool.cognito.confirm_forgot_password(**{**reset, "Password": "short"}, ConfirmationCode=mail["code"])

    pool.cognito.confirm_forgot_password(**reset, ConfirmationCode=mail["code"])

    assert "AuthenticationResult" in srp_client(pool, password=NEW_PASSWORD).authenticate_user()
    with aws_error("NotAuthorizedException"):
        srp_client(pool).authenticate_user()
    with aws_error("CodeMismatchException"):
        pool.cognito.confirm_forgot_password(**reset, ConfirmationCode=mail["code"])


def test_forgot_password_needs_a_verified_address(aws, pool):
    sign_up(pool)
    pool.cognito.admin_confirm_sign_up(UserPoolId=pool.pool_id, Username=EMAIL)

    with aws_error("InvalidParameterException"):
        pool.cognito.forgot_password(ClientId=pool.client_id, Username=EMAIL)
    assert [mail["kind"] for mail in mailbox(aws)] == ["confirm_sign_up"]


def test_an_invitation_mails_the_temporary_password_that_signs_in(aws, pool):
    user = pool.cognito.admin_create_user(
        UserPoolId=pool.pool_id,
        Username=EMAIL,
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "email_verified", "Value": "true"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]

    (mail,) = mailbox(aws, EMAIL)
    assert mail["kind"] == "invitation"
    assert mail["username"] == user["Username"]
    assert mail["subject"] == "Your temporary password"
    assert mail["body"] == f"Your username is {EMAIL} and temporary password is {mail['code']}. "
    result = srp_client(pool, password=mail["code"]).set_new_password_challenge(NEW_PASSWORD)
    assert "IdToken" in result["AuthenticationResult"]


def test_an_invitation_with_a_given_password_and_the_pools_template(aws, aws_client):
    cognito = cognito_in(aws_client, 0)
    pool_id = cognito.create_user_pool(
        PoolName="invites",
        UsernameAttributes=["email"],
        AdminCreateUserConfig={
            "InviteMessageTemplate": {"EmailSubject": "Welcome", "EmailMessage": "Hi {username}, use {####}"}
        },
    )["UserPool"]["Id"]

    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=EMAIL,
        TemporaryPassword="Tempor4ry-Pass!",
        UserAttributes=[{"Name": "email", "Value": EMAIL}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="quiet@example.com",
        UserAttributes=[{"Name": "email", "Value": "quiet@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
        MessageAction="SUPPRESS",
    )

    assert [(mail["to"], mail["subject"], mail["body"], mail["code"]) for mail in mailbox(aws)] == [
        (EMAIL, "Welcome", f"Hi {EMAIL}, use Tempor4ry-Pass!", "Tempor4ry-Pass!")
    ]


def test_mail_carries_its_account_and_pool(aws, aws_client):
    first = create_pool(cognito_in(aws_client, 0), ACCOUNTS[0])
    second = create_pool(cognito_in(aws_client, 1), ACCOUNTS[1])
    sign_up(first)
    sign_up(second)

    first_mail, second_mail = mailbox(aws, EMAIL)

    assert (first_mail["account_id"], first_mail["pool_id"]) == (ACCOUNTS[0], first.pool_id)
    assert (second_mail["account_id"], second_mail["pool_id"]) == (ACCOUNTS[1], second.pool_id)
    if first_mail["code"] != second_mail["code"]:  # one in a million, both accounts drew the same code
        with aws_error("CodeMismatchException"):
            confirm(second, first_mail["code"])
    confirm(second, second_mail["code"])
    confirm(first, first_mail["code"])


def test_the_mailbox_filters_by_address_and_clears(aws, pool):
    sign_up(pool)
    sign_up(pool, "Other@Example.com")

    assert [mail["to"] for mail in mailbox(aws)] == [EMAIL, "Other@Example.com"]
    assert [mail["to"] for mail in mailbox(aws, "other@example.com")] == ["Other@Example.com"]
    assert mailbox(aws, "nobody@example.com") == []

    assert mailbox(aws, method="DELETE") == []
    assert mailbox(aws) == []


def test_the_emulators_reset_empties_the_mailbox(aws, pool):
    sign_up(pool)
    assert len(mailbox(aws)) == 1

    aws.reset_state()

    assert mailbox(aws) == []


def test_the_cli_prints_the_latest_mail(aws, pool):
    sign_up(pool)
    code = mailbox(aws)[-1]["code"]
    env = {**os.environ, "PYTHONPATH": TOOLS}

    output = subprocess.run(
        [sys.executable, "-m", "creatorcloud_emulator", "mail", "--to", EMAIL, "--port", str(aws.port)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout

    assert f"code: {code}" in output
    assert EMAIL in output and pool.pool_id in output


def code_holder():
    """An object that holds codes the way the emulator's users do (in their attributes)."""
    return types.SimpleNamespace()


def test_a_code_expires_after_its_lifetime():
    # The lifetimes are a day and an hour: checked in-process, with the clock passed in.
    from creatorcloud_emulator.additions import cognito_mail

    user = code_holder()
    code = cognito_mail.issue_code(user, cognito_mail.CONFIRM_SIGN_UP, now=1000.0)

    cognito_mail.check_code(user, cognito_mail.CONFIRM_SIGN_UP, code, now=1000.0 + 24 * 3600)
    with pytest.raises(Exception) as error:
        cognito_mail.check_code(user, cognito_mail.CONFIRM_SIGN_UP, code, now=1000.0 + 24 * 3600 + 1)
    assert error.value.error_type == "ExpiredCodeException"
    assert error.value.message == "Invalid code provided, please request a code again."

    reset_code = cognito_mail.issue_code(user, cognito_mail.FORGOT_PASSWORD, now=1000.0)
    with pytest.raises(Exception) as error:
        cognito_mail.check_code(user, cognito_mail.FORGOT_PASSWORD, reset_code, now=1000.0 + 3600 + 1)
    assert error.value.error_type == "ExpiredCodeException"
