# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of the aws_organizations inventory: OU paths, groups, host vars, errors, the walk."""

import datetime
import json
import sys
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".collections"))

from ansible_collections.creatorcloud.platform.plugins.inventory import aws_organizations as plugin  # noqa: E402

ROOT, CREATORS, EU, MEDIA = "r-abcd", "ou-abcd-creators", "ou-abcd-eu", "ou-abcd-media"
ARN = "arn:aws:organizations::123456789012:account/o-example/"


@pytest.mark.parametrize(
    "ou_path, groups",
    [
        ("", []),
        ("creators", ["ou_creators"]),
        ("creators/eu", ["ou_creators", "ou_creators_eu"]),
        ("creators/eu/de", ["ou_creators", "ou_creators_eu", "ou_creators_eu_de"]),
    ],
)
def test_ou_group_names_run_from_the_top_ou_down(ou_path, groups):
    assert plugin.ou_group_names(ou_path) == groups


@pytest.mark.parametrize(
    "path, scopes, in_scope, worth_walking",
    [
        ("creators/eu", (), True, True),
        ("", ("creators/eu",), False, True),
        ("creators", ("creators/eu",), False, True),
        ("creators/eu", ("creators/eu",), True, True),
        ("creators/eu/de", ("creators/eu",), True, True),
        ("creators/europe", ("creators/eu",), False, False),
        ("media", ("creators/eu",), False, False),
        ("media", ("creators/eu", ""), True, True),
    ],
)
def test_scopes_match_whole_path_segments(path, scopes, in_scope, worth_walking):
    assert plugin.ou_path_in_scope(path, scopes) is in_scope
    assert plugin.ou_path_worth_walking(path, scopes) is worth_walking


@pytest.mark.parametrize(
    "account, state",
    [
        ({"Status": "ACTIVE"}, "ACTIVE"),
        ({"Status": "ACTIVE", "State": "PENDING_CLOSURE"}, "PENDING_CLOSURE"),
        ({"State": "SUSPENDED"}, "SUSPENDED"),
    ],
)
def test_account_state_prefers_state_over_the_older_status(account, state):
    assert plugin.account_state(account) == state


def test_the_role_arn_keeps_the_partition_of_the_account():
    record = {
        "Id": "210987654321",
        "Arn": "arn:aws-cn:organizations::123456789012:account/o-x/210987654321",
        "OuPath": "",
        "OuId": ROOT,
    }
    host_vars = plugin.creator_host_vars(record, "Deploy")
    assert host_vars["account_role_arn"] == "arn:aws-cn:iam::210987654321:role/Deploy"


def test_records_are_json_safe_and_host_vars_are_prefixed():
    joined = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)
    account = {
        "Id": "210987654321",
        "Arn": ARN + "210987654321",
        "Email": "a@example.com",
        "Name": "alice",
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": "CREATED",
        "JoinedTimestamp": joined,
    }

    record = plugin.account_record(account, "creators/eu", EU, {"creatorcloud:creator": "alice"})
    host_vars = plugin.creator_host_vars(json.loads(json.dumps(record)), "OrganizationAccountAccessRole")

    assert host_vars == {
        "account_id": "210987654321",
        "account_name": "alice",
        "account_email": "a@example.com",
        "account_arn": ARN + "210987654321",
        "account_status": "ACTIVE",
        "account_joined_at": "2024-05-01T12:00:00+00:00",
        "account_ou_path": "creators/eu",
        "account_ou_id": EU,
        "account_tags": {"creatorcloud:creator": "alice"},
        "account_role_arn": "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
    }


def _failure(exception):
    return plugin.orgs.AnsibleOrganizationsError(message="Failed to list things", exception=exception)


def test_access_denied_names_the_call_and_the_permissions_needed():
    denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListAccountsForParent")
    message = plugin.failure_message(_failure(denied))
    assert "Access denied to organizations:ListAccountsForParent" in message
    assert "organizations:List* and organizations:Describe* in the organization's management account" in message


def test_other_failures_keep_what_failed_and_why():
    unreachable = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    message = plugin.failure_message(_failure(unreachable))
    assert message.startswith("Failed to list things: Could not connect to the endpoint URL")


def test_outside_an_organization_the_query_says_so():
    client = _client()
    stub = Stubber(client)
    stub.add_client_error("describe_organization", "AWSOrganizationsNotInUseException")
    with stub, pytest.raises(plugin.NotManagementAccountError, match="not the management account"):
        plugin.query_member_accounts(client, ())


def _account(account_id, state="ACTIVE"):
    return {
        "Id": account_id,
        "Arn": ARN + account_id,
        "Name": account_id,
        "Email": f"{account_id}@example.com",
        "Status": state,
        "State": state,
        "JoinedTimestamp": datetime.datetime(2024, 1, 1),
    }


def _ou(ou_id, name):
    return {"Id": ou_id, "Arn": f"arn:aws:organizations::123456789012:ou/o-example/{ou_id}", "Name": name}


def _client():
    return boto3.client("organizations", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")


def test_the_walk_lists_only_subtrees_in_scope_and_tags_only_active_members():
    client = _client()
    stub = Stubber(client)
    stub.add_response("describe_organization", {"Organization": {"Id": "o-example", "MasterAccountId": "123456789012"}})
    stub.add_response("list_roots", {"Roots": [{"Id": ROOT, "Name": "Root"}]})
    # The root and creators are only on the way to creators/eu: their OUs are listed, not their accounts.
    stub.add_response(
        "list_organizational_units_for_parent",
        {"OrganizationalUnits": [_ou(CREATORS, "creators"), _ou(MEDIA, "media")]},
        {"ParentId": ROOT},
    )
    stub.add_response(
        "list_organizational_units_for_parent", {"OrganizationalUnits": [_ou(EU, "eu")]}, {"ParentId": CREATORS}
    )
    stub.add_response(
        "list_accounts_for_parent",
        {"Accounts": [_account("111111111111"), _account("222222222222", "SUSPENDED")], "NextToken": "more"},
        {"ParentId": EU},
    )
    stub.add_response(
        "list_accounts_for_parent",
        {"Accounts": [_account("123456789012"), _account("333333333333")]},
        {"ParentId": EU, "NextToken": "more"},
    )
    # The walk is lazy: the accounts of an OU are tagged before its child OUs are listed.
    for account_id in ("111111111111", "333333333333"):
        stub.add_response(
            "list_tags_for_resource",
            {"Tags": [{"Key": "creatorcloud:creator", "Value": account_id}]},
            {"ResourceId": account_id},
        )
    stub.add_response("list_organizational_units_for_parent", {"OrganizationalUnits": []}, {"ParentId": EU})

    with stub:
        records = plugin.query_member_accounts(client, ("creators/eu",))

    stub.assert_no_pending_responses()
    assert [(r["Id"], r["OuPath"], r["OuId"]) for r in records] == [
        ("111111111111", "creators/eu", EU),
        ("333333333333", "creators/eu", EU),
    ]
    assert records[0]["Tags"] == {"creatorcloud:creator": "111111111111"}
