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
