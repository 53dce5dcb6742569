# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped IAM role calls: one exception type for a module to catch.

IAM is a global service: pass a client made with ``CreatorSession.global_client("iam")``.
boto3 decodes the policy documents that IAM returns URL-encoded, so documents come back as dicts.
"""

import json

# amazon.aws's own IAM error handler: NoSuchEntity means missing, failures raise AnsibleIAMError.
from ansible_collections.amazon.aws.plugins.module_utils.iam import IAMErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# IAM answers ConcurrentModification when two changes of one role race (parallel hosts share nothing,
# but a re-run while the previous one still runs does).
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ConcurrentModification"])


def policy_json(document):
    """A policy document as IAM takes it: compact JSON with sorted keys, so requests are reproducible."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


@IAMErrorHandler.list_error_handler("read the role")
@_RETRY
def get_role(client, role_name):
    """The role (with its trust policy as a dict and its tags), or None when there is no such role."""
    return client.get_role(RoleName=role_name)["Role"]


@IAMErrorHandler.common_error_handler("read the roles and their inline policies")
@_RETRY
def roles_with_inline_policies(client, path_prefix):
    """{role name: role} of the account's roles under `path_prefix`, from one paged GetAccountAuthorizationDetails.

    Each role as GetRole returns it (trust policy as a dict, tags) plus "RolePolicyList", its inline
    policies [{"PolicyName", "PolicyDocument"}]: three reads per role (GetRole, ListRolePolicies,
    GetRolePolicy) become one read per 100 roles.
    """
    paginator = client.get_paginator("get_account_authorization_details")
    roles = paginator.paginate(Filter=["Role"]).build_full_result().get("RoleDetailList", [])
    return {role["RoleName"]: role for role in roles if role["Path"].startswith(path_prefix)}


@IAMErrorHandler.common_error_handler("create the role")
@_RETRY
def create_role(client, role_name, path, assume_role_policy, tags):
    """Create the role with its trust policy and tags in one call; returns the role."""
    return client.create_role(
        RoleName=role_name,
        Path=path,
        AssumeRolePolicyDocument=policy_json(assume_role_policy),
        Tags=ansible_dict_to_boto3_tag_list(tags),
    )["Role"]


@IAMErrorHandler.common_error_handler("update the trust policy of the role")
@_RETRY
def update_assume_role_policy(client, role_name, document):
    client.update_assume_role_policy(RoleName=role_name, PolicyDocument=policy_json(document))


@IAMErrorHandler.list_error_handler("read an inline policy of the role")
@_RETRY
def get_role_policy(client, role_name, policy_name):
    """The inline policy's document as a dict, or None when the role has no such policy."""
    return client.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]


@IAMErrorHandler.common_error_handler("put an inline policy on the role")
@_RETRY
def put_role_policy(client, role_name, policy_name, document):
    client.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=policy_json(document))


@IAMErrorHandler.list_error_handler("list the inline policies of the role", [])
@_RETRY
def list_role_policies(client, role_name):
    """The names of the role's inline policies, sorted."""
    pages = client.get_paginator("list_role_policies").paginate(RoleName=role_name).build_full_result()
    return sorted(pages["PolicyNames"])


@IAMErrorHandler.list_error_handler("list the tags of the role", {})
@_RETRY
def list_role_tags(client, role_name):
    pages = client.get_paginator("list_role_tags").paginate(RoleName=role_name).build_full_result()
    return boto3_tag_list_to_ansible_dict(pages.get("Tags", []))


@IAMErrorHandler.common_error_handler("tag the role")
@_RETRY
def tag_role(client, role_name, tags):
    client.tag_role(RoleName=role_name, Tags=ansible_dict_to_boto3_tag_list(tags))


@IAMErrorHandler.common_error_handler("untag the role")
@_RETRY
def untag_role(client, role_name, tag_keys):
    client.untag_role(RoleName=role_name, TagKeys=list(tag_keys))


@IAMErrorHandler.list_error_handler("list the managed policies of the role", [])
@_RETRY
def list_attached_policies(client, role_name):
    """The ARNs of the managed policies attached to the role, sorted."""
    pages = client.get_paginator("list_attached_role_policies").paginate(RoleName=role_name).build_full_result()
    return sorted(policy["PolicyArn"] for policy in pages.get("AttachedPolicies", []))


@IAMErrorHandler.common_error_handler("attach a managed policy to the role")
@_RETRY
def attach_policy(client, role_name, policy_arn):
    client.attach_role_policy(RoleName=role_name, PolicyArn=policy_arn)
