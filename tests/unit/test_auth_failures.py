# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures of the auth converge name what went wrong, what to do and what had already changed.

The emulator neither enforces Cognito quotas nor refuses calls for missing permissions, so
botocore's Stubber answers with those errors here.
"""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import DEFAULT_LIFETIMES
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.converge import Auth

DESIRED = {
    "creator": "creator1",
    "domain": "creator1.example",
    "tags": {},
    "purge_tags": True,
    "mfa": "optional",
    "admins": [],
    "post_confirmation_lambda_arn": None,
    "token_lifetimes": dict(DEFAULT_LIFETIMES),
}
POOL = {"Id": "eu-central-1_abc", "Name": "creatorcloud-creator1-users", "Arn": "arn:aws:cognito-idp:x"}


@pytest.fixture
def stubbed():
    client = boto3.client("cognito-idp", region_name="eu-central-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stubber:
        yield client, stubber


def test_a_quota_on_pools_fails_before_anything_changed(stubbed):
    client, stubber = stubbed
    stubber.add_response("list_user_pools", {"UserPools": []}, {"MaxResults": 60})
    stubber.add_client_error("create_user_pool", "LimitExceededException", "too many pools")

    with pytest.raises(ConvergeError) as failure:
        Auth(client, DESIRED, check_mode=False).converge()

    assert failure.value.message.startswith("could not create user pool creatorcloud-creator1-users: ")
    assert "raise it in Service Quotas" in failure.value.message
    assert failure.value.changes == []


def test_a_refused_mfa_setting_reports_the_pool_it_created(stubbed):
    client, stubber = stubbed
    stubber.add_response("list_user_pools", {"UserPools": []}, {"MaxResults": 60})
    stubber.add_response("create_user_pool", {"UserPool": POOL}, None)
    stubber.add_client_error("set_user_pool_mfa_config", "AccessDeniedException", "denied")

    with pytest.raises(ConvergeError) as failure:
        Auth(client, DESIRED, check_mode=False).converge()

    assert "check its policies" in failure.value.message
    assert failure.value.changes == ["create user pool creatorcloud-creator1-users"]
