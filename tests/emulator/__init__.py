# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the emulator's additions to moto, through boto3 clients on the running emulator.

Helpers shared by these tests live here.
"""

from contextlib import contextmanager

import pytest
from botocore.exceptions import ClientError

ACCOUNTS = ("111111111111", "222222222222")


def assumed_role(aws_client, account_id):
    """Credentials of a role assumed in `account_id`: moto answers for the account of the access key."""
    credentials = aws_client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="test"
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def clients_in_accounts(aws_client, service, region="eu-central-1"):
    """One `service` client in each of ACCOUNTS."""
    return [aws_client(service, region, **assumed_role(aws_client, account)) for account in ACCOUNTS]


@contextmanager
def aws_error(code, status=None):
    """Expect the call inside to fail with this AWS error code (and HTTP status)."""
    with pytest.raises(ClientError) as excinfo:
        yield excinfo
    assert excinfo.value.response["Error"]["Code"] == code
    if status is not None:
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
