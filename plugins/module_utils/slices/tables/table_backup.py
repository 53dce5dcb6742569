# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-demand backups of a creator's tables, and their export to the creator's backup bucket.

Private to the table_backup module. Every run is a new backup: a backup is a point in time,
named creatorcloud-<creator>-<logical>-<UTC yyyymmddThhmmssZ>; the export goes to
exports/<logical>/<same timestamp>/ in the backup bucket, encrypted with the creator's key.
The plan (tables, names, bucket) is made and checked before the first write: a missing table
or bucket fails the run before any backup is taken. The waits are bounded.
"""

import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import dynamodb
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import s3
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name

TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"
POLL_SECONDS = 2


def backup_timestamp(now):
    """The UTC timestamp (a struct_time) in backup names and export prefixes: yyyymmddThhmmssZ."""
    return time.strftime(TIMESTAMP_FORMAT, now)


def backup_name(creator, logical_name, timestamp):
    """creatorcloud-<creator>-<logical lower>-<timestamp>."""
    return resource_name(creator, f"{logical_name.lower()}-{timestamp}")


def export_prefix(logical_name, timestamp):
    """exports/<logical>/<timestamp>: DynamoDB writes AWSDynamoDB/<export id>/ under it."""
    return f"exports/{logical_name}/{timestamp}"


def export_request(table_arn, bucket, account_id, prefix, kms_key_arn):
    """The ExportTableToPointInTime request: DynamoDB JSON, SSE-KMS with the creator's key."""
    return {
        "TableArn": table_arn,
        "S3Bucket": bucket,
        "S3BucketOwner": account_id,
        "S3Prefix": prefix,
        "S3SseAlgorithm": "KMS",
        "S3SseKmsKeyId": kms_key_arn,
        "ExportFormat": "DYNAMODB_JSON",
    }


def backup_report(details):
    """A backup as the module returns it."""
    return {
        "arn": details.get("BackupArn"),
        "name": details.get("BackupName"),
        "status": details.get("BackupStatus"),
        "size_bytes": details.get("BackupSizeBytes"),
    }


def export_report(description, bucket, prefix):
    """An export as the module returns it."""
    return {
        "arn": description.get("ExportArn"),
        "status": description.get("ExportStatus", "PLANNED"),
        "bucket": bucket,
        "prefix": prefix,
        "item_count": description.get("ItemCount"),
        "billed_size_bytes": description.get("BilledSizeBytes"),
        "failure": description.get("FailureMessage"),
    }


class TableBackups:
    """One on-demand backup (and export) of each of a creator's tables. `desired` holds the module's parameters."""

    def __init__(self, dynamodb_client, s3_client, desired, check_mode, sleep=time.sleep, clock=time.monotonic):
        self.client = dynamodb_client
        self.s3_client = s3_client
        self.desired = desired
        self.changes = Changes(check_mode)
        self.sleep = sleep
        self.clock = clock

    def run(self, now):
        """Plan, then (unless in check mode) back up, export and wait. Returns {logical name: report}."""
        timestamp = backup_timestamp(now)
        with self.changes.reporting_failures():
            plan = self._plan(timestamp)
            for logical_name, item in plan.items():
                self._back_up(logical_name, item)
            if not self.changes.check_mode:
                self._wait_for_all(plan)
        return plan

    def _plan(self, timestamp):
        """Every table's backup name and export prefix; fails before any write on a missing table or bucket."""
        bucket = self.desired["bucket"]
        export = self.desired["export"]
        if export and not s3.bucket_exists(self.s3_client, bucket):
            self.changes.fail(
                f"backup bucket {bucket} does not exist: run the backup role (playbooks/onboard.yml) first, "
                "or name an existing bucket (table_backup_bucket in backup.yml)"
            )
        plan = {}
        missing = []
        for logical_name, physical_name in sorted(self.desired["tables"].items()):
            table = dynamodb.describe_table(self.client, physical_name)
            if table is None:
                missing.append(f"{logical_name} ({physical_name})")
                continue
            prefix = export_prefix(logical_name, timestamp)
            plan[logical_name] = {
                "table": physical_name,
                "table_arn": table["TableArn"],
                "item_count": table.get("ItemCount"),
                "backup": {"name": backup_name(self.desired["creator"], logical_name, timestamp), "status": "PLANNED"},
                "export": export_report({}, bucket, prefix) if export else None,
            }
        if missing:
            self.changes.fail(f"no such table: {', '.join(missing)}: run the tables role first")
        return plan

    def _back_up(self, logical_name, item):
        """CreateBackup, then ExportTableToPointInTime of one table."""
        name = item["backup"]["name"]
        details = self.changes.make(
            f"back up table {item['table']} as {name}", dynamodb.create_backup, self.client, item["table"], name
        )
        if details:
            item["backup"] = backup_report(details)
        export = item["export"]
        if export is None:
            return
        request = export_request(
            item["table_arn"],
            export["bucket"],
            self.desired["account_id"],
            export["prefix"],
            self.desired["kms_key_arn"],
        )
        description = f"export table {item['table']} to s3://{export['bucket']}/{export['prefix']}/"
        exported = self.changes.make(description, dynamodb.export_table, self.client, request)
        if exported:
            item["export"] = export_report(exported, export["bucket"], export["prefix"])

    def _wait_for_all(self, plan):
        """Poll every backup until AVAILABLE and every export until COMPLETED, within wait_timeout seconds."""
        timeout = self.desired["wait_timeout"]
        deadline = self.clock() + timeout
        while True:
            pending = self._refresh(plan)
            if not pending:
                return
            if self.clock() >= deadline:
                self.changes.fail(
                    f"waited {timeout} seconds for {', '.join(pending)}: AWS is still working on them; "
                    "the backups and exports go on, see them with aws dynamodb describe-backup / describe-export"
                )
            self.sleep(POLL_SECONDS)

    def _refresh(self, plan):
        """Read every unfinished backup and export again; returns what is still pending, fails on a failed one."""
        pending = []
        for item in plan.values():
            backup = item["backup"]
            if backup["status"] != "AVAILABLE":
                described = dynamodb.describe_backup(self.client, backup["arn"]) or {}
                backup.update(backup_report(described.get("BackupDetails", {})))
                if backup["status"] != "AVAILABLE":
                    pending.append(f"backup {backup['name']} ({backup['status']})")
            export = item["export"]
            if export and export["status"] != "COMPLETED":
                export.update(
                    export_report(
                        dynamodb.describe_export(self.client, export["arn"]), export["bucket"], export["prefix"]
                    )
                )
                if export["status"] == "FAILED":
                    self.changes.fail(f"the export of table {item['table']} failed: {export['failure']}")
                if export["status"] != "COMPLETED":
                    pending.append(f"export of table {item['table']} ({export['status']})")
        return pending
