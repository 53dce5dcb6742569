# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped Lambda calls: one exception type for a module to catch."""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# A function that is being created or updated answers ResourceConflict to the next change
# until its State / LastUpdateStatus settles.
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ResourceConflictException"])
# IAM is eventually consistent: a role created a moment ago "cannot be assumed by Lambda" for a few
# seconds, which Lambda reports as InvalidParameterValue. Retry that briefly on create and update only.
_RETRY_NEW_ROLE = ConsistencyRetry.jittered_backoff(
    retries=6, delay=2, catch_extra_error_codes=["ResourceConflictException", "InvalidParameterValueException"]
)
# Lambda reports State and LastUpdateStatus within seconds for zip functions.
_WAITER_CONFIG = {"Delay": 1, "MaxAttempts": 120}


class AnsibleLambdaError(AnsibleAWSError):
    pass


class LambdaErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleLambdaError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@LambdaErrorHandler.common_error_handler("list the functions")
@_RETRY
def list_functions(client):
    """The configuration of every function of the region (all pages): what GetFunction's "Configuration" holds,
    but the state fields (State, LastUpdateStatus), which AWS leaves out of ListFunctions."""
    return client.get_paginator("list_functions").paginate().build_full_result().get("Functions", [])


@LambdaErrorHandler.common_error_handler("create the function")
@_RETRY_NEW_ROLE
def create_function(client, request):
    return client.create_function(**request)


@LambdaErrorHandler.common_error_handler("update the code of the function")
@_RETRY
def update_function_code(client, request):
    return client.update_function_code(**request)


@LambdaErrorHandler.common_error_handler("update the configuration of the function")
@_RETRY_NEW_ROLE
def update_function_configuration(client, request):
    return client.update_function_configuration(**request)


@LambdaErrorHandler.common_error_handler("wait for the function to become active")
def wait_active(client, name):
    client.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig=_WAITER_CONFIG)


@LambdaErrorHandler.common_error_handler("wait for the update of the function")
def wait_updated(client, name):
    client.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig=_WAITER_CONFIG)


@LambdaErrorHandler.list_error_handler("read the resource policy of the function", [])
@_RETRY
def policy_statements(client, name):
    """The statements of the function's resource policy; [] when it has none."""
    return json.loads(client.get_policy(FunctionName=name)["Policy"]).get("Statement", [])


@LambdaErrorHandler.common_error_handler("allow a caller to invoke the function")
@_RETRY
def add_permission(client, request):
    client.add_permission(**request)


@LambdaErrorHandler.deletion_error_handler("remove a permission of the function")
@_RETRY
def remove_permission(client, name, statement_id):
    client.remove_permission(FunctionName=name, StatementId=statement_id)
    return True


@LambdaErrorHandler.common_error_handler("tag the function")
@_RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(Resource=arn, Tags=tags)


@LambdaErrorHandler.common_error_handler("untag the function")
@_RETRY
def untag_resource(client, arn, tag_keys):
    client.untag_resource(Resource=arn, TagKeys=list(tag_keys))
