# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DynamoDB: point-in-time recovery that restores the table as it was at the time asked, as in AWS.

moto 5.2.5 ignores RestoreDateTime and copies the table as it is now, so a restore drill that
deletes data and restores to a time before the delete would pass for the wrong reason. Here a
table keeps its items' history while point-in-time recovery is on: a snapshot when recovery is
turned on and one after every write. RestoreTableToPointInTime takes the last snapshot at or
before the time asked (or the latest with UseLatestRestorableTime), refuses a time outside
EarliestRestorableDateTime..LatestRestorableDateTime (InvalidRestoreTimeException) and a source
without recovery (PointInTimeRecoveryUnavailableException), and applies SSESpecificationOverride.
LatestRestorableDateTime is now (AWS lags about five minutes; the emulator does not need to).
The history lives on moto's table object, so it is per account and region and goes with a reset.
"""

import bisect
import copy
import time

from moto.core.utils import unix_time
from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX
from moto.dynamodb.exceptions import DynamodbException
from moto.dynamodb.exceptions import PointInTimeRecoveryUnavailable
from moto.dynamodb.exceptions import ResourceNotFoundException
from moto.dynamodb.exceptions import SourceTableNotFoundException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodb.responses import DynamoResult

from .dynamodb import sse_after

HISTORY = "creatorcloud_item_history"
_WRITES = ("put_item", "update_item", "delete_item")
_moto_methods = {}


class InvalidRestoreTime(DynamodbException):
    def __init__(self, message):
        super().__init__(ERROR_TYPE_PREFIX + "InvalidRestoreTimeException", message)


def recovery_enabled(table):
    """True while the table's point-in-time recovery is ENABLED."""
    description = table.continuous_backups["PointInTimeRecoveryDescription"]
    return description["PointInTimeRecoveryStatus"] == "ENABLED"


def record_snapshot(table):
    """Append (now, a copy of the table's items) to the table's history."""
    history = table.__dict__.setdefault(HISTORY, [])
    history.append((time.time(), copy.deepcopy(table.items)))


def items_at(table, moment):
    """The table's items as they were at `moment` (epoch seconds): the last snapshot at or before it."""
    history = table.__dict__.get(HISTORY, [])
    position = bisect.bisect_right([taken for taken, _items in history], moment)
    return copy.deepcopy(history[position - 1][1]) if position else {}


def recording(method_name):
    """moto's write method `method_name`, followed by a snapshot of the table it wrote."""
    moto_method = _moto_methods[method_name]

    def write(self, table_name, *args, **kwargs):
        result = moto_method(self, table_name, *args, **kwargs)
        table = self.get_table(table_name)
        if recovery_enabled(table):
            record_snapshot(table)
        return result

    return write


def transact_write_items(self, transact_items):
    """moto's TransactWriteItems, followed by a snapshot of every table it wrote."""
    _moto_methods["transact_write_items"](self, transact_items)
    names = {item[kind]["TableName"] for item in transact_items for kind in item if "TableName" in item[kind]}
    for name in names:
        table = self.get_table(name)
        if recovery_enabled(table):
            record_snapshot(table)


def update_continuous_backups(self, table_name, point_in_time_spec):
    """moto's UpdateContinuousBackups; turning recovery on starts the history with the items as they are."""
    table = self.get_table(table_name)
    was_enabled = recovery_enabled(table)
    result = _moto_methods["update_continuous_backups"](self, table_name, point_in_time_spec)
    if recovery_enabled(table) and not was_enabled:
        table.__dict__[HISTORY] = []
        record_snapshot(table)
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
