# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped CloudWatch calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError


class AnsibleCloudWatchError(AnsibleAWSError):
    pass


class CloudWatchErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudWatchError


@CloudWatchErrorHandler.common_error_handler("list the alarms")
def describe_alarms(client, prefix):
    """Every metric alarm whose name starts with `prefix` (all pages)."""
    paginator = client.get_paginator("describe_alarms")
    result = paginator.paginate(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm"]).build_full_result()
    return result.get("MetricAlarms", [])


@CloudWatchErrorHandler.common_error_handler("create or update the alarm")
def put_metric_alarm(client, request):
    client.put_metric_alarm(**request)


@CloudWatchErrorHandler.common_error_handler("delete the alarms")
def delete_alarms(client, names):
    client.delete_alarms(AlarmNames=list(names))


@CloudWatchErrorHandler.common_error_handler("tag the alarm")
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": key, "Value": value} for key, value in tags.items()])


@CloudWatchErrorHandler.common_error_handler("untag the alarm")
def untag_resource(client, arn, tag_keys):
    client.untag_resource(ResourceARN=arn, TagKeys=list(tag_keys))


@CloudWatchErrorHandler.common_error_handler("read the dashboard")
def _dashboard_body(client, name):
    return client.get_dashboard(DashboardName=name)["DashboardBody"]


def get_dashboard_body(client, name):
    """The JSON body of the dashboard `name`, or None when there is no such dashboard."""
    try:
        return _dashboard_body(client, name)
    except AnsibleCloudWatchError as e:
        if is_boto3_error_code("ResourceNotFound", e=e.exception):
            return None
        raise


@CloudWatchErrorHandler.common_error_handler("write the dashboard")
def put_dashboard(client, name, body):
    client.put_dashboard(DashboardName=name, DashboardBody=body)
