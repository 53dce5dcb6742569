# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DynamoDB's UpdateTable changes encryption and adds attribute definitions, per account, as in AWS."""

import pytest

from . import aws_error
from . import clients_in_accounts

TABLE = "creatorcloud-creator1-users"


@pytest.fixture
def dynamodb_pair(aws_client):
    """DynamoDB clients in two accounts, each with a table named TABLE keyed by userId."""
    clients = clients_in_accounts(aws_client, "dynamodb")
    for client in clients:
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    return clients


def test_update_table_encrypts_with_the_key_sent_in_that_account_only(dynamodb_pair):
    first, second = dynamodb_pair
    key = "arn:aws:kms:eu-central-1:111111111111:key/0f580c37-2bde-44cd-b781-5f16aa843aff"
    first.update_table(TableName=TABLE, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key})
    assert first.describe_table(TableName=TABLE)["Table"]["SSEDescription"] == {
        "Status": "ENABLED",
        "SSEType": "KMS",
        "KMSMasterKeyArn": key,
    }
    assert "SSEDescription" not in second.describe_table(TableName=TABLE)["Table"]
    first.update_table(TableName=TABLE, SSESpecification={"Enabled": False})
    assert "SSEDescription" not in first.describe_table(TableName=TABLE)["Table"]


def test_update_table_adds_attribute_definitions_for_a_new_index(dynamodb_pair):
    first, second = dynamodb_pair
    first.update_table(
        TableName=TABLE,
        AttributeDefinitions=[{"AttributeName": "email", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "email-index",
                    "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            }
        ],
    )
    table = first.describe_table(TableName=TABLE)["Table"]
    assert sorted(item["AttributeName"] for item in table["AttributeDefinitions"]) == ["email", "userId"]
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == ["email-index"]
    assert second.describe_table(TableName=TABLE)["Table"]["AttributeDefinitions"] == [
        {"AttributeName": "userId", "AttributeType": "S"}
    ]


def test_update_table_of_a_missing_table_is_not_found(dynamodb_pair):
    with aws_error("ResourceNotFoundException"):
        dynamodb_pair[0].update_table(TableName="missing", SSESpecification={"Enabled": False})
