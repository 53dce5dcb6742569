# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures of the shop converge name what to do and what had already changed.

The emulator does not refuse calls for missing permissions, so botocore's Stubber answers with those errors.
"""

import json

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.shop.converge import StripeKeys

KEY_ARN = "arn:aws:kms:eu-central-1:210987654321:key/11111111-2222-3333-4444-555555555555"
SECRET_ARN = "arn:aws:secretsmanager:eu-central-1:210987654321:secret:creatorcloud/creator1/stripe-AbCdEf"
DESIRED = {
    "creator": "creator1",
    "kms_key_arn": KEY_ARN,
    "stripe_secret_key": "sk_test_51FailuresNeverPrinted0001",
    "stripe_webhook_secret": "whsec_FailuresNeverPrinted0002",
    "tags": {},
    "purge_tags": True,
}
DENIED = "check its policies"


@pytest.fixture
def stubbed():
    client = boto3.client(
        "secretsmanager", region_name="eu-central-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with Stubber(client) as stubber:
        yield client, stubber


def test_a_refused_read_fails_with_the_advice(stubbed):
    client, stubber = stubbed
    stubber.add_client_error("describe_secret", "AccessDeniedException", "denied")

    with pytest.raises(ConvergeError) as failure:
        StripeKeys(client, DESIRED, check_mode=False).converge()

    assert DENIED in failure.value.message
    assert failure.value.changes == []


def test_a_refused_step_after_a_write_reports_the_write(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "describe_secret", {"ARN": SECRET_ARN, "Name": "creatorcloud/creator1/stripe", "KmsKeyId": "alias/aws/x"}
    )
    stubber.add_response("get_secret_value", {"ARN": SECRET_ARN, "SecretString": json.dumps({"old": "keys"})})
    stubber.add_response("put_secret_value", {"ARN": SECRET_ARN}, {"SecretId": SECRET_ARN, "SecretString": ANY})
    stubber.add_client_error("update_secret", "AccessDeniedException", "denied")

    with pytest.raises(ConvergeError) as failure:
        StripeKeys(client, DESIRED, check_mode=False).converge()

    assert DENIED in failure.value.message
    assert failure.value.changes == ["store new Stripe keys in secret creatorcloud/creator1/stripe"]
    assert DESIRED["stripe_secret_key"] not in failure.value.message


def test_a_read_that_fails_after_a_write_keeps_the_write_and_the_advice():
    changes = Changes(check_mode=False)
    with pytest.raises(ConvergeError) as failure, changes.reporting_failures():
        changes.make("create the thing", lambda: None)
        raise AnsibleAWSError(message="Failed to read the thing", exception=None)

    assert failure.value.changes == ["create the thing"]
    assert (
        failure.value.message
        == "Failed to read the thing: fix the cause and run again: the next run finishes what is left"
    )
