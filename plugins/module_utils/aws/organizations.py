# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped AWS Organizations calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# Organizations answers ConcurrentModification when two changes race.
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ConcurrentModificationException"])


class AnsibleOrganizationsError(AnsibleAWSError):
    pass


class OrganizationsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleOrganizationsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(
            [
                "AccountNotFoundException",
                "ParentNotFoundException",
                "OrganizationalUnitNotFoundException",
                "TargetNotFoundException",
                "CreateAccountStatusNotFoundException",
            ]
        )


def _paginate(client, operation, key, **kwargs):
    return client.get_paginator(operation).paginate(**kwargs).build_full_result()[key]


@OrganizationsErrorHandler.common_error_handler("describe the organization")
@_RETRY
def find_organization(client):
    """The organization of the caller's account, or None when it is in none."""
    try:
        return client.describe_organization()["Organization"]
    except client.exceptions.AWSOrganizationsNotInUseException:
        return None


@OrganizationsErrorHandler.common_error_handler("create the organization")
@_RETRY
def create_organization(client):
    return client.create_organization(FeatureSet="ALL")["Organization"]


@OrganizationsErrorHandler.common_error_handler("list the accounts of the organization")
@_RETRY
def list_accounts(client):
    return _paginate(client, "list_accounts", "Accounts")


def find_account_by_email(client, email):
    """The account whose e-mail is `email` (AWS compares e-mails case-insensitively), or None."""
    wanted = email.lower()
    return next((a for a in list_accounts(client) if a["Email"].lower() == wanted), None)


@OrganizationsErrorHandler.common_error_handler("list account creations in progress")
@_RETRY
def list_create_account_requests_in_progress(client):
    return _paginate(client, "list_create_account_status", "CreateAccountStatuses", States=["IN_PROGRESS"])


@OrganizationsErrorHandler.common_error_handler("create the account")
@_RETRY
def create_account(client, email, name, role_name, tags):
    request = dict(Email=email, AccountName=name, RoleName=role_name, IamUserAccessToBilling="DENY")
    if tags:
        request["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_account(**request)["CreateAccountStatus"]


@OrganizationsErrorHandler.common_error_handler("read the account creation status")
@_RETRY
def describe_create_account_status(client, request_id):
    return client.describe_create_account_status(CreateAccountRequestId=request_id)["CreateAccountStatus"]


@OrganizationsErrorHandler.common_error_handler("describe the account")
@_RETRY
def describe_account(client, account_id):
    return client.describe_account(AccountId=account_id)["Account"]


@OrganizationsErrorHandler.common_error_handler("list the organization roots")
@_RETRY
def list_roots(client):
    return _paginate(client, "list_roots", "Roots")


@OrganizationsErrorHandler.list_error_handler("list organizational units", [])
@_RETRY
def list_organizational_units(client, parent_id):
    return _paginate(client, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent_id)


@OrganizationsErrorHandler.common_error_handler("create an organizational unit")
@_RETRY
def create_organizational_unit(client, parent_id, name):
    return client.create_organizational_unit(ParentId=parent_id, Name=name)["OrganizationalUnit"]


@OrganizationsErrorHandler.common_error_handler("describe an organizational unit")
@_RETRY
def describe_organizational_unit(client, ou_id):
    return client.describe_organizational_unit(OrganizationalUnitId=ou_id)["OrganizationalUnit"]


@OrganizationsErrorHandler.common_error_handler("find the parent of the account")
@_RETRY
def list_parents(client, child_id):
    return _paginate(client, "list_parents", "Parents", ChildId=child_id)


@OrganizationsErrorHandler.common_error_handler("move the account")
@_RETRY
def move_account(client, account_id, source_parent_id, destination_parent_id):
    client.move_account(
        AccountId=account_id, SourceParentId=source_parent_id, DestinationParentId=destination_parent_id
    )


@OrganizationsErrorHandler.common_error_handler("list the tags of the account")
@_RETRY
def list_tags(client, resource_id):
    return boto3_tag_list_to_ansible_dict(_paginate(client, "list_tags_for_resource", "Tags", ResourceId=resource_id))


@OrganizationsErrorHandler.common_error_handler("tag the account")
@_RETRY
def tag_resource(client, resource_id, tags):
    client.tag_resource(ResourceId=resource_id, Tags=ansible_dict_to_boto3_tag_list(tags))


@OrganizationsErrorHandler.common_error_handler("untag the account")
@_RETRY
def untag_resource(client, resource_id, tag_keys):
    client.untag_resource(ResourceId=resource_id, TagKeys=list(tag_keys))
