# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cognito's codes and invitations, "sent" by mail to the emulator's local mailbox.

moto 5.2.5 sends no mail, confirms a sign-up with any code, accepts any code for
ConfirmForgotPassword (unless it starts with moto's own prefix), lacks ResendConfirmationCode
and invites a user without a temporary password when none is given. Here, as in Cognito:
- SignUp and ResendConfirmationCode of a pool that auto-verifies e-mail mail a 6-digit code;
  ConfirmSignUp accepts only the latest one, for 24 hours, and marks the address verified;
- ForgotPassword mails a code to a verified address (the pool's recovery mechanisms decide),
  which ConfirmForgotPassword accepts for an hour, with a password the policy accepts;
- AdminCreateUser makes a temporary password to the pool's policy when none is given and mails
  the invitation when DesiredDeliveryMediums has EMAIL, unless MessageAction is SUPPRESS.
AdminConfirmSignUp still confirms without a code, for tests and operators. The mails go to
the emulator's mailbox (creatorcloud_emulator.mailbox), where a test or a person reads them.
"""

import secrets
import string
import time

from moto.cognitoidp.exceptions import CodeMismatchException
from moto.cognitoidp.exceptions import ExpiredCodeException
from moto.cognitoidp.exceptions import InvalidParameterException
from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.exceptions import ResourceNotFoundError
from moto.cognitoidp.exceptions import UserNotFoundError
from moto.cognitoidp.models import CognitoIdpBackend
from moto.cognitoidp.models import RegionAgnosticBackend
from moto.cognitoidp.models import UserStatus
from moto.cognitoidp.models import cognitoidp_backends
from moto.cognitoidp.models import find_account_region_by_value
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult
from moto.core.responses import EmptyResult

from creatorcloud_emulator import mailbox

CONFIRM_SIGN_UP = "confirm_sign_up"
FORGOT_PASSWORD = "forgot_password"
INVITATION = "invitation"
# How long a code is accepted, as in Cognito: a day to confirm a sign-up, an hour to reset a password.
CODE_LIFETIME_SECONDS = {CONFIRM_SIGN_UP: 24 * 60 * 60, FORGOT_PASSWORD: 60 * 60}
# Cognito's default messages, for a pool whose templates do not say otherwise.
DEFAULT_VERIFICATION = ("Your verification code", "Your verification code is {####}. ")
DEFAULT_INVITATION = ("Your temporary password", "Your username is {username} and temporary password is {####}. ")
PASSWORD_SYMBOLS = "^$*.[]{}()?!@#%&/,><:;|_~=+-"
UNKNOWN_USER = "Username/client id combination not found."
# Recovery mechanisms: how the code goes and which attribute must be verified for it.
RECOVERY_MEDIUMS = {"verified_email": ("EMAIL", "email"), "verified_phone_number": ("SMS", "phone_number")}
LEGACY_RECOVERY = ({"Name": "verified_phone_number", "Priority": 1}, {"Name": "verified_email", "Priority": 2})

_moto_sign_up = CognitoIdpBackend.sign_up


def issue_code(user, kind, now=None):
    """A new 6-digit code of `kind` for `user`, replacing the previous one."""
    code = f"{secrets.randbelow(10**6):06d}"
    user.__dict__.setdefault("creatorcloud_codes", {})[kind] = (code, time.time() if now is None else now)
    return code


def check_code(user, kind, code, now=None):
    """Raise as Cognito does unless `code` is the latest unexpired code of `kind` sent to `user`."""
    issued = user.__dict__.get("creatorcloud_codes", {}).get(kind)
    if issued is None or not secrets.compare_digest(issued[0].encode(), str(code or "").encode()):
        raise CodeMismatchException("Invalid verification code provided, please try again.")
    if (time.time() if now is None else now) - issued[1] > CODE_LIFETIME_SECONDS[kind]:
        raise ExpiredCodeException("Invalid code provided, please request a code again.")


def use_code(user, kind, code):
    """Check `code` as check_code does, then forget it: a code confirms once."""
    check_code(user, kind, code)
    user.__dict__["creatorcloud_codes"].pop(kind)


def verification_message(pool):
    """(subject, message) of the pool's verification mail, Cognito's defaults where the pool sets none."""
    config = pool.extended_config
    template = config.get("VerificationMessageTemplate") or {}
    return (
        template.get("EmailSubject") or config.get("EmailVerificationSubject") or DEFAULT_VERIFICATION[0],
        template.get("EmailMessage") or config.get("EmailVerificationMessage") or DEFAULT_VERIFICATION[1],
    )


def invitation_message(pool):
    """(subject, message) of the pool's invitation mail, Cognito's defaults where the pool sets none."""
    template = (pool.extended_config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
    return template.get("EmailSubject") or DEFAULT_INVITATION[0], template.get("EmailMessage") or DEFAULT_INVITATION[1]


def send_code(backend, pool, user, kind):
    """Mail a new code of `kind` to the user's e-mail address, with the pool's verification message."""
    code = issue_code(user, kind)
    subject, message = verification_message(pool)
    mailbox.deliver(
        backend,
        to=user.attribute_lookup["email"],
        subject=subject,
        body=message.replace("{####}", code),
        code=code,
        pool_id=pool.id,
        username=user.username,
        kind=kind,
    )
    return email_delivery(user)


def email_delivery(user):
    """CodeDeliveryDetails of a mail to the user's address, masked as Cognito masks it."""
    local, unused_at, domain = user.attribute_lookup["email"].partition("@")
    return {"Destination": f"{local[:1]}***@{domain[:1]}***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}


def verifies_email(pool, user):
    """True when the pool sends `user` a code to verify the e-mail address (AutoVerifiedAttributes)."""
    return "email" in (pool.extended_config.get("AutoVerifiedAttributes") or []) and "email" in user.attribute_lookup


def backend_and_pool(client_id, current_account, region):
    """The Cognito backend and pool of the app client `client_id`, in whichever account has it."""
    backend = RegionAgnosticBackend(current_account, region)._find_backend_for_clientid(client_id)
    for pool in backend.user_pools.values():
        if client_id in pool.clients:
            return backend, pool
    raise ResourceNotFoundError(f"User pool client {client_id} does not exist.")


def user_of(pool, username):
    """The pool's user named `username` (or its alias); UserNotFoundException as Cognito answers."""
    user = pool._get_user(username or "")
    if user is None:
        raise UserNotFoundError(UNKNOWN_USER)
    return user


def sign_up(self, client_id, username, password, attributes):
    """moto's SignUp, which mails the confirmation code when the pool verifies e-mail."""
    user, details = _moto_sign_up(self, client_id, username, password, attributes)
    pool = self.user_pools[user.user_pool_id]
    if "email" in user.attribute_lookup and "email_verified" not in user.attribute_lookup:
        # Cognito records the new address as not verified (ID tokens say so) until a code confirms it.
        user.update_attributes([{"Name": "email_verified", "Value": "false"}])
    if verifies_email(pool, user):
        details = send_code(self, pool, user, CONFIRM_SIGN_UP)
    return user, details


def resend_confirmation_code(self):
    """ResendConfirmationCode: a new code by mail; the previous one no longer confirms."""
    backend, pool = backend_and_pool(self._get_param("ClientId"), self.current_account, self.region)
    user = user_of(pool, self._get_param("Username"))
    if user.status == UserStatus.CONFIRMED:
        raise InvalidParameterException("User is already confirmed.")
    if not verifies_email(pool, user):
        raise InvalidParameterException("Cannot resend codes. Auto verification not turned on.")
    return ActionResult({"CodeDeliveryDetails": send_code(backend, pool, user, CONFIRM_SIGN_UP)})


def confirm_sign_up(self):
    """ConfirmSignUp with the latest code mailed to the user; confirming verifies the address."""
    client_id = self._get_param("ClientId")
    backend, pool = backend_and_pool(client_id, self.current_account, self.region)
    user = user_of(pool, self._get_param("Username"))
    if user.status == UserStatus.CONFIRMED:
        raise NotAuthorizedError(f"User cannot be confirmed. Current status is {user.status.value}")
    use_code(user, CONFIRM_SIGN_UP, self._get_param("ConfirmationCode"))
    backend.confirm_sign_up(client_id, user.username)
    user.update_attributes([{"Name": "email_verified", "Value": "true"}])
    return EmptyResult()


def recovery_medium(pool, user):
    """How Cognito sends `user` a password reset code: the pool's first recovery mechanism the user has verified.

    A pool without AccountRecoverySetting keeps Cognito's legacy order (a verified phone, then a verified e-mail).
    """
    mechanisms = (pool.extended_config.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms") or LEGACY_RECOVERY
    for mechanism in sorted(mechanisms, key=lambda mechanism: mechanism["Priority"]):
        medium, attribute = RECOVERY_MEDIUMS.get(mechanism["Name"], (None, None))
        if medium and user.attribute_lookup.get(f"{attribute}_verified") == "true":
            return medium
    raise InvalidParameterException(
        "Cannot reset password for the user as there is no registered/verified email or phone_number"
    )


def forgot_password(self):
    """moto's ForgotPassword (unknown client, admin_only recovery), with the code mailed to a verified address."""
    client_id = self._get_param("ClientId")
    username = self._get_param("Username")
    account, region = find_account_region_by_value("client_id", client_id, (self.current_account, self.region))
    backend = cognitoidp_backends[account][region]
    unused_moto_code, response = backend.forgot_password(client_id, username)
    pool = next(pool for pool in backend.user_pools.values() if client_id in pool.clients)
    user = pool._get_user(username)
    if user is not None and recovery_medium(pool, user) == "EMAIL":
        response["CodeDeliveryDetails"] = send_code(backend, pool, user, FORGOT_PASSWORD)
    return ActionResult(response)


def confirm_forgot_password(self):
    """ConfirmForgotPassword with the latest code mailed to the user and a password the policy accepts."""
    client_id = self._get_param("ClientId")
    backend, pool = backend_and_pool(client_id, self.current_account, self.region)
    user = user_of(pool, self._get_param("Username"))
    password = self._get_param("Password")
    check_code(user, FORGOT_PASSWORD, self._get_param("ConfirmationCode"))
    backend._validate_password(pool.id, password)
    use_code(user, FORGOT_PASSWORD, self._get_param("ConfirmationCode"))
    user.password = password
    if user.status == UserStatus.RESET_REQUIRED:
        user.status = UserStatus.CONFIRMED
    return EmptyResult()


def temporary_password(pool):
    """A password the pool's policy accepts: every kind of character, at least 12 of them."""
    policy = pool.extended_config.get("Policies", {}).get("PasswordPolicy", {})
    kinds = (string.ascii_uppercase, string.ascii_lowercase, string.digits, PASSWORD_SYMBOLS)
    length = max(12, policy.get("MinimumLength", 8))
    characters = [secrets.choice(kind) for kind in kinds]
    characters += [secrets.choice("".join(kinds)) for unused_index in range(length - len(characters))]
    secrets.SystemRandom().shuffle(characters)
    return "".join(characters)


def admin_create_user(self):
    """moto's AdminCreateUser, with a temporary password made when none is given, and the invitation mailed.

    As Cognito does, the invitation goes by e-mail when DesiredDeliveryMediums includes EMAIL
    and the user has an address, unless MessageAction is SUPPRESS.
    """
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
    username = self._get_param("Username")
    message_action = self._get_param("MessageAction")
    password = self._get_param("TemporaryPassword") or temporary_password(pool)
    user = self.backend.admin_create_user(
        pool.id, username, message_action, password, self._get_param("UserAttributes", [])
    )
    if message_action != "SUPPRESS" and "EMAIL" in self._get_param("DesiredDeliveryMediums", []):
        send_invitation(self.backend, pool, user, username, password)
    return ActionResult({"User": user.to_json(extended=True)})


def send_invitation(backend, pool, user, username, password):
    """Mail the invitation with the pool's invitation message, when the user has an address."""
    if "email" not in user.attribute_lookup:
        return
    subject, message = invitation_message(pool)
    mailbox.deliver(
        backend,
        to=user.attribute_lookup["email"],
        subject=subject,
        body=message.replace("{username}", username).replace("{####}", password),
        code=password,
        pool_id=pool.id,
        username=user.username,
        kind=INVITATION,
    )


def register():
    CognitoIdpBackend.sign_up = sign_up
    CognitoIdpResponse.resend_confirmation_code = resend_confirmation_code
    CognitoIdpResponse.confirm_sign_up = confirm_sign_up
    CognitoIdpResponse.forgot_password = forgot_password
    CognitoIdpResponse.confirm_forgot_password = confirm_forgot_password
    CognitoIdpResponse.admin_create_user = admin_create_user
