# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped Amazon IVS calls: one exception type for a module to catch.

Channels and recording configurations are found by name; a missing one reads as None.
Stream key values leave this module only through get_stream_key and the create calls, to be
written to Secrets Manager: callers must never log or return them.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry


class AnsibleIVSError(AnsibleAWSError):
    pass


class IVSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleIVSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


def _paginate(client, operation, key, **kwargs):
    return client.get_paginator(operation).paginate(**kwargs).build_full_result()[key]


@IVSErrorHandler.common_error_handler("find the channel")
def find_channel(client, name):
    """The channel of that name (all of GetChannel's members), or None."""
    summaries = _paginate(client, "list_channels", "channels", filterByName=name)
    if not summaries:
        return None
    return client.get_channel(arn=summaries[0]["arn"])["channel"]


@IVSErrorHandler.common_error_handler("create the channel")
def create_channel(client, request):
    """The new channel and the stream key AWS makes with it."""
    response = client.create_channel(**request)
    return response["channel"], response["streamKey"]


@IVSErrorHandler.common_error_handler("update the channel")
def update_channel(client, arn, request):
    return client.update_channel(arn=arn, **request)["channel"]


@IVSErrorHandler.common_error_handler("find the recording configurations")
def find_recording_configurations(client, name):
    """Every recording configuration of that name, with all of GetRecordingConfiguration's members."""
    summaries = _paginate(client, "list_recording_configurations", "recordingConfigurations")
    return [
        client.get_recording_configuration(arn=summary["arn"])["recordingConfiguration"]
        for summary in summaries
        if summary.get("name") == name
    ]


@IVSErrorHandler.common_error_handler("read the recording configuration")
def get_recording_configuration(client, arn):
    return client.get_recording_configuration(arn=arn)["recordingConfiguration"]


@IVSErrorHandler.common_error_handler("create the recording configuration")
def create_recording_configuration(client, request):
    return client.create_recording_configuration(**request)["recordingConfiguration"]


@IVSErrorHandler.deletion_error_handler("delete the recording configuration")
# A recording configuration that a channel has just let go of can answer Conflict for a moment.
@ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ConflictException"])
def delete_recording_configuration(client, arn):
    client.delete_recording_configuration(arn=arn)


@IVSErrorHandler.list_error_handler("list the channel's stream keys", [])
def list_stream_key_arns(client, channel_arn):
    """The ARNs of the channel's stream keys (listing never returns their values)."""
    return [key["arn"] for key in _paginate(client, "list_stream_keys", "streamKeys", channelArn=channel_arn)]


@IVSErrorHandler.common_error_handler("read the stream key")
def get_stream_key(client, arn):
    """The stream key with its value: pass it only to Secrets Manager."""
    return client.get_stream_key(arn=arn)["streamKey"]


@IVSErrorHandler.common_error_handler("create a stream key")
def create_stream_key(client, channel_arn, tags):
    """A new stream key with its value: pass it only to Secrets Manager."""
    return client.create_stream_key(channelArn=channel_arn, tags=tags)["streamKey"]


@IVSErrorHandler.deletion_error_handler("delete the stream key")
def delete_stream_key(client, arn):
    client.delete_stream_key(arn=arn)


@IVSErrorHandler.common_error_handler("tag the IVS resource")
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=tags)


@IVSErrorHandler.common_error_handler("untag the IVS resource")
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))
