# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A creator's CloudWatch alarms: built from what exists, compared with what AWS returns, pruned.

Private to the monitoring module. Every alarm is named ``creatorcloud-<creator>-<what>`` and tagged
as the creator's; an alarm with that prefix and tag that the desired list no longer holds (its
function, table or distribution is gone) is deleted: alarms hold no fan data.
"""

import functools

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cloudwatch
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import resourcegroupstaggingapi
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags

PERIOD = 300
# Alarm only on what happened: no traffic is not an outage.
TREAT_MISSING_DATA = "notBreaching"
# The settings of PutMetricAlarm that describe_alarms returns in the same shape (tags are compared apart).
COMPARED = (
    "AlarmDescription",
    "ActionsEnabled",
    "AlarmActions",
    "OKActions",
    "Namespace",
    "MetricName",
    "Dimensions",
    "Statistic",
    "ExtendedStatistic",
    "Period",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "ComparisonOperator",
    "TreatMissingData",
    "Metrics",
)


def alarm_prefix(creator):
    """The name prefix of every alarm of the creator."""
    return resource_name(creator, "")


def short_name(creator, physical_name):
    """A function's or table's name without the creator prefix, for the alarm's name."""
    prefix = alarm_prefix(creator)
    return physical_name[len(prefix) :] if physical_name.startswith(prefix) else physical_name


def dimensions(**values):
    """CloudWatch dimensions from keyword arguments."""
    return [{"Name": name, "Value": value} for name, value in values.items()]


def metric_family(namespace, **values):
    """A function from a metric name to (namespace, metric name, dimensions) of one resource."""

    def metric(metric_name):
        return (namespace, metric_name, dimensions(**values))

    return metric


def metric_alarm(name, description, metric, statistic, threshold, operator="GreaterThanOrEqualToThreshold"):
    """A single-metric alarm; `metric` is (namespace, metric name, dimensions); p99 and such are extended."""
    namespace, metric_name, metric_dimensions = metric
    alarm = {
        "AlarmName": name,
        "AlarmDescription": description,
        "Namespace": namespace,
        "MetricName": metric_name,
        "Dimensions": metric_dimensions,
        "Period": PERIOD,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": float(threshold),
        "ComparisonOperator": operator,
        "TreatMissingData": TREAT_MISSING_DATA,
    }
    alarm["ExtendedStatistic" if statistic.startswith("p") else "Statistic"] = statistic
    return alarm


def math_alarm(name, description, expression, metrics, threshold):
    """An alarm on a metric math `expression` over `metrics` {id: (namespace, metric name, dimensions)} summed."""
    queries = [{"Id": "result", "Expression": expression, "Label": name, "ReturnData": True}]
    for metric_id, (namespace, metric_name, metric_dimensions) in metrics.items():
        queries.append(
            {
                "Id": metric_id,
                "MetricStat": {
                    "Metric": {"Namespace": namespace, "MetricName": metric_name, "Dimensions": metric_dimensions},
                    "Period": PERIOD,
                    "Stat": "Sum",
                },
                "ReturnData": False,
            }
        )
    return {
        "AlarmName": name,
        "AlarmDescription": description,
        "Metrics": queries,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": float(threshold),
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": TREAT_MISSING_DATA,
    }


def function_alarms(creator, function, thresholds):
    """Errors and Throttles of one backend function."""
    name = resource_name(creator, f"lambda-{short_name(creator, function)}")

    metric = metric_family("AWS/Lambda", FunctionName=function)
    return [
        metric_alarm(
            f"{name}-errors", f"Function {function} failed", metric("Errors"), "Sum", thresholds["function_errors"]
        ),
        metric_alarm(
            f"{name}-throttles",
            f"Function {function} was throttled",
            metric("Throttles"),
            "Sum",
            thresholds["function_throttles"],
        ),
    ]


def api_alarms(creator, api_id, thresholds):
    """The HTTP API's 5xx rate (metric math: 5xx / Count in percent) and its p99 latency in ms."""

    metric = metric_family("AWS/ApiGateway", ApiId=api_id)
    return [
        math_alarm(
            resource_name(creator, "api-5xx-rate"),
            f"More than the tier's share of requests to API {api_id} answered 5xx (percent)",
            "IF(requests > 0, 100 * errors / requests, 0)",
            {"errors": metric("5xx"), "requests": metric("Count")},
            thresholds["api_5xx_percent"],
        ),
        metric_alarm(
            resource_name(creator, "api-latency-p99"),
            f"API {api_id} answered slowly (p99, ms)",
            metric("Latency"),
            "p99",
            thresholds["api_latency_p99_ms"],
        ),
    ]


def table_alarms(creator, table, thresholds):
    """Read and write throttle events of one table, summed."""

    metric = metric_family("AWS/DynamoDB", TableName=table)
    return [
        math_alarm(
            resource_name(creator, f"table-{short_name(creator, table)}-throttles"),
            f"Table {table} throttled reads or writes",
            "reads + writes",
            {"reads": metric("ReadThrottleEvents"), "writes": metric("WriteThrottleEvents")},
            thresholds["table_throttles"],
        )
    ]


def distribution_alarms(creator, distribution_id, thresholds):
    """The distribution's 5xx error rate (CloudFront metrics are in us-east-1, Region=Global)."""
    metric = ("AWS/CloudFront", "5xxErrorRate", dimensions(DistributionId=distribution_id, Region="Global"))
    return [
        metric_alarm(
            resource_name(creator, "cdn-5xx-rate"),
            f"Distribution {distribution_id} answered 5xx (percent of requests)",
            metric,
            "Average",
            thresholds["cdn_5xx_percent"],
        )
    ]


def certificate_alarms(creator, certificate_arn, thresholds):
    """The certificate's days to expiry (ACM metrics of CloudFront certificates are in us-east-1)."""
    metric = ("AWS/CertificateManager", "DaysToExpiry", dimensions(CertificateArn=certificate_arn))
    return [
        metric_alarm(
            resource_name(creator, "certificate-expiry"),
            f"Certificate {certificate_arn} expires soon (days): ACM did not renew it",
            metric,
            "Minimum",
            thresholds["certificate_days_to_expiry"],
            operator="LessThanThreshold",
        )
    ]


def desired_alarms(creator, watched, thresholds):
    """The alarms of what exists, as {"regional": [...], "global": [...]} PutMetricAlarm requests without actions."""
    regional = [alarm for function in watched["functions"] for alarm in function_alarms(creator, function, thresholds)]
    if watched["api_id"]:
        regional += api_alarms(creator, watched["api_id"], thresholds)
    regional += [alarm for table in watched["tables"] for alarm in table_alarms(creator, table, thresholds)]
    global_alarms = []
    if watched["distribution_id"]:
        global_alarms += distribution_alarms(creator, watched["distribution_id"], thresholds)
    if watched["certificate_arn"]:
        global_alarms += certificate_alarms(creator, watched["certificate_arn"], thresholds)
    return {"regional": regional, "global": global_alarms}


def with_actions(alarm, topic_arn):
    """The alarm notifying `topic_arn` when it fires and when it is OK again."""
    return dict(alarm, ActionsEnabled=True, AlarmActions=[topic_arn], OKActions=[topic_arn])


def read_alarms(client, tagging, creator):
    """The creator's alarms in the clients' region by name, each with its tags (alarms not tagged as its skipped).

    Two paged reads for all of them: the alarms, and their tags from the tagging API (a ListTagsForResource
    per alarm made 28 reads for creator1's alarms).
    """
    alarms = cloudwatch.describe_alarms(client, alarm_prefix(creator))
    if not alarms:
        return {}
    tags = resourcegroupstaggingapi.tags_by_arn(tagging, "cloudwatch:alarm", {CREATOR_TAG: creator})
    return {
        alarm["AlarmName"]: dict(alarm, Tags=tags[alarm["AlarmArn"]]) for alarm in alarms if alarm["AlarmArn"] in tags
    }


def setting(alarm, key):
    """One setting of an alarm; describe_alarms returns [] for the list a kind of alarm lacks, so [] is None."""
    value = alarm.get(key)
    return None if value == [] else value


def alarm_view(alarm):
    """An alarm as the module's diff shows it."""
    if alarm is None:
        return None
    return {key: alarm[key] for key in (*COMPARED, "Tags") if setting(alarm, key) is not None}


class AlarmSet:
    """The alarms of one region: `client` is that region's CloudWatch client."""

    def __init__(self, changes, client, tags, purge_tags=True):
        self.changes = changes
        self.client = client
        self.tags = tags
        self.purge_tags = purge_tags

    def ensure_alarm(self, current, desired):
        """Create or update one alarm and its tags; returns it after."""
        name = desired["AlarmName"]
        request = dict(desired, Tags=[{"Key": key, "Value": value} for key, value in self.tags.items()])
        if current is None:
            self.changes.make(f"create alarm {name}", cloudwatch.put_metric_alarm, self.client, request)
            return dict(desired, Tags=dict(self.tags))
        after = dict(current)
        different = sorted(key for key in COMPARED if not matches(setting(current, key), setting(desired, key)))
        if different:
            # PutMetricAlarm replaces the whole alarm: send it all; it leaves existing tags alone.
            self.changes.make(
                f"update alarm {name}: {', '.join(different)}", cloudwatch.put_metric_alarm, self.client, request
            )
            after = {key: value for key, value in after.items() if key not in COMPARED}
            after.update(desired)
        tag = functools.partial(cloudwatch.tag_resource, self.client, current["AlarmArn"])
        untag = functools.partial(cloudwatch.untag_resource, self.client, current["AlarmArn"])
        after["Tags"] = ensure_tags(
            self.changes, f"alarm {name}", current["Tags"], self.tags, self.purge_tags, tag, untag
        )
        return after

    def ensure(self, current, desired):
        """Converge every alarm of the region and delete the creator's others; returns {name: alarm} after."""
        after = {alarm["AlarmName"]: self.ensure_alarm(current.get(alarm["AlarmName"]), alarm) for alarm in desired}
        stale = sorted(name for name in current if name not in after)
        if stale:
            self.changes.make(
                f"delete alarms of resources that are gone: {', '.join(stale)}",
                cloudwatch.delete_alarms,
                self.client,
                stale,
            )
        return after
