# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role AWS Backup assumes to back up and restore a creator's resources.

Private to the backup module. The role creatorcloud-<creator>-backup lives under /creatorcloud/, is
assumable by backup.amazonaws.com only, and holds AWS's managed policies for backups and restores
(DynamoDB and S3). Managed policies that someone else attached are left alone.
"""

import functools

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import iam
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import ROLE_PATH
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import role_arn

BACKUP_PRINCIPAL = "backup.amazonaws.com"
# AWS's own policies for AWS Backup: DynamoDB and the other services, and S3, which has its own pair.
MANAGED_POLICIES = tuple(
    f"arn:aws:iam::aws:policy/{path}{name}"
    for path, name in (
        ("service-role/", "AWSBackupServiceRolePolicyForBackup"),
        ("service-role/", "AWSBackupServiceRolePolicyForRestores"),
        ("", "AWSBackupServiceRolePolicyForS3Backup"),
        ("", "AWSBackupServiceRolePolicyForS3Restore"),
    )
)


def backup_role_name(creator):
    """The role's name: creatorcloud-<creator>-backup."""
    return resource_name(creator, "backup")


def backup_trust_policy(account_id):
    """AWS Backup may assume the role, and only for the creator's own account (no confused deputy)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AwsBackupAssumesRole",
                "Effect": "Allow",
                "Principal": {"Service": BACKUP_PRINCIPAL},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ],
    }


def read_backup_role(client, name):
    """The role as {"name", "arn", "trust_policy", "policies", "tags"}, or None."""
    role = iam.get_role(client, name)
    if role is None:
        return None
    return {
        "name": name,
        "arn": role["Arn"],
        "trust_policy": role.get("AssumeRolePolicyDocument"),
        "policies": iam.list_attached_policies(client, name),
        "tags": boto3_tag_list_to_ansible_dict(role.get("Tags", [])),
    }


def ensure_backup_role(client, changes, current, account_id, name, tags, purge_tags=True):
    """Create the role or put back its trust policy, managed policies and tags; returns it after."""
    trust = backup_trust_policy(account_id)
    if current is None:
        created = changes.make(f"create IAM role {name}", iam.create_role, client, name, ROLE_PATH, trust, tags)
        current = {
            "name": name,
            "arn": created["Arn"] if created else role_arn(account_id, name),
            "trust_policy": trust,
            "policies": [],
            "tags": dict(tags),
        }
    after = dict(current)
    if compare_policies(current["trust_policy"], trust):
        changes.make(f"update the trust policy of IAM role {name}", iam.update_assume_role_policy, client, name, trust)
        after["trust_policy"] = trust
    for policy in MANAGED_POLICIES:
        if policy not in current["policies"]:
            short_name = policy.rsplit("/", 1)[-1]
            changes.make(f"attach {short_name} to IAM role {name}", iam.attach_policy, client, name, policy)
    after["policies"] = sorted({*current["policies"], *MANAGED_POLICIES})
    after["tags"] = ensure_tags(
        changes,
        f"IAM role {name}",
        current["tags"],
        tags,
        purge_tags,
        functools.partial(iam.tag_role, client, name),
        functools.partial(iam.untag_role, client, name),
    )
    return after
