# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped SSM Parameter Store calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# Parameter Store answers TooManyUpdates while an earlier change of the same parameter is applied.
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["TooManyUpdates"])


class AnsibleSSMError(AnsibleAWSError):
    pass


class SSMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSSMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ParameterNotFound")


@SSMErrorHandler.list_error_handler("read the parameter")
@_RETRY
def get_parameter_value(client, name):
    """The parameter's value, or None when there is no such parameter."""
    return client.get_parameter(Name=name)["Parameter"]["Value"]


@SSMErrorHandler.common_error_handler("write the parameter")
@_RETRY
def put_parameter(client, name, value, description):
    """Create or overwrite a String parameter."""
    client.put_parameter(Name=name, Value=value, Description=description, Type="String", Overwrite=True)
