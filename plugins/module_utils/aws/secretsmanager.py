# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped AWS Secrets Manager calls: one exception type for a module to catch.

Secret values pass through here only on their way in or out of Secrets Manager: callers must
never log or return them.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict


class AnsibleSecretsManagerError(AnsibleAWSError):
    pass


class SecretsManagerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSecretsManagerError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@SecretsManagerErrorHandler.list_error_handler("describe the secret")
def describe_secret(client, name):
    """The secret's ARN, name, KMS key and tags (a dict), or None when there is no such secret."""
    secret = client.describe_secret(SecretId=name)
    return dict(secret, Tags=boto3_tag_list_to_ansible_dict(secret.get("Tags", [])))


@SecretsManagerErrorHandler.list_error_handler("read the secret's value")
def get_secret_string(client, secret_id):
    """The current value of the secret as a string, or None when it has none."""
    return client.get_secret_value(SecretId=secret_id).get("SecretString")


@SecretsManagerErrorHandler.common_error_handler("create the secret")
def create_secret(client, name, kms_key_id, secret_string, tags):
    """A new secret holding `secret_string`, encrypted with `kms_key_id`; returns its ARN."""
    request = dict(Name=name, KmsKeyId=kms_key_id, SecretString=secret_string)
    request["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_secret(**request)["ARN"]


@SecretsManagerErrorHandler.common_error_handler("write the secret's value")
def put_secret_string(client, secret_id, secret_string):
    client.put_secret_value(SecretId=secret_id, SecretString=secret_string)


@SecretsManagerErrorHandler.common_error_handler("change the secret's KMS key")
def update_secret_kms_key(client, secret_id, kms_key_id):
    client.update_secret(SecretId=secret_id, KmsKeyId=kms_key_id)


@SecretsManagerErrorHandler.common_error_handler("tag the secret")
def tag_secret(client, secret_id, tags):
    client.tag_resource(SecretId=secret_id, Tags=ansible_dict_to_boto3_tag_list(tags))


@SecretsManagerErrorHandler.common_error_handler("untag the secret")
def untag_secret(client, secret_id, keys):
    client.untag_resource(SecretId=secret_id, TagKeys=list(keys))
