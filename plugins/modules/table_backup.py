#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: table_backup
short_description: Take an on-demand backup of each of a creator's DynamoDB tables and export them to S3
version_added: 0.1.0
description:
  - Inside the creator's member account (by assuming O(role_name) there), takes an on-demand backup (C(CreateBackup))
    of every table of O(tables), named C(creatorcloud-<creator>-<logical>-<UTC yyyymmddThhmmssZ>), and exports every
    table (C(ExportTableToPointInTime), DynamoDB JSON) to the backup bucket O(bucket) under
    C(exports/<logical>/<timestamp>/), encrypted with the creator's key O(kms_key_arn) (SSE-KMS).
  - Waits, at most O(wait_timeout) seconds, until every backup is C(AVAILABLE) and every export C(COMPLETED), and
    returns their ARNs, sizes and item counts.
  - Every run that is not in check mode takes new backups (a backup is a point in time), so the module always reports
    changed. A missing table or bucket fails the run before any backup is taken.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name.
    type: str
    required: true
  tables:
    description:
      - The tables to back up, logical name to the table's name in AWS (the tables role's C(tables_names)).
    type: dict
    required: true
  bucket:
    description:
      - The backup bucket the exports go to; by default C(creatorcloud-<creator>-backups-<account id>), which the
        backup role creates.
    type: str
  export:
    description:
      - Export the tables to O(bucket) besides taking the backups.
    type: bool
    default: true
  kms_key_arn:
    description:
      - ARN of the creator's customer managed KMS key, which encrypts the exports.
    type: str
    required: true
  wait_timeout:
    description:
      - Seconds to wait for the backups and exports to finish before failing (they go on in AWS).
    type: int
    default: 1800
extends_documentation_fragment:
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - creatorcloud.platform.creator_session
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - In check mode the module reads the tables and the bucket and returns the planned backup names and export prefixes.
"""

EXAMPLES = r"""
- name: Back up and export creator1's tables
  creatorcloud.platform.table_backup:
    account_id: "123456789012"
    creator: creator1
    tables: "{{ tables_names }}"
    kms_key_arn: "{{ account_kms_key_arn }}"
  register: table_backup_result
"""

RETURN = r"""
backups:
  description: Per logical table, its backup and export (planned in check mode).
  returned: always
  type: dict
  sample:
    Users:
      table: creatorcloud-creator1-users
      table_arn: arn:aws:dynamodb:eu-central-1:123456789012:table/creatorcloud-creator1-users
      item_count: 42
      backup:
        arn: arn:aws:dynamodb:eu-central-1:123456789012:table/creatorcloud-creator1-users/backup/01795619154912-3b4c5d6e
        name: creatorcloud-creator1-users-20261125T140000Z
        status: AVAILABLE
        size_bytes: 8230
      export:
        arn: arn:aws:dynamodb:eu-central-1:123456789012:table/creatorcloud-creator1-users/export/01795619154912-3b4c5d6e
        status: COMPLETED
        bucket: creatorcloud-creator1-backups-123456789012
        prefix: exports/Users/20261125T140000Z
        item_count: 42
        billed_size_bytes: 8230
        failure: null
bucket:
  description: The backup bucket the exports went to.
  returned: always
  type: str
changes:
  description: What the run did (or would do in check mode), in order.
  returned: always
  type: list
  elements: str
"""

import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import backup_bucket_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.table_backup import TableBackups


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [slug_error("creator", params["creator"]), account_id_error("account_id", params["account_id"])]
    errors = [error for error in checks if error]
    if not params["tables"]:
        errors.append("tables is empty: run the tables role first, which sets tables_names")
    return errors


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        tables=dict(type="dict", required=True),
        bucket=dict(type="str"),
        export=dict(type="bool", default=True),
        kms_key_arn=dict(type="str", required=True, no_log=False),
        wait_timeout=dict(type="int", default=1800),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params)
    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))
    params["bucket"] = params["bucket"] or backup_bucket_name(params["creator"], params["account_id"])

    def make_backups():
        session = CreatorSession.from_params(module)
        return TableBackups(session.client("dynamodb"), session.client("s3"), params, module.check_mode)

    backups = module.run_converge(f"creator {params['creator']}", make_backups)
    report = module.run_converge(f"creator {params['creator']}", lambda: backups.run(time.gmtime()))
    # A backup adds to what exists and replaces nothing: the diff shows the backups made (or planned).
    made = {name: item["backup"]["name"] for name, item in report.items()}
    changed = bool(backups.changes.made)
    module.exit_converged(backups.changes, changed, {}, made, backups=report, bucket=params["bucket"])


if __name__ == "__main__":
    main()
