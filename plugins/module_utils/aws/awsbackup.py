# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped AWS Backup calls: one exception type for a module to catch.

A vault, plan or selection that does not exist reads as None, not as an error.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# A vault just created can be unknown for a moment to the host that the plan's create reaches.
_RETRY_NEW_VAULT = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ResourceNotFoundException"])
# IAM is eventually consistent: AWS Backup refuses a selection whose new role it cannot assume yet. Fewer tries,
# since the same code also means a bad request, which no wait mends.
_RETRY_NEW_ROLE = ConsistencyRetry.jittered_backoff(
    retries=5, delay=2, catch_extra_error_codes=["InvalidParameterValueException"]
)


class AnsibleBackupError(AnsibleAWSError):
    pass


class BackupErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleBackupError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException"])


@BackupErrorHandler.list_error_handler("describe the backup vault")
def describe_backup_vault(client, name):
    """The vault's description, or None when the account has no such vault."""
    vault = client.describe_backup_vault(BackupVaultName=name)
    return {key: value for key, value in vault.items() if key != "ResponseMetadata"}


@BackupErrorHandler.common_error_handler("create the backup vault")
def create_backup_vault(client, name, kms_key_arn, tags):
    return client.create_backup_vault(BackupVaultName=name, EncryptionKeyArn=kms_key_arn, BackupVaultTags=tags)


@BackupErrorHandler.common_error_handler("list the backup plans")
def list_backup_plans(client):
    """The summaries of the account's backup plans in the region (deleted plans left out)."""
    return client.get_paginator("list_backup_plans").paginate().build_full_result().get("BackupPlansList", [])


@BackupErrorHandler.list_error_handler("read the backup plan")
def get_backup_plan(client, plan_id):
    """The plan (BackupPlan, BackupPlanArn, VersionId ...), or None."""
    return client.get_backup_plan(BackupPlanId=plan_id)


@BackupErrorHandler.common_error_handler("create the backup plan")
@_RETRY_NEW_VAULT
def create_backup_plan(client, plan, tags):
    return client.create_backup_plan(BackupPlan=plan, BackupPlanTags=tags)


@BackupErrorHandler.common_error_handler("update the backup plan")
@_RETRY_NEW_VAULT
def update_backup_plan(client, plan_id, plan):
    return client.update_backup_plan(BackupPlanId=plan_id, BackupPlan=plan)


@BackupErrorHandler.common_error_handler("list the backup selections")
def list_backup_selections(client, plan_id):
    paginator = client.get_paginator("list_backup_selections")
    return paginator.paginate(BackupPlanId=plan_id).build_full_result().get("BackupSelectionsList", [])


@BackupErrorHandler.list_error_handler("read the backup selection")
def get_backup_selection(client, plan_id, selection_id):
    """The selection's BackupSelection, or None."""
    return client.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)["BackupSelection"]


@BackupErrorHandler.common_error_handler("create the backup selection")
@_RETRY_NEW_ROLE
def create_backup_selection(client, plan_id, selection):
    return client.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection)


@BackupErrorHandler.common_error_handler("delete the backup selection")
def delete_backup_selection(client, plan_id, selection_id):
    client.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)


@BackupErrorHandler.common_error_handler("list the tags of the backup resource")
def list_tags(client, arn):
    """The resource's tags as a dict; boto3 has no paginator for ListTags, so NextToken is followed here."""
    tags, request = {}, {"ResourceArn": arn}
    while True:
        answer = client.list_tags(**request)
        tags.update(answer.get("Tags") or {})
        if not answer.get("NextToken"):
            return tags
        request["NextToken"] = answer["NextToken"]


@BackupErrorHandler.common_error_handler("tag the backup resource")
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tags)


@BackupErrorHandler.common_error_handler("untag the backup resource")
def untag_resource(client, arn, tag_keys):
    client.untag_resource(ResourceArn=arn, TagKeyList=list(tag_keys))
