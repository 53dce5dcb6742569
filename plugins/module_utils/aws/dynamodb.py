# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped DynamoDB calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# A table being created or updated answers ResourceInUse to the next change for a moment;
# LimitExceeded also covers "too many tables or indexes changing at once".
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ResourceInUseException"])


class AnsibleDynamoDBError(AnsibleAWSError):
    pass


class DynamoDBErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleDynamoDBError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "TableNotFoundException"])


@DynamoDBErrorHandler.list_error_handler("describe the table")
@_RETRY
def describe_table(client, name):
    """The table's description, or None when there is no such table."""
    return client.describe_table(TableName=name)["Table"]


@DynamoDBErrorHandler.common_error_handler("list the tables")
@_RETRY
def list_tables(client):
    return client.get_paginator("list_tables").paginate().build_full_result()["TableNames"]


@DynamoDBErrorHandler.common_error_handler("create the table")
@_RETRY
def create_table(client, request):
    return client.create_table(**request)["TableDescription"]


@DynamoDBErrorHandler.common_error_handler("update the table")
@_RETRY
def update_table(client, request):
    return client.update_table(**request)["TableDescription"]


@DynamoDBErrorHandler.common_error_handler("delete the table")
@_RETRY
def delete_table(client, name):
    client.delete_table(TableName=name)


@DynamoDBErrorHandler.common_error_handler("read the point-in-time recovery of the table")
@_RETRY
def point_in_time_recovery_enabled(client, name):
    description = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    return description.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"


@DynamoDBErrorHandler.common_error_handler("turn on point-in-time recovery of the table")
@_RETRY
def enable_point_in_time_recovery(client, name):
    client.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )


@DynamoDBErrorHandler.common_error_handler("read the time to live of the table")
@_RETRY
def time_to_live(client, name):
    """The TTL attribute while TTL is enabled (or being enabled), else None."""
    description = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if description.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return description.get("AttributeName")
    return None


@DynamoDBErrorHandler.common_error_handler("update the time to live of the table")
@_RETRY
def update_time_to_live(client, name, attribute, enabled):
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute})


@DynamoDBErrorHandler.common_error_handler("list the tags of the table")
@_RETRY
def list_tags(client, arn):
    tags = client.get_paginator("list_tags_of_resource").paginate(ResourceArn=arn).build_full_result()
    return boto3_tag_list_to_ansible_dict(tags.get("Tags", []))


@DynamoDBErrorHandler.common_error_handler("tag the table")
@_RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@DynamoDBErrorHandler.common_error_handler("untag the table")
@_RETRY
def untag_resource(client, arn, tag_keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(tag_keys))


@DynamoDBErrorHandler.common_error_handler("create the backup")
def create_backup(client, table_name, backup_name):
    return client.create_backup(TableName=table_name, BackupName=backup_name)["BackupDetails"]


@DynamoDBErrorHandler.list_error_handler("describe the backup")
def describe_backup(client, backup_arn):
    """The backup's description, or None when there is no such backup."""
    return client.describe_backup(BackupArn=backup_arn)["BackupDescription"]


@DynamoDBErrorHandler.common_error_handler("export the table")
def export_table(client, request):
    return client.export_table_to_point_in_time(**request)["ExportDescription"]


@DynamoDBErrorHandler.common_error_handler("describe the export")
def describe_export(client, export_arn):
    return client.describe_export(ExportArn=export_arn)["ExportDescription"]


@DynamoDBErrorHandler.common_error_handler("read the restorable window of the table")
def restorable_window(client, name):
    """(earliest, latest) restorable datetimes of the table, or None while point-in-time recovery is off."""
    description = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    recovery = description.get("PointInTimeRecoveryDescription", {})
    if recovery.get("PointInTimeRecoveryStatus") != "ENABLED":
        return None
    return recovery["EarliestRestorableDateTime"], recovery["LatestRestorableDateTime"]


@DynamoDBErrorHandler.common_error_handler("restore the table to a point in time")
def restore_to_point_in_time(client, request):
    return client.restore_table_to_point_in_time(**request)["TableDescription"]


@DynamoDBErrorHandler.common_error_handler("restore the table from the backup")
def restore_from_backup(client, request):
    return client.restore_table_from_backup(**request)["TableDescription"]


@DynamoDBErrorHandler.common_error_handler("count the items of the table")
def count_items(client, name):
    """The number of items, by Scan with Select=COUNT over every page (consistent, unlike ItemCount)."""
    pages = client.get_paginator("scan").paginate(TableName=name, Select="COUNT", ConsistentRead=True)
    return sum(page["Count"] for page in pages)


@DynamoDBErrorHandler.common_error_handler("read an item of the table")
def item_exists(client, name, key):
    """True when the table holds an item with `key` (low-level attribute values)."""
    return "Item" in client.get_item(
        TableName=name,
        Key=key,
        ConsistentRead=True,
        ProjectionExpression="#k",
        ExpressionAttributeNames={"#k": next(iter(key))},
    )


@DynamoDBErrorHandler.common_error_handler("read items of the table")
@_RETRY
def get_items(client, name, keys):
    """The items of `keys` (low-level attribute values, at most 100), read consistently; unprocessed keys retried."""
    items, request = [], {name: {"Keys": keys, "ConsistentRead": True}}
    while request:
        response = client.batch_get_item(RequestItems=request)
        items.extend(response["Responses"].get(name, []))
        request = response.get("UnprocessedKeys") or {}
    return items


@DynamoDBErrorHandler.common_error_handler("write an item of the table")
@_RETRY
def put_item(client, request):
    """PutItem (with the request's condition)."""
    client.put_item(**request)


@DynamoDBErrorHandler.common_error_handler("update an item of the table")
@_RETRY
def update_item(client, request):
    """UpdateItem (with the request's condition)."""
    client.update_item(**request)
