#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: table_restore
short_description: Restore one of a creator's DynamoDB tables into a new table and switch the backend to it
version_added: 0.1.0
description:
  - Inside the creator's member account (by assuming O(role_name) there), restores the logical table O(table) into
    a new table C(creatorcloud-<creator>-<logical>-r<UTC yyyymmddThhmmss of the point restored to>), either to the
    point in time O(restore_time) (C(RestoreTableToPointInTime), inside the source's restorable window, checked
    before any write) or from the on-demand backup O(backup_arn) (C(RestoreTableFromBackup)).
  - Waits until the new table is C(ACTIVE), brings it to the tables slice's standard with the tables converge itself
    (encryption with O(kms_key_arn), point-in-time recovery, deletion protection, tags including
    C(creatorcloud:backup), the indexes of the spec), verifies it (item count by C(Scan) with C(Select=COUNT), and
    every key of O(verify_keys) present) and only then switches the backend to it by writing the SSM parameter
    C(/creatorcloud/<creator>/tables) (JSON, logical name to table name), which M(creatorcloud.platform.tables)
    reads. Run the tables and api roles afterwards so the functions' environment and policies name the new table.
  - The replaced table keeps the fans' data and is named in RV(restore.replaced_table); it is deleted only with
    O(delete_replaced_table) and its name in O(confirm_delete_table).
  - The new table is named after the point restored to, so a second run with the same arguments finds the active
    restored table and writes nothing.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name.
    type: str
    required: true
  table:
    description:
      - The logical name of the table to restore, like C(Users); one of O(tables).
    type: str
    required: true
  restore_time:
    description:
      - The UTC time to restore to, like C(2026-11-25T14:00:00Z). Exactly one of O(restore_time) and O(backup_arn).
    type: str
  backup_arn:
    description:
      - The ARN of an on-demand backup of the same logical table (module M(creatorcloud.platform.table_backup)).
    type: str
  verify_keys:
    description:
      - Keys (attribute name to string or number) of items that must be in the restored table before the switch.
    type: list
    elements: dict
    default: []
  tables:
    description:
      - The tables slice's spec, in the form of the O(creatorcloud.platform.tables#module:tables) option; the restored
        table is brought to the entry of O(table).
    type: list
    elements: dict
    required: true
  tier:
    description:
      - Size of the creator's platform; it sets the table's billing mode.
    type: str
    choices: [small, medium, large]
    default: small
  kms_key_arn:
    description:
      - ARN of the creator's customer managed KMS key, which encrypts the restored table.
    type: str
    required: true
  delete_replaced_table:
    description:
      - Delete the replaced table and its data after the switch. Needs O(confirm_delete_table).
    type: bool
    default: false
  confirm_delete_table:
    description:
      - The name of the replaced table, to confirm O(delete_replaced_table).
    type: str
  wait_timeout:
    description:
      - Seconds to wait for the restored table, or one of its changes, to become C(ACTIVE) before failing.
    type: int
    default: 1800
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
  - Bad input (an unknown table, both or neither of O(restore_time) and O(backup_arn), a malformed time or ARN, a
    time outside the restorable window, a backup of another table) fails before any write, naming field and value.
  - In check mode the module reads the source and its window and returns the plan without a write.
"""

EXAMPLES = r"""
- name: Restore creator1's Users table to 14:00 UTC and switch the backend to it
  creatorcloud.platform.table_restore:
    account_id: "123456789012"
    creator: creator1
    table: Users
    restore_time: "2026-11-25T14:00:00Z"
    verify_keys:
      - {userId: 5f0c1e2a-0000-4000-8000-000000000001}
    tables: "{{ tables_seed + tables_extra }}"
    kms_key_arn: "{{ account_kms_key_arn }}"
  register: restore_result

- name: Restore from a backup and delete the replaced table
  creatorcloud.platform.table_restore:
    account_id: "123456789012"
    creator: creator1
    table: Users
    backup_arn: >-
      arn:aws:dynamodb:eu-central-1:123456789012:table/creatorcloud-creator1-users/backup/01795619154912-3b4c5d6e
    tables: "{{ tables_seed + tables_extra }}"
    kms_key_arn: "{{ account_kms_key_arn }}"
    delete_replaced_table: true
    confirm_delete_table: creatorcloud-creator1-users
"""

RETURN = r"""
restore:
  description: The plan (in check mode) or what was done.
  returned: always
  type: dict
  contains:
    table:
      description: The logical table.
      type: str
      sample: Users
    source_table:
      description: The table restored from.
      type: str
      sample: creatorcloud-creator1-users
    method:
      description: C(point_in_time) or C(backup).
      type: str
    point_in_time:
      description: The UTC time restored to (the backup's creation time for a backup).
      type: str
      sample: "2026-11-25T14:00:00Z"
    new_table:
      description: The restored table.
      type: str
      sample: creatorcloud-creator1-users-r20261125T140000
    replaced_table:
      description: The table the backend used before the switch, which keeps its data unless deleted.
      type: str
      sample: creatorcloud-creator1-users
    switch:
      description: The SSM parameter and the table names it switches from and to.
      type: dict
    switched:
      description: Whether this run switched the backend.
      type: bool
      returned: success, not in check mode
    item_count:
      description: The items in the restored table, counted by Scan.
      type: int
      returned: success, not in check mode
    verified_keys:
      description: How many of O(verify_keys) were found.
      type: int
      returned: success, not in check mode
    table_spec:
      description: The restored table after it was brought to the standard, as the tables module returns a table.
      type: dict
      returned: success, not in check mode
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - restore table creatorcloud-creator1-users-r20261125T140000 from table creatorcloud-creator1-users as of
      2026-11-25T14:00:00Z
    - turn on point-in-time recovery of table creatorcloud-creator1-users-r20261125T140000
    - switch table Users of creator creator1 to creatorcloud-creator1-users-r20261125T140000
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

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
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.table_restore import TableRestore
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.table_restore import request_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import TABLE_OPTIONS
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import billing_of
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import table_spec_errors


def validated_tables(tables):
    """The tables spec validated, with defaults, as the tables module's option; (tables, errors)."""
    result = ArgumentSpecValidator(dict(tables=dict(type="list", elements="dict", options=TABLE_OPTIONS))).validate(
        dict(tables=tables)
    )
    errors = [f"tables: {message}" for message in result.error_messages]
    return result.validated_parameters.get("tables") or [], errors


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
    ]
    errors = [error for error in checks if error]
    errors += [error for spec in params["tables"] for error in table_spec_errors(spec)]
    return errors + request_errors(params, [spec["name"] for spec in params["tables"]])


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        table=dict(type="str", required=True),
        restore_time=dict(type="str"),
        backup_arn=dict(type="str"),
        verify_keys=dict(type="list", elements="dict", default=[], no_log=False),
        tables=dict(type="list", elements="dict", required=True),
        tier=dict(type="str", choices=["small", "medium", "large"], default="small"),
        kms_key_arn=dict(type="str", required=True, no_log=False),
        **tags_argument_spec(),
        delete_replaced_table=dict(type="bool", default=False),
        confirm_delete_table=dict(type="str"),
        wait_timeout=dict(type="int", default=1800),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    tables, errors = validated_tables(module.params["tables"])
    params = dict(module.params, tables=tables, **tag_parameters(module.params))
    module.fail_on_errors(f"creator {params['creator']}", errors + validation_errors(params))
    params["tables_options"] = dict(
        billing_of(dict(params, billing_mode=None, read_capacity=None, write_capacity=None)),
        tables=tables,
        kms_key_arn=params["kms_key_arn"],
        tags=params["tags"],
        purge_tags=True,
        wait_timeout=params["wait_timeout"],
    )

    def make_restore():
        session = CreatorSession.from_params(module)
        return TableRestore(session.client("dynamodb"), session.client("ssm"), params, module.check_mode)

    restore = module.run_converge(f"creator {params['creator']}", make_restore)
    report = module.run_converge(f"creator {params['creator']}", restore.run)
    before = {"tables": {params["table"]: report["switch"]["from"]}}
    after = {"tables": {params["table"]: report["switch"]["to"]}}
    module.exit_converged(restore.changes, bool(restore.changes.made), before, after, restore=report)


if __name__ == "__main__":
    main()
