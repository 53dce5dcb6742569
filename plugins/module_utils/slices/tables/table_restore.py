# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore one of a creator's tables into a new table, verify it, and switch the backend to it.

Private to the table_restore module. The new table is named after the point restored to,
creatorcloud-<creator>-<logical>-r<UTC yyyymmddThhmmss>, so the same request finds the same
table again: a second run with the same arguments restores nothing and writes nothing. The
restore comes from point-in-time recovery (a time inside the source's restorable window, checked
before any write) or from an on-demand backup of the same logical table. The restored table is
brought to the tables slice's standard by the tables converge itself (encryption with the
creator's key, recovery, deletion protection, tags, indexes), verified (item count, keys the
operator names), and only then switched: the SSM parameter /creatorcloud/<creator>/tables names it,
which the tables module reads. The replaced table keeps the fans' data; it is deleted only when the
operator asks and names it a second time.
"""

import calendar
import json
import re
import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import dynamodb
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import ssm
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import Tables
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import active_tables_parameter
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import physical_table_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import read_active_tables
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import table_active
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import wait_for_table

RESTORE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
BACKUP_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:(?P<account>\d{12}):table/(?P<table>[A-Za-z0-9_.-]{3,255})"
    r"/backup/\d{14,17}-[0-9a-f]{8}$"
)


def parse_restore_time(value):
    """Epoch seconds of a UTC time in the form 2026-11-25T14:00:00Z, or None when malformed."""
    try:
        return calendar.timegm(time.strptime(value, RESTORE_TIME_FORMAT))
    except (TypeError, ValueError):
        return None


def iso_time(epoch):
    """2026-11-25T14:00:00Z of epoch seconds."""
    return time.strftime(RESTORE_TIME_FORMAT, time.gmtime(epoch))


def restored_table_name(creator, logical_name, epoch):
    """creatorcloud-<creator>-<logical lower>-r<UTC yyyymmddThhmmss of the point restored to>."""
    return f"{physical_table_name(creator, logical_name)}-r{time.strftime('%Y%m%dT%H%M%S', time.gmtime(epoch))}"


def belongs_to(creator, logical_name, table_name):
    """True when `table_name` is the logical table's standard name or one of its restored tables."""
    standard = physical_table_name(creator, logical_name)
    return table_name == standard or re.match(re.escape(standard) + r"-r\d{8}T\d{6}$", table_name) is not None


def low_level_key(key):
    """A key of strings and numbers as DynamoDB's attribute values."""
    return {
        name: {"N": str(value)} if isinstance(value, (int, float)) else {"S": str(value)} for name, value in key.items()
    }


def request_errors(params, table_names):
    """Every mistake in the request, named with its value, before anything is read or written."""
    errors = []
    logical = params["table"]
    if logical not in table_names:
        errors.append(f"table {logical!r} is not a table of the creator (known: {', '.join(sorted(table_names))})")
    restore_time, backup_arn = params["restore_time"], params["backup_arn"]
    if bool(restore_time) == bool(backup_arn):
        errors.append(
            f"give exactly one of restore_time ({restore_time!r}) and backup_arn ({backup_arn!r}): "
            "restore to a point in time, or from an on-demand backup"
        )
    if restore_time and parse_restore_time(restore_time) is None:
        errors.append(f"restore_time {restore_time!r} is not a UTC time like 2026-11-25T14:00:00Z")
    if backup_arn:
        errors.extend(backup_arn_errors(params, backup_arn))
    if params["delete_replaced_table"] and not params["confirm_delete_table"]:
        errors.append(
            "delete_replaced_table deletes the replaced table and its data: "
            "name that table in confirm_delete_table to confirm"
        )
    return errors


def backup_arn_errors(params, backup_arn):
    """What is wrong with a backup ARN: its form, its account, its table."""
    match = BACKUP_ARN_PATTERN.match(backup_arn)
    if not match:
        return [
            f"backup_arn {backup_arn!r} is not a DynamoDB backup ARN "
            "(arn:aws:dynamodb:<region>:<account>:table/<table>/backup/<id>)"
        ]
    errors = []
    if match["account"] != params["account_id"]:
        errors.append(
            f"backup_arn {backup_arn!r} is in account {match['account']}, not the creator's {params['account_id']}"
        )
    if not belongs_to(params["creator"], params["table"], match["table"]):
        errors.append(
            f"backup_arn {backup_arn!r} is a backup of table {match['table']}, not of the creator's {params['table']}"
        )
    return errors


class TableRestore:
    """The restore of one logical table of a creator. `desired` holds the module's parameters."""

    def __init__(self, dynamodb_client, ssm_client, desired, check_mode, sleep=time.sleep, clock=time.monotonic):
        self.client = dynamodb_client
        self.ssm_client = ssm_client
        self.desired = desired
        self.changes = Changes(check_mode)
        self.sleep = sleep
        self.clock = clock
        self.creator = desired["creator"]
        self.logical = desired["table"]

    def run(self):
        """Plan, and unless in check mode restore, bring to standard, verify, switch. Returns the report."""
        with self.changes.reporting_failures():
            active = read_active_tables(self.ssm_client, self.creator)
            report = self._plan(active)
            if not self.changes.check_mode:
                self._restore(report)
                report["table_spec"] = self._bring_to_standard(report)
                self._verify(report)
                self._switch(active, report)
            self._delete_replaced(report)
        return report

    def _plan(self, active):
        """Source, point in time, new name and what switches; fails before any write when the request cannot be met."""
        current = active.get(self.logical) or physical_table_name(self.creator, self.logical)
        source = current
        if self.desired["backup_arn"]:
            backup = dynamodb.describe_backup(self.client, self.desired["backup_arn"])
            if backup is None:
                self.changes.fail(f"backup_arn {self.desired['backup_arn']!r}: no such backup")
            details = backup["BackupDetails"]
            if details["BackupStatus"] != "AVAILABLE":
                self.changes.fail(
                    f"backup_arn {self.desired['backup_arn']!r} is {details['BackupStatus']}, not AVAILABLE"
                )
            point = details["BackupCreationDateTime"].timestamp()
            source = backup.get("SourceTableDetails", {}).get("TableName", source)
        else:
            point = parse_restore_time(self.desired["restore_time"])
        new_table = restored_table_name(self.creator, self.logical, point)
        report = {
            "table": self.logical,
            "source_table": source,
            "method": "backup" if self.desired["backup_arn"] else "point_in_time",
            "backup_arn": self.desired["backup_arn"],
            "point_in_time": iso_time(point),
            "new_table": new_table,
            "replaced_table": None if current == new_table else current,
            "already_restored": current == new_table,
            "exists": dynamodb.describe_table(self.client, new_table) is not None,
            "switch": {"parameter": active_tables_parameter(self.creator), "from": current, "to": new_table},
        }
        if not (report["exists"] or self.desired["backup_arn"]):
            self._check_window(source, point)
        return report

    def _check_window(self, source, point):
        """The point in time must be inside the source's restorable window."""
        if dynamodb.describe_table(self.client, source) is None:
            self.changes.fail(
                f"table {self.logical}: its table {source} does not exist, so there is nothing to restore from"
            )
        window = dynamodb.restorable_window(self.client, source)
        if window is None:
            self.changes.fail(
                f"table {source} has no point-in-time recovery: restore from a backup (backup_arn) instead"
            )
        earliest, latest = (moment.timestamp() for moment in window)
        if not earliest <= point <= latest:
            self.changes.fail(
                f"restore_time {self.desired['restore_time']!r} is outside the restorable window of table {source}: "
                f"{iso_time(earliest)} to {iso_time(latest)}"
            )

    def _restore(self, report):
        """Restore into the new table (unless an earlier run did) and wait until it is ACTIVE."""
        name = report["new_table"]
        if report["exists"]:
            return
        sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": self.desired["kms_key_arn"]}
        request = {"TargetTableName": name, "SSESpecificationOverride": sse}
        if self.desired["backup_arn"]:
            request["BackupArn"] = self.desired["backup_arn"]
            description = f"restore table {name} from backup {self.desired['backup_arn']}"
            self.changes.make(description, dynamodb.restore_from_backup, self.client, request)
        else:
            request.update(
                SourceTableName=report["source_table"], RestoreDateTime=parse_restore_time(self.desired["restore_time"])
            )
            description = f"restore table {name} from table {report['source_table']} as of {report['point_in_time']}"
            self.changes.make(description, dynamodb.restore_to_point_in_time, self.client, request)
        wait_for_table(self, name, "the restored table to be ACTIVE", table_active, self.desired["wait_timeout"])

    def _bring_to_standard(self, report):
        """The tables converge of the logical table on the new table: key, recovery, protection, tags, indexes."""
        desired = dict(self.desired["tables_options"], creator=self.creator, absent_tables=[], delete_data=False)
        desired["tables"] = [spec for spec in desired["tables"] if spec["name"] == self.logical]
        active = {self.logical: report["new_table"]}
        tables = Tables(self.client, desired, False, self.sleep, self.clock, active=active, changes=self.changes)
        after = tables.converge()[2]
        return after[self.logical]

    def _verify(self, report):
        """Count the items; every key the operator named must be there, else the backend is not switched."""
        name = report["new_table"]
        report["item_count"] = dynamodb.count_items(self.client, name)
        missing = [
            key
            for key in self.desired["verify_keys"]
            if not dynamodb.item_exists(self.client, name, low_level_key(key))
        ]
        report["verified_keys"] = len(self.desired["verify_keys"]) - len(missing)
        if missing:
            self.changes.fail(
                f"table {name} lacks the items with keys {json.dumps(missing)}: the backend was not switched; "
                "pick another restore_time or backup_arn (the table stays for inspection)"
            )

    def _switch(self, active, report):
        """Name the new table as the logical table's in the SSM parameter the tables module reads."""
        report["switched"] = False
        if report["already_restored"]:
            return
        switched = json.dumps(dict(sorted({**active, self.logical: report["new_table"]}.items())))
        description = f"switch table {self.logical} of creator {self.creator} to {report['new_table']}"
        text = "Tables that a CreatorCloud restore switched to: logical name to table name (written by table_restore)"
        self.changes.make(
            description, ssm.put_parameter, self.ssm_client, report["switch"]["parameter"], switched, text
        )
        report["switched"] = True

    def _delete_replaced(self, report):
        """Delete the replaced table when asked and confirmed by its name; it is never the active one."""
        confirm = self.desired["confirm_delete_table"]
        if not self.desired["delete_replaced_table"]:
            return
        name = report["replaced_table"] if not report["already_restored"] else confirm
        if confirm != name or name == report["new_table"] or not belongs_to(self.creator, self.logical, name or ""):
            self.changes.fail(
                f"confirm_delete_table {confirm!r} does not name the replaced table of {self.logical} "
                f"({report['replaced_table']}): nothing was deleted"
            )
        table = dynamodb.describe_table(self.client, name)
        report["deleted_replaced_table"] = table is not None
        if table is None:
            return
        if table.get("DeletionProtectionEnabled"):
            request = {"TableName": name, "DeletionProtectionEnabled": False}
            self.changes.make(
                f"turn off deletion protection of table {name} to delete it",
                dynamodb.update_table,
                self.client,
                request,
            )
        self.changes.make(f"delete the replaced table {name} and its data", dynamodb.delete_table, self.client, name)
