#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: backup
short_description: Ensure a creator's AWS Backup vault, plan and selection, the export bucket, and PITR and versioning
version_added: 0.1.0
description:
  - Converges the backups of a creator inside the creator's own AWS account, by assuming the creator role there, in
    the module's region.
  - An IAM role C(creatorcloud-<creator>-backup) under the path C(/creatorcloud/), assumable by AWS Backup for the
    creator's account only, with the AWS managed policies C(AWSBackupServiceRolePolicyForBackup),
    C(AWSBackupServiceRolePolicyForRestores), C(AWSBackupServiceRolePolicyForS3Backup) and
    C(AWSBackupServiceRolePolicyForS3Restore) attached.
  - An AWS Backup vault C(creatorcloud-<creator>) encrypted with O(kms_key_arn). AWS cannot change a vault's key, and
    the module never deletes a vault, since it holds the backups; a vault encrypted with another key fails the run
    before any write.
  - A backup plan C(creatorcloud-<creator>) with a rule C(daily) (03:00 UTC, kept O(daily_retention_days) days) and a
    rule C(weekly) (Sundays 04:00 UTC, kept O(weekly_retention_days) days), both into the vault.
  - A backup selection C(creatorcloud-<creator>-tagged) of every resource of the account tagged
    C(creatorcloud:backup=true) (the tables module tags the tables whose spec sets C(backup)), backed up through the
    role. AWS cannot update a selection, so one that differs is replaced.
  - A private bucket C(creatorcloud-<creator>-backups-<account>) for table exports, encrypted with O(kms_key_arn),
    versioned, reachable over TLS only, tagged C(creatorcloud:backup=false) (it is the backup), whose exports (and
    their old versions) expire after O(export_retention_days) days.
  - Verifies that every DynamoDB table of the creator (O(table_names), or every table tagged
    C(creatorcloud:creator=<creator>)) has point-in-time recovery on, and every bucket of the creator
    (O(bucket_names), or every bucket tagged as the creator's) has versioning on; turns on what is off and reports it
    in RV(backup.fixed). In check mode it reports what it would turn on.
  - Who owns what, so that no two modules fight. The backup module only ever turns protection on. The site bucket's
    versioning and lifecycle (old versions expire after 30 days) belong to the website module. The recordings
    bucket's lifecycle (recordings expire, and their old versions a day later) belongs to the ivs module; its
    versioning is turned on by this module. The export bucket belongs to this module. Tables' PITR is set by the
    tables module and checked here.
  - Each resource is found again by its name, compared with what AWS returns and written only when it differs; a
    second run makes no write call.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names every resource of the backups.
    type: str
    required: true
  kms_key_arn:
    description:
      - ARN of the creator's KMS key, in the module's region and the creator's account. It encrypts the vault and the
        export bucket.
    type: str
    required: true
  daily_retention_days:
    description:
      - Days each daily backup is kept (1 to 36500).
    type: int
    default: 35
  weekly_retention_days:
    description:
      - Days each weekly backup is kept; longer than O(daily_retention_days) (at most 36500).
    type: int
    default: 365
  export_retention_days:
    description:
      - Days a table export (and an overwritten or deleted one) stays in the export bucket (1 to 36500).
    type: int
    default: 90
  table_names:
    description:
      - The names in AWS of the creator's tables to verify (the tables role's C(tables_names) values). Names of tables
        that do not exist (yet) are skipped.
      - When omitted, every table of the account tagged C(creatorcloud:creator=<creator>) is verified.
    type: list
    elements: str
  bucket_names:
    description:
      - The names of the creator's buckets whose versioning to verify. Names of buckets that do not exist (yet) are
        skipped; the export bucket is the module's own and always set.
      - When omitted, every bucket of the account tagged C(creatorcloud:creator=<creator>) is verified.
    type: list
    elements: str
extends_documentation_fragment:
  - creatorcloud.platform.tags
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - creatorcloud.platform.creator_session
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Bad retentions and a malformed key ARN fail the run before any call, naming the option and its value.
  - In check mode the ids that AWS assigns on creation (plan, selection) are returned as null.
"""

EXAMPLES = r"""
- name: Ensure creator1's backups
  creatorcloud.platform.backup:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    kms_key_arn: arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff
    weekly_retention_days: 730
  register: backup_result

- name: Show which tables and buckets lack PITR or versioning, without turning them on
  creatorcloud.platform.backup:
    account_id: "123456789012"
    creator: creator1
    kms_key_arn: arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff
  check_mode: true
  diff: true
"""

RETURN = r"""
backup:
  description: The backups after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    vault_name:
      description: The vault's name.
      type: str
      sample: creatorcloud-creator1
    vault_arn:
      description: The vault's ARN.
      type: str
      sample: arn:aws:backup:eu-central-1:123456789012:backup-vault:creatorcloud-creator1
    kms_key_arn:
      description: The key that encrypts the vault.
      type: str
      sample: arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff
    plan_id:
      description: The plan's id; null when check mode would create it.
      type: str
      sample: 8f2b4c0e-5a1d-4c4e-9a53-1c2d3e4f5a6b
    plan_arn:
      description: The plan's ARN; null when check mode would create it.
      type: str
      sample: arn:aws:backup:eu-central-1:123456789012:backup-plan:8f2b4c0e-5a1d-4c4e-9a53-1c2d3e4f5a6b
    plan_name:
      description: The plan's name.
      type: str
      sample: creatorcloud-creator1
    rules:
      description: The plan's rules by name, with their schedule, retention in days and vault.
      type: dict
      sample: {daily: {schedule: "cron(0 3 * * ? *)", delete_after_days: 35, vault: creatorcloud-creator1}}
    selection_id:
      description: The selection's id; null when check mode would create it.
      type: str
      sample: 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9
    selection_name:
      description: The selection's name.
      type: str
      sample: creatorcloud-creator1-tagged
    role_arn:
      description: The role AWS Backup assumes.
      type: str
      sample: arn:aws:iam::123456789012:role/creatorcloud/creatorcloud-creator1-backup
    bucket:
      description: The bucket for table exports.
      type: str
      sample: creatorcloud-creator1-backups-123456789012
    export_retention_days:
      description: Days an export stays in the bucket.
      type: int
      sample: 90
    tables:
      description: The tables whose point-in-time recovery was verified.
      type: list
      elements: str
      sample: [creatorcloud-creator1-users]
    buckets:
      description: The buckets (but the export bucket) whose versioning was verified.
      type: list
      elements: str
      sample: [creatorcloud-creator1-site-123456789012]
    fixed:
      description: What was off and the run turned on (in check mode, would turn on).
      type: list
      elements: str
      sample: [point-in-time recovery of table creatorcloud-creator1-users]
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create IAM role creatorcloud-creator1-backup
    - create backup vault creatorcloud-creator1 encrypted with arn:aws:kms:eu-central-1:123456789012:key/0f58
"""

from types import SimpleNamespace

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import tags_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import kms_key_arn_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.converge import Backup
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.converge import describe
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.converge import retention_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.backup.converge import summary


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    region = params["region"]
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
        None if region else "region is missing: set the region of the vault and the export bucket",
        region and kms_key_arn_error("kms_key_arn", params["kms_key_arn"], region, params["account_id"]),
    ]
    retentions = retention_errors(
        params["daily_retention_days"], params["weekly_retention_days"], params["export_retention_days"]
    )
    return [error for error in checks if error] + retentions


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        kms_key_arn=dict(type="str", required=True, no_log=False),  # an ARN, not key material
        daily_retention_days=dict(type="int", default=35),
        weekly_retention_days=dict(type="int", default=365),
        export_retention_days=dict(type="int", default=90),
        table_names=dict(type="list", elements="str"),
        bucket_names=dict(type="list", elements="str"),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, region=module.region, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    def make_backup():
        session = CreatorSession.from_params(module)
        clients = SimpleNamespace(
            backup=session.client("backup"),
            iam=session.global_client("iam"),
            s3=session.client("s3"),
            dynamodb=session.client("dynamodb"),
        )
        return Backup(clients, params, module.check_mode)

    backup = module.run_converge(f"creator {params['creator']}", make_backup)
    changed, before, after, fixed = module.run_converge(f"creator {params['creator']}", backup.converge)
    summarised = summary(after, params, fixed)
    module.exit_converged(backup.changes, changed, describe(before), describe(after), backup=summarised)


if __name__ == "__main__":
    main()
