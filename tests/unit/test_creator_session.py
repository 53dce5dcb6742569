# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CreatorSession on the emulator: clients act inside the creator's account, and only there."""

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import role_session_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule

CREATOR1 = "111111111111"
CREATOR2 = "222222222222"


def module_for(aws, account_id, creator, **extra):
    """A CreatorCloud module instance with the given parameters, as Ansible would build it."""
    args = dict(
        account_id=account_id,
        creator=creator,
        endpoint_url=aws.endpoint_url,
        access_key="testing",
        secret_key="testing",
        region="eu-central-1",
        **extra,
    )
    with patch_module_args(args):
        return CreatorCloudModule(argument_spec=creator_session_argument_spec(), supports_check_mode=True)


def test_clients_act_inside_the_creator_account(aws):
    session = CreatorSession.from_params(module_for(aws, CREATOR1, "creator1"))

    identity = session.client("sts").get_caller_identity()

    assert identity["Account"] == CREATOR1
    assert (
        identity["Arn"] == f"arn:aws:sts::{CREATOR1}:assumed-role/OrganizationAccountAccessRole/creatorcloud-creator1"
    )


def test_the_role_name_and_external_id_are_used(aws):
    module = module_for(aws, CREATOR2, "creator2", role_name="CreatorCloudDeploy", external_id="agency-42")
    session = CreatorSession.from_params(module)

    assert session.role_arn == f"arn:aws:iam::{CREATOR2}:role/CreatorCloudDeploy"
    assert (
        session.client("sts")
        .get_caller_identity()["Arn"]
        .endswith(":assumed-role/CreatorCloudDeploy/creatorcloud-creator2")
    )
    [assume] = [call for call in aws.calls()["calls"] if call["operation"] == "AssumeRole"]
    assert assume["account"] == "123456789012"


def test_resources_made_through_one_creator_are_invisible_to_another(aws):
    creator1 = CreatorSession.from_params(module_for(aws, CREATOR1, "creator1"))
    creator2 = CreatorSession.from_params(module_for(aws, CREATOR2, "creator2"))

    creator1.client("dynamodb").create_table(
        TableName="Users",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
    )

    assert creator1.client("dynamodb").list_tables()["TableNames"] == ["Users"]
    assert creator2.client("dynamodb").list_tables()["TableNames"] == []
    writes = [call for call in aws.calls()["calls"] if call["kind"] == "write"]
    assert [(w["operation"], w["account"]) for w in writes] == [("CreateTable", CREATOR1)]


def test_global_clients_are_in_us_east_1_and_regional_ones_in_the_module_region(aws):
    session = CreatorSession.from_params(module_for(aws, CREATOR1, "creator1"))

    assert session.global_client("acm").meta.region_name == "us-east-1"
    assert session.client("s3").meta.region_name == "eu-central-1"
    assert session.client("s3").meta.endpoint_url == aws.endpoint_url


def test_the_role_is_assumed_once_per_module_run(aws):
    session = CreatorSession.from_params(module_for(aws, CREATOR1, "creator1"))

    session.client("s3")
    session.client("dynamodb")
    session.global_client("acm")

    assert [c["operation"] for c in aws.calls()["calls"]] == ["AssumeRole"]


def test_retries_are_botocores_standard_mode(aws):
    client = CreatorSession.from_params(module_for(aws, CREATOR1, "creator1")).client("s3")

    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 10}


def test_each_client_is_made_once_with_the_roles_credentials(aws):
    session = CreatorSession.from_params(module_for(aws, CREATOR1, "creator1"))

    s3, dynamodb, s3_global = session.client("s3"), session.client("dynamodb"), session.global_client("s3")

    assert session.client("s3") is s3 and session.global_client("s3") is s3_global
    assert s3_global.meta.region_name == "us-east-1" and s3.meta.region_name != "us-east-1"
    signing = [client._request_signer._credentials.access_key for client in (s3, dynamodb, s3_global)]
    assert len(set(signing)) == 1 and signing[0] != "testing"  # the role's, assumed once
    assert [c["operation"] for c in aws.calls()["calls"]] == ["AssumeRole"]


def test_the_user_agent_names_the_collection_and_the_module(aws):
    module = module_for(aws, CREATOR1, "creator1", _ansible_module_name="creatorcloud.platform.tables")
    client = CreatorSession.from_params(module).client("dynamodb")

    client.list_tables()

    assert "creatorcloud.platform/" in client.meta.config.user_agent
    [call] = [c for c in aws.calls()["calls"] if c["operation"] == "ListTables"]
    assert call["module"] == "tables"


@pytest.mark.parametrize(
    ("creator", "expected"), [("creator1", "creatorcloud-creator1"), ("x" * 70, "creatorcloud-" + "x" * 51)]
)
def test_session_names_name_the_creator_within_the_limit(creator, expected):
    assert role_session_name(creator) == expected


def management_module(aws, **connection):
    """A module with the management connection `connection` (keys by default), as Ansible would build it."""
    args = dict(endpoint_url=aws.endpoint_url, region="eu-central-1", **connection)
    with patch_module_args(args):
        return CreatorCloudModule(argument_spec={}, supports_check_mode=True)


def test_a_management_client_with_keys_acts_as_the_management_account_in_the_given_region(aws):
    module = management_module(aws, access_key="testing", secret_key="testing")

    organizations = module.client("organizations", region="us-east-1")
    sts = module.client("sts")

    assert organizations.meta.region_name == "us-east-1" and sts.meta.region_name == "eu-central-1"
    assert sts.get_caller_identity()["Account"] == "123456789012"
    assert "creatorcloud-module/" in sts.meta.config.user_agent_extra
    assert sts.meta.config.retries["total_max_attempts"] == 10


def test_a_management_client_with_a_profile_is_made_by_amazon_aws_from_that_profile(aws, tmp_path, monkeypatch):
    config = tmp_path / "credentials"
    config.write_text("[agency]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(config))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    module = management_module(aws, profile="agency")

    sts = module.client("sts")

    assert sts.get_caller_identity()["Account"] == "123456789012"
    assert "creatorcloud-module/" in sts.meta.config.user_agent_extra
    assert sts.meta.config.retries["total_max_attempts"] == 10
