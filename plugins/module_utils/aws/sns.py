# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped SNS calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError


class AnsibleSnsError(AnsibleAWSError):
    pass


class SnsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSnsError


@SnsErrorHandler.common_error_handler("read the topic")
def _topic_attributes(client, arn):
    return client.get_topic_attributes(TopicArn=arn)["Attributes"]


def get_topic_attributes(client, arn):
    """The attributes of the topic `arn`, or None when there is no such topic."""
    try:
        return _topic_attributes(client, arn)
    except AnsibleSnsError as e:
        if is_boto3_error_code("NotFound", e=e.exception):
            return None
        raise


@SnsErrorHandler.common_error_handler("create the topic")
def create_topic(client, name, attributes, tags):
    return client.create_topic(
        Name=name, Attributes=attributes, Tags=[{"Key": key, "Value": value} for key, value in tags.items()]
    )["TopicArn"]


@SnsErrorHandler.common_error_handler("set an attribute of the topic")
def set_topic_attribute(client, arn, name, value):
    client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value)


@SnsErrorHandler.common_error_handler("list the tags of the topic")
def list_tags(client, arn):
    return {tag["Key"]: tag["Value"] for tag in client.list_tags_for_resource(ResourceArn=arn).get("Tags", [])}


@SnsErrorHandler.common_error_handler("tag the topic")
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": key, "Value": value} for key, value in tags.items()])


@SnsErrorHandler.common_error_handler("untag the topic")
def untag_resource(client, arn, tag_keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(tag_keys))


@SnsErrorHandler.common_error_handler("list the subscriptions of the topic")
def list_subscriptions_by_topic(client, arn):
    """Every subscription of the topic (all pages)."""
    paginator = client.get_paginator("list_subscriptions_by_topic")
    return paginator.paginate(TopicArn=arn).build_full_result().get("Subscriptions", [])


@SnsErrorHandler.common_error_handler("subscribe to the topic")
def subscribe(client, arn, protocol, endpoint):
    return client.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=True)


@SnsErrorHandler.common_error_handler("unsubscribe from the topic")
def unsubscribe(client, subscription_arn):
    client.unsubscribe(SubscriptionArn=subscription_arn)
