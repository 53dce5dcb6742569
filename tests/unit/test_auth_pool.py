# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planning of the creator's user pool: the settings it wants, and how they compare with what AWS returns."""

import copy

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import create_pool_request
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import desired_mfa_config
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import desired_pool_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import ensure_pool
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import normalised_mfa_config
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import pool_differences
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.pool import update_pool_request

TAGS = {"creatorcloud:creator": "creator1", "creatorcloud:component": "auth"}
FUNCTION = "arn:aws:lambda:eu-central-1:210987654321:function:post-confirmation"


class UntouchableClient:
    """A client that fails the test when any call reaches it: check mode must not call AWS."""

    def __getattr__(self, name):
        raise AssertionError(f"check mode called {name}")


def described(settings, **changes):
    """A pool as DescribeUserPool answers: the settings plus what AWS adds on its own."""
    pool = copy.deepcopy(settings)
    pool.update(
        Id="eu-central-1_abc",
        Arn="arn:aws:cognito-idp:eu-central-1:210987654321:userpool/eu-central-1_abc",
        Name="creatorcloud-creator1-users",
        MfaConfiguration="OPTIONAL",
        EstimatedNumberOfUsers=3,
        SchemaAttributes=[{"Name": "email", "Required": True}],
        Mfa=desired_mfa_config("optional"),
    )
    pool["Policies"]["PasswordPolicy"]["PasswordHistorySize"] = 0
    pool["VerificationMessageTemplate"]["EmailMessage"] = "Your verification code is {####}."
    pool["LambdaConfig"] = dict(pool["LambdaConfig"], PreSignUp="")
    pool["UserPoolTags"] = dict(pool["UserPoolTags"], **{"aws:cloudformation:stack-name": "x"})
    pool.update(changes)
    return pool


def test_the_pool_has_the_policies_the_issue_asks_for():
    settings = desired_pool_settings(TAGS, None)

    assert settings["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert all(settings["Policies"]["PasswordPolicy"][f"Require{kind}"] for kind in ("Uppercase", "Lowercase"))
    assert settings["DeletionProtection"] == "ACTIVE"
    assert settings["AutoVerifiedAttributes"] == ["email"]
    assert settings["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]}
    assert settings["LambdaConfig"] == {}
    assert settings["UserPoolTags"] == TAGS


def test_the_trigger_is_set_only_when_given():
    assert desired_pool_settings(TAGS, FUNCTION)["LambdaConfig"] == {"PostConfirmation": FUNCTION}


def test_sign_in_with_email_is_chosen_at_creation_and_mfa_is_left_to_its_own_call():
    request = create_pool_request("creatorcloud-creator1-users", desired_pool_settings(TAGS, None))

    assert (request["PoolName"], request["UsernameAttributes"]) == ("creatorcloud-creator1-users", ["email"])
    assert "MfaConfiguration" not in request


@pytest.mark.parametrize(("mfa", "expected"), [("off", "OFF"), ("optional", "OPTIONAL")])
def test_an_update_always_sends_the_mfa_setting_so_it_is_not_reset(mfa, expected):
    settings = desired_pool_settings(TAGS, None)

    request = update_pool_request(settings, mfa)

    assert request == dict(settings, MfaConfiguration=expected)
    assert desired_mfa_config(mfa)["MfaConfiguration"] == expected


def test_a_new_pool_without_totp_reads_as_mfa_off():
    assert normalised_mfa_config({"MfaConfiguration": "OFF"}) == desired_mfa_config("off")
    assert normalised_mfa_config({"SoftwareTokenMfaConfiguration": None}) == desired_mfa_config("off")


def test_what_aws_adds_is_no_difference():
    settings = desired_pool_settings(TAGS, None)

    assert pool_differences(described(settings), settings) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"DeletionProtection": "INACTIVE"}, ["DeletionProtection"]),
        ({"LambdaConfig": {"PostConfirmation": FUNCTION}}, ["LambdaConfig"]),
        ({"UserPoolTags": {**TAGS, "owner": "someone"}}, ["UserPoolTags"]),
        ({"AutoVerifiedAttributes": ["email", "phone_number"]}, ["AutoVerifiedAttributes"]),
    ],
    ids=["protection-off", "unwanted-trigger", "extra-tag", "extra-verified-attribute"],
)
def test_a_setting_changed_by_hand_is_a_difference(change, expected):
    settings = desired_pool_settings(TAGS, None)

    assert pool_differences(described(settings, **change), settings) == expected


def test_check_mode_predicts_a_new_pool_without_calling_aws():
    changes = Changes(check_mode=True)
    settings = desired_pool_settings(TAGS, None)

    after = ensure_pool(UntouchableClient(), changes, None, "creatorcloud-creator1-users", settings, "optional")

    assert changes.made == [
        "create user pool creatorcloud-creator1-users",
        "set MFA of user pool creatorcloud-creator1-users to optional",
    ]
    assert (after["Id"], after["Mfa"], after["DeletionProtection"]) == (None, desired_mfa_config("optional"), "ACTIVE")


def test_check_mode_plans_one_update_naming_every_differing_setting():
    changes = Changes(check_mode=True)
    settings = desired_pool_settings(TAGS, FUNCTION)
    current = described(desired_pool_settings(TAGS, None), DeletionProtection="INACTIVE")

    ensure_pool(UntouchableClient(), changes, current, "creatorcloud-creator1-users", settings, "optional")

    assert changes.made == ["update user pool creatorcloud-creator1-users: DeletionProtection, LambdaConfig"]
