# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A creator's CloudWatch dashboard, built from the same list of resources as the alarms.

Private to the monitoring module. The body is compared as parsed JSON with what AWS holds, so
key order and spacing never cause a write.
"""

import json

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cloudwatch
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import GLOBAL_REGION
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import NAME_PREFIX

WIDGET_WIDTH = 12
WIDGET_HEIGHT = 6


def orders_namespace(creator):
    """The custom namespace where the shop's backend puts the metric Orders."""
    return f"CreatorCloud/{creator}"


def metric_widget(title, region, metrics, stat="Sum"):
    """A time-series widget of `metrics` (CloudWatch's array form) in `region`."""
    return {
        "type": "metric",
        "width": WIDGET_WIDTH,
        "height": WIDGET_HEIGHT,
        "properties": {
            "title": title,
            "region": region,
            "metrics": metrics,
            "stat": stat,
            "period": 300,
            "view": "timeSeries",
        },
    }


def channel_id(channel_arn):
    """The IVS channel's id, the dimension Channel of its metrics."""
    return channel_arn.rsplit("/", 1)[-1]


def desired_widgets(creator, region, watched):
    """The widgets, in reading order: traffic, errors, latency, stream, chat, orders."""
    functions = watched["functions"]
    api, distribution = watched["api_id"], watched["distribution_id"]
    traffic, errors, latency = [], [], []
    if distribution:
        traffic.append(["AWS/CloudFront", "Requests", "DistributionId", distribution, "Region", "Global"])
    if api:
        traffic.append(["AWS/ApiGateway", "Count", "ApiId", api])
        errors.append(["AWS/ApiGateway", "5xx", "ApiId", api])
        latency.append(["AWS/ApiGateway", "Latency", "ApiId", api])
    errors += [["AWS/Lambda", "Errors", "FunctionName", function] for function in functions]
    latency += [["AWS/Lambda", "Duration", "FunctionName", function] for function in functions]
    widgets = []
    if traffic:
        # CloudFront's metrics are only in us-east-1; a widget has one region.
        widgets.append(metric_widget("Traffic (requests)", GLOBAL_REGION if distribution else region, traffic))
    if errors:
        widgets.append(metric_widget("Errors", region, errors))
    if latency:
        widgets.append(metric_widget("Latency p99 (ms)", region, latency, stat="p99"))
    if distribution:
        widgets.append(
            metric_widget(
                "Site 5xx error rate (%)",
                GLOBAL_REGION,
                [["AWS/CloudFront", "5xxErrorRate", "DistributionId", distribution, "Region", "Global"]],
                stat="Average",
            )
        )
    if watched["channel_arn"]:
        channel = channel_id(watched["channel_arn"])
        stream = [
            ["AWS/IVS", "ConcurrentViews", "Channel", channel],
            ["AWS/IVS", "IngestVideoBitrate", "Channel", channel],
        ]
        widgets.append(metric_widget("Stream: viewers and ingest (live when above 0)", region, stream, stat="Maximum"))
    if watched["chat_room_arn"]:
        chat = [["AWS/IVSChat", "Deliveries", "Action", "SendMessage"], ["AWS/IVSChat", "ConcurrentChatConnections"]]
        widgets.append(metric_widget("Chat messages and connections", region, chat))
    widgets.append(metric_widget("Shop orders", region, [[orders_namespace(creator), "Orders"]]))
    return widgets


def desired_dashboard(creator, region, watched):
    """The dashboard body as a dict, widgets laid out two per row."""
    widgets = desired_widgets(creator, region, watched)
    for index, widget in enumerate(widgets):
        widget["x"] = (index % 2) * WIDGET_WIDTH
        widget["y"] = (index // 2) * WIDGET_HEIGHT
    return {"widgets": widgets}


def dashboard_name(creator):
    """The dashboard's name: creatorcloud-<creator> (dashboards are global to the account)."""
    return f"{NAME_PREFIX}-{creator}"


def read_dashboard(client, creator):
    """The dashboard body as a dict, or None."""
    body = cloudwatch.get_dashboard_body(client, dashboard_name(creator))
    return None if body is None else json.loads(body)


def ensure_dashboard(changes, client, creator, current, desired):
    """Write the dashboard when its parsed body differs; returns the body after."""
    if current != desired:
        verb = "create" if current is None else "update"
        changes.make(
            f"{verb} dashboard {dashboard_name(creator)}",
            cloudwatch.put_dashboard,
            client,
            dashboard_name(creator),
            json.dumps(desired, sort_keys=True),
        )
    return desired
