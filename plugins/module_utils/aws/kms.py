# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped KMS calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# A new key can be unknown for a moment to the KMS host that the next call reaches.
_RETRY_NEW_KEY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["NotFoundException"])
TAG_KEY, TAG_VALUE = "TagKey", "TagValue"


class AnsibleKMSError(AnsibleAWSError):
    pass


class KMSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleKMSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NotFoundException"])


@KMSErrorHandler.list_error_handler("describe the key")
def describe_key(client, key_id):
    """The key's metadata (key_id may be an alias name), or None when there is no such key or alias."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


@KMSErrorHandler.common_error_handler("list the keys")
def list_keys(client):
    return client.get_paginator("list_keys").paginate().build_full_result()["Keys"]


@KMSErrorHandler.common_error_handler("create the key")
def create_key(client, description, policy_json, tags):
    return client.create_key(
        Description=description,
        KeyUsage="ENCRYPT_DECRYPT",
        KeySpec="SYMMETRIC_DEFAULT",
        Policy=policy_json,
        Tags=ansible_dict_to_boto3_tag_list(tags, TAG_KEY, TAG_VALUE),
    )["KeyMetadata"]


@KMSErrorHandler.common_error_handler("name the key with its alias")
@_RETRY_NEW_KEY
def create_alias(client, alias, key_id):
    client.create_alias(AliasName=alias, TargetKeyId=key_id)


@KMSErrorHandler.common_error_handler("update the key's description")
def update_description(client, key_id, description):
    client.update_key_description(KeyId=key_id, Description=description)


@KMSErrorHandler.common_error_handler("read the key's rotation status")
def rotation_enabled(client, key_id):
    return client.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]


@KMSErrorHandler.common_error_handler("turn on the key's rotation")
@_RETRY_NEW_KEY
def enable_rotation(client, key_id):
    client.enable_key_rotation(KeyId=key_id)


@KMSErrorHandler.common_error_handler("read the key policy")
def get_key_policy(client, key_id):
    return client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]


@KMSErrorHandler.common_error_handler("put the key policy")
def put_key_policy(client, key_id, policy_json):
    client.put_key_policy(KeyId=key_id, PolicyName="default", Policy=policy_json)


@KMSErrorHandler.common_error_handler("cancel the key's scheduled deletion")
def cancel_deletion(client, key_id):
    client.cancel_key_deletion(KeyId=key_id)


@KMSErrorHandler.common_error_handler("enable the key")
def enable_key(client, key_id):
    client.enable_key(KeyId=key_id)


@KMSErrorHandler.common_error_handler("list the key's tags")
def list_tags(client, key_id):
    tags = client.get_paginator("list_resource_tags").paginate(KeyId=key_id).build_full_result().get("Tags", [])
    return boto3_tag_list_to_ansible_dict(tags, TAG_KEY, TAG_VALUE)


@KMSErrorHandler.common_error_handler("tag the key")
def tag_key(client, key_id, tags):
    client.tag_resource(KeyId=key_id, Tags=ansible_dict_to_boto3_tag_list(tags, TAG_KEY, TAG_VALUE))


@KMSErrorHandler.common_error_handler("untag the key")
def untag_key(client, key_id, keys):
    client.untag_resource(KeyId=key_id, TagKeys=list(keys))
