# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped CloudWatch Logs calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# CloudWatch Logs answers OperationAborted when two changes of one log group race.
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["OperationAbortedException"])


class AnsibleLogsError(AnsibleAWSError):
    pass


class LogsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleLogsError


@LogsErrorHandler.common_error_handler("list the log groups")
@_RETRY
def describe_log_groups(client, prefix):
    """Every log group whose name starts with `prefix`."""
    paginator = client.get_paginator("describe_log_groups")
    return paginator.paginate(logGroupNamePrefix=prefix).build_full_result()["logGroups"]


@LogsErrorHandler.common_error_handler("create the log group")
@_RETRY
def create_log_group(client, name, tags):
    client.create_log_group(logGroupName=name, tags=tags)


@LogsErrorHandler.common_error_handler("set the retention of the log group")
@_RETRY
def put_retention_policy(client, name, days):
    client.put_retention_policy(logGroupName=name, retentionInDays=days)


@LogsErrorHandler.common_error_handler("tag the log group")
@_RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=tags)


@LogsErrorHandler.common_error_handler("untag the log group")
@_RETRY
def untag_resource(client, arn, tag_keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(tag_keys))
