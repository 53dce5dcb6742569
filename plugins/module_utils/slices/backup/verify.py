# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the backup module verifies beyond its own resources: every table of the creator has point-in-time
recovery on, every bucket of the creator has versioning on. What is off is turned on and reported.

Private to the backup module. The tables and ivs/website modules set these too; the backup module only
ever turns them on, so a run of either never undoes the other. Bucket lifecycles stay with the module that
owns the bucket.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import dynamodb
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import s3
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import VERSIONING


def table_arn(region, account_id, name):
    """A table's ARN, known from its name: its tags are read without a DescribeTable."""
    return f"arn:aws:dynamodb:{region}:{account_id}:table/{name}"


def creator_tables(client, creator, region, account_id, names=None):
    """The creator's tables: `names` that exist, or when None every table tagged as the creator's."""
    if names is not None and not names:
        return []  # nothing to verify: no need to list the tables
    existing = dynamodb.list_tables(client)
    if names is not None:
        return sorted(set(names) & set(existing))
    return sorted(
        name
        for name in existing
        if dynamodb.list_tags(client, table_arn(region, account_id, name)).get(CREATOR_TAG) == creator
    )


def creator_buckets(client, creator, skip=(), names=None):
    """The buckets of the creator, but those in `skip`: `names` that exist, or when None every bucket tagged as its."""
    existing = [bucket["Name"] for bucket in s3.list_buckets(client) if bucket["Name"] not in skip]
    if names is not None:
        return sorted(set(names) & set(existing))
    return sorted(name for name in existing if s3.get_bucket_tags(client, name).get(CREATOR_TAG) == creator)


def read_protection(clients, request):
    """{"tables": {name: PITR on?}, "buckets": {name: versioning status or None}} of the creator's data stores.

    `request` holds creator, region, account_id, table_names and bucket_names (None: find them by tag) and
    skip_buckets.
    """
    tables = creator_tables(
        clients.dynamodb, request["creator"], request["region"], request["account_id"], request["table_names"]
    )
    buckets = creator_buckets(clients.s3, request["creator"], request["skip_buckets"], request.get("bucket_names"))
    return {
        "tables": {name: dynamodb.point_in_time_recovery_enabled(clients.dynamodb, name) for name in tables},
        "buckets": {name: s3.get_versioning(clients.s3, name).get("Status") for name in buckets},
    }


def ensure_protection(clients, changes, current):
    """Turn on point-in-time recovery and versioning where they are off; returns (after, fixed)."""
    fixed = []
    for name, enabled in sorted(current["tables"].items()):
        if not enabled:
            what = f"point-in-time recovery of table {name}"
            changes.make(f"turn on {what}", dynamodb.enable_point_in_time_recovery, clients.dynamodb, name)
            fixed.append(what)
    for name, status in sorted(current["buckets"].items()):
        if status != VERSIONING["Status"]:
            what = f"versioning of bucket {name}"
            changes.make(f"turn on {what}", s3.put_versioning, clients.s3, name, VERSIONING)
            fixed.append(what)
    after = {
        "tables": dict.fromkeys(current["tables"], True),
        "buckets": dict.fromkeys(current["buckets"], VERSIONING["Status"]),
    }
    return after, fixed
