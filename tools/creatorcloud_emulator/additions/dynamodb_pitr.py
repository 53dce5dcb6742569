# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DynamoDB: point-in-time recovery that restores the table as it was at the time asked, as in AWS.

moto 5.2.5 ignores RestoreDateTime and copies the table as it is now, so a restore drill that
deletes data and restores to a time before the delete would pass for the wrong reason. Here a
table keeps its items' history while point-in-time recovery is on: a copy of its items when
recovery is turned on, then after every write a copy of the partitions it wrote (a transaction's
once, when it succeeded), so a write costs what it touches, not the size of the table.
RestoreTableToPointInTime takes the items as they were at the time asked (or the latest with
UseLatestRestorableTime), refuses a time outside
EarliestRestorableDateTime..LatestRestorableDateTime (InvalidRestoreTimeException) and a source
without recovery (PointInTimeRecoveryUnavailableException), and applies SSESpecificationOverride.
LatestRestorableDateTime is now (AWS lags about five minutes; the emulator does not need to).
The history lives on moto's table object, so it is per account and region and goes with a reset.
"""

import copy
import threading
import time

from moto.core.utils import unix_time
from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX
from moto.dynamodb.exceptions import DynamodbException
from moto.dynamodb.exceptions import PointInTimeRecoveryUnavailable
from moto.dynamodb.exceptions import ResourceNotFoundException
from moto.dynamodb.exceptions import SourceTableNotFoundException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodb.responses import DynamoResult

from .dynamodb import sse_after
from .dynamodb_transactions import touched_partitions

# The table's items when recovery was turned on, (time, items), and the changes since, [(time, {hash: partition})].
BASE = "creatorcloud_item_history_base"
HISTORY = "creatorcloud_item_history"
# A partition that has no items (any more).
ABSENT = None
# While a transaction runs in this thread its writes are not recorded one by one: it records once, if it succeeds.
_in_transaction = threading.local()
_WRITES = ("put_item", "update_item", "delete_item")
_moto_methods = {}


class InvalidRestoreTime(DynamodbException):
    def __init__(self, message):
        super().__init__(ERROR_TYPE_PREFIX + "InvalidRestoreTimeException", message)


def recovery_enabled(table):
    """True while the table's point-in-time recovery is ENABLED."""
    description = table.continuous_backups["PointInTimeRecoveryDescription"]
    return description["PointInTimeRecoveryStatus"] == "ENABLED"


def start_history(table):
    """Recovery turned on: the history starts with a copy of every item."""
    table.__dict__[BASE] = (time.time(), copy.deepcopy(table.items))
    table.__dict__[HISTORY] = []


def record_partitions(table, hash_values):
    """Append (now, a copy of each written partition) to the table's history."""
    changes = {
        hash_value: copy.deepcopy(table.items[hash_value]) if hash_value in table.items else ABSENT
        for hash_value in hash_values
    }
    table.__dict__.setdefault(HISTORY, []).append((time.time(), changes))


def items_at(table, moment):
    """The table's items as they were at `moment` (epoch seconds): the start, and every change up to it."""
    started, items = table.__dict__.get(BASE, (None, None))
    if started is None or moment < started:
        return {}
    items = copy.deepcopy(items)
    for taken, changes in table.__dict__.get(HISTORY, []):
        if taken > moment:
            break
        for hash_value, partition in changes.items():
            if partition is ABSENT:
                items.pop(hash_value, None)
            else:
                items[hash_value] = copy.deepcopy(partition)
    return items


def written_partition(table, method_name, args, kwargs):
    """The hash key value of the item a put_item, update_item or delete_item call wrote."""
    named = "item_attrs" if method_name == "put_item" else "key"
    attributes = args[0] if args else kwargs[named]
    return DynamoType(attributes[table.hash_key_attr])


def recording(method_name):
    """moto's write method `method_name`, followed by a snapshot of the table it wrote."""
    moto_method = _moto_methods[method_name]

    def write(self, table_name, *args, **kwargs):
        result = moto_method(self, table_name, *args, **kwargs)
        table = self.get_table(table_name)
        if recovery_enabled(table) and not getattr(_in_transaction, "active", False):
            record_partitions(table, [written_partition(table, method_name, args, kwargs)])
        return result

    return write


def transact_write_items(self, transact_items):
    """TransactWriteItems, then one change of every partition it wrote, per table (nothing when it failed)."""
    partitions = touched_partitions(self, transact_items)
    _in_transaction.active = True
    try:
        _moto_methods["transact_write_items"](self, transact_items)
    finally:
        _in_transaction.active = False
    for name in sorted({name for name, _hash_value in partitions}):
        table = self.get_table(name)
        if recovery_enabled(table):
            record_partitions(table, [hash_value for table_name, hash_value in partitions if table_name == name])


def update_continuous_backups(self, table_name, point_in_time_spec):
    """moto's UpdateContinuousBackups; turning recovery on starts the history with the items as they are."""
    table = self.get_table(table_name)
    was_enabled = recovery_enabled(table)
    result = _moto_methods["update_continuous_backups"](self, table_name, point_in_time_spec)
    if recovery_enabled(table) and not was_enabled:
        start_history(table)
    return result


def describe_continuous_backups(self, table_name):
    """moto's DescribeContinuousBackups with LatestRestorableDateTime now while recovery is on."""
    backups = _moto_methods["describe_continuous_backups"](self, table_name)
    description = backups["PointInTimeRecoveryDescription"]
    if description["PointInTimeRecoveryStatus"] == "ENABLED":
        description["LatestRestorableDateTime"] = unix_time()
    return backups


def restore_moment(body, description):
    """The time to restore to from the request, checked against the source's restorable window."""
    earliest = description["EarliestRestorableDateTime"]
    latest = description["LatestRestorableDateTime"]
    if body.get("UseLatestRestorableTime"):
        return latest
    moment = body.get("RestoreDateTime")
    if moment is None:
        raise InvalidRestoreTime("Either RestoreDateTime or UseLatestRestorableTime must be given")
    # moto's request parser makes a datetime of the timestamp; an older one leaves epoch seconds.
    moment = moment.timestamp() if hasattr(moment, "timestamp") else float(moment)
    if not earliest <= moment <= latest:
        raise InvalidRestoreTime(
            f"Only restore to a time between the EarliestRestorableDateTime {earliest} and the "
            f"LatestRestorableDateTime {latest} is allowed"
        )
    return moment


def handler_restore_table_to_point_in_time(self):
    """RestoreTableToPointInTime with the source's items as they were at the time asked."""
    body = self.body
    source_name = body.get("SourceTableName") or body.get("SourceTableArn", "").split("/")[-1]
    backend = self.dynamodb_backend
    try:
        source = backend.get_table(source_name)
    except ResourceNotFoundException:
        raise SourceTableNotFoundException(source_name) from None
    if not recovery_enabled(source):
        raise PointInTimeRecoveryUnavailable(source_name)
    moment = restore_moment(body, backend.describe_continuous_backups(source_name)["PointInTimeRecoveryDescription"])
    restored = backend.restore_table_to_point_in_time(body["TargetTableName"], source_name)
    restored.items = items_at(source, moment)
    if body.get("SSESpecificationOverride"):
        restored.sse_specification = sse_after(restored, body["SSESpecificationOverride"])
    description = restored.describe()
    description["TableDescription"]["RestoreSummary"]["RestoreDateTime"] = moment
    return DynamoResult(description)


def register():
    for name in (*_WRITES, "transact_write_items", "update_continuous_backups", "describe_continuous_backups"):
        _moto_methods[name] = getattr(DynamoDBBackend, name)
    for name in _WRITES:
        setattr(DynamoDBBackend, name, recording(name))
    DynamoDBBackend.transact_write_items = transact_write_items
    DynamoDBBackend.update_continuous_backups = update_continuous_backups
    DynamoDBBackend.describe_continuous_backups = describe_continuous_backups
    DynamoHandler.restore_table_to_point_in_time = handler_restore_table_to_point_in_time
