# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped Cognito user pool calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# Cognito answers ConcurrentModification when two updates of one pool race.
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ConcurrentModificationException"])


class AnsibleCognitoError(AnsibleAWSError):
    pass


class CognitoErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCognitoError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "UserNotFoundException"])


def _paginate(client, operation, key, **kwargs):
    return client.get_paginator(operation).paginate(**kwargs).build_full_result()[key]


@CognitoErrorHandler.common_error_handler("list the user pools")
@_RETRY
def list_user_pools(client):
    return _paginate(client, "list_user_pools", "UserPools", MaxResults=60)


@CognitoErrorHandler.common_error_handler("describe the user pool")
@_RETRY
def describe_user_pool(client, pool_id):
    return client.describe_user_pool(UserPoolId=pool_id)["UserPool"]


@CognitoErrorHandler.common_error_handler("create the user pool")
@_RETRY
def create_user_pool(client, request):
    return client.create_user_pool(**request)["UserPool"]


@CognitoErrorHandler.common_error_handler("update the user pool")
@_RETRY
def update_user_pool(client, pool_id, request):
    client.update_user_pool(UserPoolId=pool_id, **request)


@CognitoErrorHandler.common_error_handler("read the MFA configuration of the user pool")
@_RETRY
def get_mfa_config(client, pool_id):
    answer = client.get_user_pool_mfa_config(UserPoolId=pool_id)
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


@CognitoErrorHandler.common_error_handler("set the MFA configuration of the user pool")
@_RETRY
def set_mfa_config(client, pool_id, request):
    client.set_user_pool_mfa_config(UserPoolId=pool_id, **request)


@CognitoErrorHandler.common_error_handler("list the app clients of the user pool")
@_RETRY
def list_clients(client, pool_id):
    return _paginate(client, "list_user_pool_clients", "UserPoolClients", UserPoolId=pool_id, MaxResults=60)


@CognitoErrorHandler.common_error_handler("describe the app client")
@_RETRY
def describe_client(client, pool_id, client_id):
    return client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]


@CognitoErrorHandler.common_error_handler("create the app client")
@_RETRY
def create_client(client, pool_id, request):
    return client.create_user_pool_client(UserPoolId=pool_id, **request)["UserPoolClient"]


@CognitoErrorHandler.common_error_handler("update the app client")
@_RETRY
def update_client(client, pool_id, client_id, request):
    return client.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, **request)["UserPoolClient"]


@CognitoErrorHandler.common_error_handler("list the groups of the user pool")
@_RETRY
def list_groups(client, pool_id):
    return _paginate(client, "list_groups", "Groups", UserPoolId=pool_id)


@CognitoErrorHandler.common_error_handler("create a group")
@_RETRY
def create_group(client, pool_id, request):
    client.create_group(UserPoolId=pool_id, **request)


@CognitoErrorHandler.common_error_handler("update a group")
@_RETRY
def update_group(client, pool_id, request):
    client.update_group(UserPoolId=pool_id, **request)


@CognitoErrorHandler.list_error_handler("list the members of a group", [])
@_RETRY
def list_users_in_group(client, pool_id, group):
    return _paginate(client, "list_users_in_group", "Users", UserPoolId=pool_id, GroupName=group)


@CognitoErrorHandler.common_error_handler("find a user by e-mail")
@_RETRY
def find_user_by_email(client, pool_id, email):
    """The user whose e-mail is `email`, or None (a List call: AdminGetUser would count as a write)."""
    users = client.list_users(UserPoolId=pool_id, Filter=f'email = "{email}"', Limit=1)["Users"]
    return users[0] if users else None


@CognitoErrorHandler.common_error_handler("invite a user")
@_RETRY
def invite_user(client, pool_id, email):
    """Create a user that Cognito invites by e-mail with a temporary password it makes itself."""
    return client.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]


@CognitoErrorHandler.common_error_handler("add a user to a group")
@_RETRY
def add_user_to_group(client, pool_id, username, group):
    client.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
