# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DynamoDB: TransactWriteItems whose cost does not grow with the tables it writes to.

moto 5.2.5 deep-copies every table a transaction names before it starts, to roll back on a
failure: a checkout that takes a ticket copied the whole Tickets table, its point-in-time history
included, so each sale cost more than the one before (a benchmark of 200 sales slowed from 60 ms
to seconds per checkout). Here only the partitions the transaction touches are copied, and put
back when any of its operations fails. The answers are moto's: the same checks in the same order,
ConditionalCheckFailed per item (with the item for ReturnValuesOnConditionCheckFailure ALL_OLD),
TransactionCanceledException with every item's reason, and nothing written when one fails.
"""

import copy

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import ConditionalCheckFailed
from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.exceptions import MultipleTransactionsException
from moto.dynamodb.exceptions import TooManyTransactionsException
from moto.dynamodb.exceptions import TransactionCanceledException
from moto.dynamodb.exceptions import TransactWriteSingleOpException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType

MAX_ITEMS = 100
OPERATIONS = ("ConditionCheck", "Put", "Delete", "Update")
_ABSENT = object()


def operation_key(backend, kind, operation):
    """The key of the item an operation acts on (a Put names it in its item)."""
    if kind != "Put":
        return operation["Key"]
    table = backend.get_table(operation["TableName"])
    attributes = operation["Item"]
    key = {table.hash_key_attr: attributes[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attributes[table.range_key_attr]
    return key


def touched_partitions(backend, transact_items):
    """(table name, hash value) of every partition the transaction may write, for tables that exist."""
    partitions = set()
    for item in transact_items:
        for kind, operation in item.items():
            name = operation.get("TableName")
            if name in backend.tables and kind in OPERATIONS:
                table = backend.tables[name]
                key = operation.get("Item") if kind == "Put" else operation.get("Key")
                if key and table.hash_key_attr in key:
                    partitions.add((name, DynamoType(key[table.hash_key_attr])))
    return partitions


def saved_partitions(backend, partitions):
    """A copy of each partition as it is now (_ABSENT for one without items)."""
    return {
        (name, hash_value): copy.deepcopy(backend.tables[name].items[hash_value])
        if hash_value in backend.tables[name].items
        else _ABSENT
        for name, hash_value in partitions
    }


def restore_partitions(backend, saved):
    """Put every saved partition back as it was."""
    for (name, hash_value), partition in saved.items():
        items = backend.tables[name].items
        if partition is _ABSENT:
            items.pop(hash_value, None)
        else:
            items[hash_value] = partition


def apply_operation(backend, kind, operation, key):
    """Check the operation's condition on the current item and make its write; ConditionalCheckFailed otherwise."""
    names = operation.get("ExpressionAttributeNames")
    values = operation.get("ExpressionAttributeValues")
    condition = operation.get("ConditionExpression")
    current = backend.get_item(operation["TableName"], key)
    if condition is not None and not get_filter_expression(condition, names, values).expr(current):
        wants_old = operation.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
        failure = ConditionalCheckFailed(item=current.to_json()["Attributes"] if current and wants_old else None)
        failure.old_item = current.to_json()["Attributes"] if current and wants_old else None
        raise failure
    options = {
        "condition_expression": condition,
        "expression_attribute_names": names,
        "expression_attribute_values": values,
    }
    if kind == "Put":
        backend.put_item(operation["TableName"], operation["Item"], **options)
    elif kind == "Delete":
        backend.delete_item(operation["TableName"], key, **options)
    elif kind == "Update":
        backend.update_item(operation["TableName"], key, update_expression=operation["UpdateExpression"], **options)


def transact_write_items(self, transact_items):
    """TransactWriteItems: every operation or none, rolled back partition by partition."""
    if len(transact_items) > MAX_ITEMS:
        raise TooManyTransactionsException()
    saved = saved_partitions(self, touched_partitions(self, transact_items))
    targets, errors = set(), []
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        kind, operation = next(iter(item.items()))
        try:
            if kind not in OPERATIONS:
                raise ValueError("Unsupported transaction operation")
            key = operation_key(self, kind, operation)
            target = (str(operation["TableName"]), str(dict(sorted(key.items()))))
            if target in targets:
                raise MultipleTransactionsException()
            targets.add(target)
            apply_operation(self, kind, operation, key)
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            restore_partitions(self, saved)
            raise
        except ConditionalCheckFailed as error:
            errors.append(("ConditionalCheckFailed", str(error.message), getattr(error, "old_item", None)))
        except Exception as error:  # pylint: disable=broad-except  # moto reports any other failure per item
            errors.append((type(error).__name__, str(error), None))
    if any(code is not None for code, _message, _item in errors):
        restore_partitions(self, saved)
        raise TransactionCanceledException(errors)


def register():
    DynamoDBBackend.transact_write_items = transact_write_items
