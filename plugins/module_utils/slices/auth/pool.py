# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's Cognito user pool: found by its name and tags, created when missing, never deleted.

Private to the auth module. The pool's settings are compared as the UpdateUserPool request
that would set them; MFA is compared through Get/SetUserPoolMfaConfig because TOTP can only be
switched on there.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cognito
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG

PASSWORD_POLICY = {
    "MinimumLength": 12,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
MFA_SETTINGS = {"off": "OFF", "optional": "OPTIONAL"}
# Settings compared for equality, not inclusion: a trigger or tag that is there but not wanted must go.
EXACT_SETTINGS = ("LambdaConfig", "UserPoolTags")


def desired_pool_settings(tags, post_confirmation_lambda_arn):
    """The pool's settings as UpdateUserPool takes them (without MfaConfiguration, see desired_mfa_config)."""
    return {
        "Policies": {"PasswordPolicy": dict(PASSWORD_POLICY)},
        "DeletionProtection": "ACTIVE",
        "AutoVerifiedAttributes": ["email"],
        "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
        # A changed e-mail address only replaces the old one once the fan confirmed it.
        "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False},
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
        "LambdaConfig": {"PostConfirmation": post_confirmation_lambda_arn} if post_confirmation_lambda_arn else {},
        "UserPoolTags": dict(tags),
    }


def create_pool_request(name, settings):
    """CreateUserPool: the settings plus what can only be chosen at creation (sign-in with e-mail)."""
    return {
        "PoolName": name,
        "UsernameAttributes": ["email"],
        "UsernameConfiguration": {"CaseSensitive": False},
        "Schema": [{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}],
        **settings,
    }


def update_pool_request(settings, mfa):
    """UpdateUserPool resets every setting it is not sent to its default, so it always gets all of them."""
    return dict(settings, MfaConfiguration=MFA_SETTINGS[mfa])


def desired_mfa_config(mfa):
    """SetUserPoolMfaConfig: TOTP (an authenticator app) as the only second factor, or none."""
    return {"MfaConfiguration": MFA_SETTINGS[mfa], "SoftwareTokenMfaConfiguration": {"Enabled": mfa != "off"}}


def normalised_mfa_config(answer):
    """GetUserPoolMfaConfig's answer in the shape of desired_mfa_config (a new pool has no TOTP setting)."""
    token = answer.get("SoftwareTokenMfaConfiguration") or {}
    return {
        "MfaConfiguration": answer.get("MfaConfiguration") or "OFF",
        "SoftwareTokenMfaConfiguration": {"Enabled": bool(token.get("Enabled"))},
    }


def own_tags(tags):
    """Tags without the aws: ones, which AWS sets and nobody else may change."""
    return {key: value for key, value in (tags or {}).items() if not key.startswith("aws:")}


def exact_value(pool, key):
    """A setting compared for equality, normalised: empty triggers and aws: tags do not count."""
    if key == "LambdaConfig":
        return {name: value for name, value in (pool.get(key) or {}).items() if value}
    return own_tags(pool.get(key))


def pool_differences(pool, settings):
    """The names of the settings that the pool does not have as `settings` sets them."""
    return sorted(
        key
        for key, value in settings.items()
        if not (exact_value(pool, key) == value if key in EXACT_SETTINGS else matches(pool.get(key), value))
    )


def read_pool(client, name, creator):
    """The pool named `name` (described, with its MFA config under `Mfa`), or None.

    Several pools may share a name in one account; the one tagged for this creator wins, and
    without exactly one the choice is left to the operator.
    """
    named = [pool for pool in cognito.list_user_pools(client) if pool["Name"] == name]
    pools = [cognito.describe_user_pool(client, pool["Id"]) for pool in named]
    if len(pools) > 1:
        pools = [pool for pool in pools if (pool.get("UserPoolTags") or {}).get(CREATOR_TAG) == creator]
        if len(pools) != 1:
            ids = ", ".join(pool["Id"] for pool in named)
            raise ConvergeError(
                f"the account has {len(named)} user pools named {name} ({ids}) and not exactly one tagged "
                f"{CREATOR_TAG}={creator}: tag the one to use (pools are never deleted by CreatorCloud)",
                [],
            )
    if not pools:
        return None
    pool = pools[0]
    return dict(pool, Mfa=normalised_mfa_config(cognito.get_mfa_config(client, pool["Id"])))


def ensure_pool(client, changes, current, name, settings, mfa, purge_tags=True):
    """Create the pool or put its settings and MFA right; returns the pool after (Id None in check mode).

    UpdateUserPool replaces all of the pool's tags: without `purge_tags` the pool's other tags are sent too.
    """
    if current is not None and not purge_tags:
        settings = dict(settings, UserPoolTags={**own_tags(current.get("UserPoolTags")), **settings["UserPoolTags"]})
    if current is None:
        # MFA is left out of the creation: TOTP can only be switched on once the pool exists.
        created = changes.make(
            f"create user pool {name}", cognito.create_user_pool, client, create_pool_request(name, settings)
        )
        current = dict(settings, Id=None, Arn=None, Name=name, Mfa=normalised_mfa_config({}))
        if created:
            current.update(Id=created["Id"], Arn=created["Arn"])
    pool_id = current["Id"]
    mfa_config = desired_mfa_config(mfa)
    if current["Mfa"] != mfa_config:
        changes.make(f"set MFA of user pool {name} to {mfa}", cognito.set_mfa_config, client, pool_id, mfa_config)
    differences = pool_differences(current, settings)
    if differences:
        changes.make(
            f"update user pool {name}: {', '.join(differences)}",
            cognito.update_user_pool,
            client,
            pool_id,
            update_pool_request(settings, mfa),
        )
    return dict(current, **settings, Mfa=mfa_config)


def pool_view(pool):
    """A pool as the diff shows it."""
    if pool is None:
        return None
    return {
        "id": pool["Id"],
        "name": pool["Name"],
        "password_policy": (pool.get("Policies") or {}).get("PasswordPolicy"),
        "deletion_protection": pool.get("DeletionProtection"),
        "auto_verified_attributes": pool.get("AutoVerifiedAttributes"),
        "account_recovery": pool.get("AccountRecoverySetting"),
        "mfa": pool["Mfa"],
        "post_confirmation_lambda_arn": exact_value(pool, "LambdaConfig").get("PostConfirmation"),
        "tags": own_tags(pool.get("UserPoolTags")),
    }
