# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DynamoDB's TransactWriteItems: all or nothing, with the reasons per item, whatever the size of the table."""

import botocore.exceptions
import pytest

from . import clients_in_accounts

EVENTS = "creatorcloud-creator1-events"
TICKETS = "creatorcloud-creator1-tickets"


@pytest.fixture
def dynamodb(aws_client):
    """A DynamoDB client with Events (eventId) and Tickets (orderId, ticketId), one event of 2 tickets."""
    client = clients_in_accounts(aws_client, "dynamodb")[0]
    client.create_table(
        TableName=EVENTS,
        KeySchema=[{"AttributeName": "eventId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "eventId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.create_table(
        TableName=TICKETS,
        KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}, {"AttributeName": "ticketId", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name in ("orderId", "ticketId")],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName=EVENTS, Item={"eventId": {"S": "show"}, "left": {"N": "2"}})
    return client


def take(order_id, quantity, return_old=False):
    """A checkout's TransactItems: take `quantity` tickets if that many are left, and put them."""
    update = {
        "TableName": EVENTS,
        "Key": {"eventId": {"S": "show"}},
        "UpdateExpression": "SET #left = #left - :n",
        "ConditionExpression": "#left >= :n",
        "ExpressionAttributeNames": {"#left": "left"},
        "ExpressionAttributeValues": {":n": {"N": str(quantity)}},
    }
    if return_old:
        update["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    puts = [
        {"Put": {"TableName": TICKETS, "Item": {"orderId": {"S": order_id}, "ticketId": {"S": f"{number:02d}"}}}}
        for number in range(1, quantity + 1)
    ]
    return [*puts, {"Update": update}]


def tickets(client):
    return sorted((row["orderId"]["S"], row["ticketId"]["S"]) for row in client.scan(TableName=TICKETS)["Items"])


def left(client):
    return client.get_item(TableName=EVENTS, Key={"eventId": {"S": "show"}}, ConsistentRead=True)["Item"]["left"]["N"]


def test_a_transaction_writes_every_item(dynamodb):
    dynamodb.transact_write_items(TransactItems=take("order-a", 2))
    assert tickets(dynamodb) == [("order-a", "01"), ("order-a", "02")]
    assert left(dynamodb) == "0"


def test_a_failed_condition_writes_nothing_and_names_the_reason_per_item(dynamodb):
    dynamodb.transact_write_items(TransactItems=take("order-a", 1))
    # WHEN a second checkout wants two of the one ticket left (its puts come first, into a new partition)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        dynamodb.transact_write_items(TransactItems=take("order-b", 2, return_old=True))
    # THEN it is cancelled with a reason per item, the old item where asked, and nothing of it is written
    error = raised.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    reasons = error["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["None", "None", "ConditionalCheckFailed"]
    assert reasons[2]["Item"] == {"eventId": {"S": "show"}, "left": {"N": "1"}}
    assert tickets(dynamodb) == [("order-a", "01")]
    assert left(dynamodb) == "1"


def test_two_operations_on_one_item_are_refused_and_nothing_is_written(dynamodb):
    items = take("order-a", 1)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        dynamodb.transact_write_items(TransactItems=items + [items[0]])
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert tickets(dynamodb) == []
    assert left(dynamodb) == "2"
