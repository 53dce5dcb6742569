# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planning of a creator's tables: the requests a spec wants, what it rejects, and what cannot change in place."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import Tables
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import attribute_definitions
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import create_table_request
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import desired_index
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import desired_table_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import physical_table_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import plan_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import predicted_table
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import spec_errors

KEY = "arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff"
ON_DEMAND = {"mode": "PAY_PER_REQUEST", "read_capacity": None, "write_capacity": None}
PROVISIONED = {"mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 2}


def key(name, key_type="S"):
    return {"name": name, "type": key_type}


def index(name, attribute, projection="ALL", non_key_attributes=()):
    """An index spec as the module's argument spec fills it in."""
    return {
        "name": name,
        "partition_key": key(attribute),
        "sort_key": None,
        "projection": projection,
        "non_key_attributes": list(non_key_attributes),
    }


def table(name, partition, sort=None, indexes=(), **options):
    """A table spec as the module's argument spec fills it in."""
    spec = {
        "name": name,
        "partition_key": partition,
        "sort_key": sort,
        "global_secondary_indexes": list(indexes),
        "ttl_attribute": None,
        "stream": None,
        "backup": False,
    }
    spec.update(options)
    return spec


USERS = table("Users", key("userId"), indexes=[index("email-index", "email"), index("username-index", "username")])
MESSAGES = table("Messages", key("streamId"), key("timestamp", "N"), ttl_attribute="expiresAt")


def test_physical_name_is_the_creator_and_the_logical_name_in_lower_case():
    assert physical_table_name("creator1", "ShopOrders") == "creatorcloud-creator1-shoporders"


def test_create_request_has_keys_indexes_encryption_protection_and_tags():
    tags = desired_table_tags("creator1", dict(USERS, backup=True), {"cost-center": "eu"})
    request = create_table_request("creatorcloud-creator1-users", USERS, ON_DEMAND, KEY, tags)
    assert request == {
        "TableName": "creatorcloud-creator1-users",
        "KeySchema": [{"AttributeName": "userId", "KeyType": "HASH"}],
        "AttributeDefinitions": [
            {"AttributeName": "email", "AttributeType": "S"},
            {"AttributeName": "userId", "AttributeType": "S"},
            {"AttributeName": "username", "AttributeType": "S"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY},
        "DeletionProtectionEnabled": True,
        "Tags": [
            {"Key": "cost-center", "Value": "eu"},
            {"Key": "creatorcloud:backup", "Value": "true"},
            {"Key": "creatorcloud:component", "Value": "tables"},
            {"Key": "creatorcloud:creator", "Value": "creator1"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "email-index",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "username-index",
                "KeySchema": [{"AttributeName": "username", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
    }


def test_provisioned_billing_sizes_the_table_and_its_indexes_and_a_stream_is_asked_for():
    spec = dict(MESSAGES, stream="NEW_AND_OLD_IMAGES", global_secondary_indexes=[index("by-user", "userId")])
    request = create_table_request("t", spec, PROVISIONED, KEY, {})
    throughput = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2}
    assert request["ProvisionedThroughput"] == throughput
    assert request["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == throughput
    assert request["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert request["KeySchema"] == [
        {"AttributeName": "streamId", "KeyType": "HASH"},
        {"AttributeName": "timestamp", "KeyType": "RANGE"},
    ]


def test_an_include_index_projects_its_sorted_attributes():
    request = desired_index(index("i", "a", "INCLUDE", ["title", "amount"]), ON_DEMAND)
    assert request["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["amount", "title"]}


def test_attribute_definitions_name_each_key_attribute_once():
    spec = table("Orders", key("orderId"), key("userId"), indexes=[index("by-user", "userId")])
    assert attribute_definitions([spec, *spec["global_secondary_indexes"]]) == [
        {"AttributeName": "orderId", "AttributeType": "S"},
        {"AttributeName": "userId", "AttributeType": "S"},
    ]


@pytest.mark.parametrize(
    "tables, absent, delete_data, expected",
    [
        ([USERS, USERS], [], False, ["table 'Users' is declared more than once"]),
        ([table("shop-orders", key("id"))], [], False, ["table name 'shop-orders' must be letters and digits"]),
        (
            [table("T", key("id"), indexes=[index("i", "a"), index("i", "b")])],
            [],
            False,
            ["table T: index 'i' is declared more than once"],
        ),
        (
            [table("T", key("id"), indexes=[dict(index("i", "id"), partition_key=key("id", "N"))])],
            [],
            False,
            ["table T: attribute 'id' is declared with types S and N"],
        ),
        (
            [table("T", key("id"), indexes=[index("i", "a", "INCLUDE")])],
            [],
            False,
            ["table T: index 'i' needs non_key_attributes exactly when projection is INCLUDE"],
        ),
        ([USERS], ["Users"], True, ["table 'Users' is both in tables and in absent_tables"]),
        ([USERS], ["Events"], False, ["absent_tables Events: removing a table deletes its data"]),
        ([USERS, MESSAGES], ["Events"], True, []),
    ],
    ids=["duplicate-table", "bad-name", "duplicate-index", "type-conflict", "include", "both", "no-delete-data", "ok"],
)
def test_spec_errors_name_the_mistake(tables, absent, delete_data, expected):
    errors = spec_errors(tables, absent, delete_data)
    assert len(errors) == len(expected)
    for error, start in zip(errors, expected, strict=True):
        assert error.startswith(start)


def existing(spec, **changes):
    """The table of `spec` as read_table returns it once created, with `changes` applied."""
    current = predicted_table("creatorcloud-creator1-t", spec, ON_DEMAND, KEY, {})
    current["indexes"] = {
        name: dict(request, IndexStatus="ACTIVE", Projection=dict(request["Projection"]))
        for name, request in current["indexes"].items()
    }
    current.update(ttl_attribute=spec["ttl_attribute"], **changes)
    return current


def test_an_unchanged_table_plans_no_error():
    assert plan_errors(existing(USERS), USERS) == []
    assert plan_errors(existing(MESSAGES), MESSAGES) == []


def test_keys_that_differ_cannot_change_in_place():
    [error] = plan_errors(existing(MESSAGES), dict(MESSAGES, sort_key=key("timestamp", "S")))
    assert "its keys differ from the spec" in error


def test_an_index_that_differs_cannot_change_in_place_but_a_new_one_can_be_added():
    changed = dict(USERS, global_secondary_indexes=[index("email-index", "email", "KEYS_ONLY")])
    [error] = plan_errors(existing(USERS), changed)
    assert "index email-index differs from the spec" in error
    added = dict(USERS, global_secondary_indexes=[*USERS["global_secondary_indexes"], index("new-index", "x")])
    assert plan_errors(existing(USERS), added) == []


def test_time_to_live_cannot_move_to_another_attribute_in_one_run():
    [error] = plan_errors(existing(MESSAGES), dict(MESSAGES, ttl_attribute="deleteAt"))
    assert "AWS allows one TTL change per hour" in error


def test_waiting_for_a_table_stops_at_the_timeout_with_a_clear_message():
    # The emulator makes every table ACTIVE at once, so a table stuck in CREATING needs a stub.
    client = boto3.client("dynamodb", region_name="eu-central-1", aws_access_key_id="a", aws_secret_access_key="b")
    description = {
        "TableName": "creatorcloud-creator1-t",
        "TableStatus": "CREATING",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    }
    now = [0.0]
    params = {"wait_timeout": 5, "read_capacity": None, "write_capacity": None, "billing_mode": "PAY_PER_REQUEST"}
    tables = Tables(
        client, params, False, sleep=lambda seconds: now.__setitem__(0, now[0] + seconds), clock=lambda: now[0]
    )
    with Stubber(client) as stubber:
        for _poll in range(4):
            stubber.add_response("describe_table", {"Table": description}, {"TableName": "creatorcloud-creator1-t"})
        with pytest.raises(ConvergeError) as failure:
            tables._wait(
                "creatorcloud-creator1-t", "the new table to be ACTIVE", lambda t: t["TableStatus"] == "ACTIVE"
            )
    assert failure.value.message.startswith(
        "waited 5 seconds for the new table to be ACTIVE (table creatorcloud-creator1-t is CREATING)"
    )
