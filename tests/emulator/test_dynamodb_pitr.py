# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DynamoDB's point-in-time restore returns the table as it was at the time asked, per account, as in AWS."""

import time

import pytest

from . import aws_error
from . import clients_in_accounts

TABLE = "creatorcloud-creator1-users"
KEY = "arn:aws:kms:eu-central-1:111111111111:key/0f580c37-2bde-44cd-b781-5f16aa843aff"


@pytest.fixture
def dynamodb_pair(aws_client):
    """DynamoDB clients in two accounts, each with TABLE keyed by userId and point-in-time recovery on."""
    clients = clients_in_accounts(aws_client, "dynamodb")
    for client in clients:
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.update_continuous_backups(
            TableName=TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    return clients


def user_ids(client, table):
    """The userIds in `table`, sorted."""
    return sorted(item["userId"]["S"] for item in client.scan(TableName=table)["Items"])


def pause():
    """A moment between two writes, so that a time between them exists: boto3 sends whole seconds."""
    time.sleep(1.1)


def test_a_restore_returns_the_items_as_they_were_at_the_time_asked(dynamodb_pair):
    first, second = dynamodb_pair
    first.put_item(TableName=TABLE, Item={"userId": {"S": "fan-1"}})
    pause()
    before_delete = time.time()
    pause()
    first.delete_item(TableName=TABLE, Key={"userId": {"S": "fan-1"}})
    second.put_item(TableName=TABLE, Item={"userId": {"S": "other"}})

    restored = first.restore_table_to_point_in_time(
        SourceTableName=TABLE, TargetTableName=f"{TABLE}-r1", RestoreDateTime=before_delete
    )["TableDescription"]

    assert user_ids(first, f"{TABLE}-r1") == ["fan-1"]
    assert user_ids(first, TABLE) == []
    assert restored["RestoreSummary"]["RestoreDateTime"].timestamp() == pytest.approx(before_delete, abs=1)
    with aws_error("ResourceNotFoundException"):
        second.describe_table(TableName=f"{TABLE}-r1")


def test_the_latest_restorable_time_restores_the_current_items_with_the_encryption_asked(dynamodb_pair):
    first = dynamodb_pair[0]
    first.put_item(TableName=TABLE, Item={"userId": {"S": "fan-1"}})
    first.put_item(TableName=TABLE, Item={"userId": {"S": "fan-2"}})

    restored = first.restore_table_to_point_in_time(
        SourceTableName=TABLE,
        TargetTableName=f"{TABLE}-r2",
        UseLatestRestorableTime=True,
        SSESpecificationOverride={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY},
    )["TableDescription"]

    assert user_ids(first, f"{TABLE}-r2") == ["fan-1", "fan-2"]
    assert restored["SSEDescription"]["KMSMasterKeyArn"] == KEY


def test_a_time_outside_the_window_or_a_table_without_recovery_is_refused(dynamodb_pair, aws_client):
    first = dynamodb_pair[0]
    window = first.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    window = window["PointInTimeRecoveryDescription"]
    assert window["LatestRestorableDateTime"] >= window["EarliestRestorableDateTime"]

    with aws_error("InvalidRestoreTimeException"):
        first.restore_table_to_point_in_time(
            SourceTableName=TABLE, TargetTableName=f"{TABLE}-r3", RestoreDateTime=time.time() - 3600
        )
    first.update_continuous_backups(
        TableName=TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    with aws_error("PointInTimeRecoveryUnavailableException"):
        first.restore_table_to_point_in_time(
            SourceTableName=TABLE, TargetTableName=f"{TABLE}-r3", UseLatestRestorableTime=True
        )
    with aws_error("SourceTableNotFoundException"):
        first.restore_table_to_point_in_time(
            SourceTableName="missing", TargetTableName=f"{TABLE}-r3", UseLatestRestorableTime=True
        )


def test_a_transaction_is_in_the_history(dynamodb_pair):
    first = dynamodb_pair[0]
    first.transact_write_items(TransactItems=[{"Put": {"TableName": TABLE, "Item": {"userId": {"S": "fan-3"}}}}])
    pause()
    after_put = time.time()
    pause()
    first.delete_item(TableName=TABLE, Key={"userId": {"S": "fan-3"}})

    first.restore_table_to_point_in_time(
        SourceTableName=TABLE, TargetTableName=f"{TABLE}-r4", RestoreDateTime=after_put
    )
    assert user_ids(first, f"{TABLE}-r4") == ["fan-3"]
