#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: tables
short_description: Ensure a creator's DynamoDB tables from a declarative spec
version_added: 0.1.0
description:
  - Ensures, inside the creator's member account (by assuming O(role_name) there) and in the module's region, one
    DynamoDB table per entry of O(tables). A table's name in AWS is C(creatorcloud-<creator>-<name in lower case>),
    for example C(creatorcloud-creator1-users) for the logical name C(Users); RV(names) maps each logical name to
    it, so the API's functions can find their tables.
  - After a restore (module M(creatorcloud.platform.table_restore)) switched a logical table to a restored table,
    the SSM parameter C(/creatorcloud/<creator>/tables) (JSON, logical name to table name) names it; the module
    reads that parameter and ensures, and names in RV(names), the switched table instead of the standard name.
  - Every table gets point-in-time recovery, deletion protection, encryption at rest with O(kms_key_arn), the
    billing mode of O(billing_mode), the tags C(creatorcloud:creator=<creator>), C(creatorcloud:component=tables)
    and, for tables with O(tables[].backup), C(creatorcloud:backup=true), which the backup plan selects.
  - A global secondary index that the spec adds to an existing table is created with one C(UpdateTable) per index
    (AWS creates one index per call), waiting until each is C(ACTIVE). Keys and existing indexes cannot change in
    place; a spec that changes them fails before anything is written.
  - Data is removed only on explicit request. A table of the account that the spec does not declare is left alone
    and returned in RV(unmanaged). A table is deleted only when O(absent_tables) names it and O(delete_data) is
    true; its deletion protection is turned off only then. An index that the spec no longer declares is removed
    only with O(delete_data), otherwise it is returned in the C(unmanaged_indexes) of its table in RV(tables).
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It prefixes the tables' names.
    type: str
    required: true
  tables:
    description:
      - The tables to ensure.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The logical name, like C(Users). Letters and digits, starting with a letter.
        type: str
        required: true
      partition_key:
        description:
          - The partition (hash) key.
        type: dict
        required: true
        suboptions: &key
          name:
            description: The attribute's name.
            type: str
            required: true
          type:
            description: The attribute's type (string, number, binary).
            type: str
            choices: [S, N, B]
            default: S
      sort_key:
        description:
          - The sort (range) key, if the table has one.
        type: dict
        suboptions: *key
      global_secondary_indexes:
        description:
          - The table's global secondary indexes.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: The index's name, like C(email-index).
            type: str
            required: true
          partition_key:
            description: The index's partition key.
            type: dict
            required: true
            suboptions: *key
          sort_key:
            description: The index's sort key, if any.
            type: dict
            suboptions: *key
          projection:
            description: Which attributes the index copies.
            type: str
            choices: [ALL, KEYS_ONLY, INCLUDE]
            default: ALL
          non_key_attributes:
            description: The attributes an C(INCLUDE) index copies besides the keys.
            type: list
            elements: str
            default: []
      ttl_attribute:
        description:
          - The attribute holding each item's expiry time (epoch seconds). Without it, time to live is off.
        type: str
      stream:
        description:
          - The view type of the table's stream; without it the table has no stream.
        type: str
        choices: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]
      backup:
        description:
          - Tag the table C(creatorcloud:backup=true), so the creator's backup plan copies it.
        type: bool
        default: false
  tier:
    description:
      - Size of the creator's platform. Without O(billing_mode), the tier's C(dynamodb_billing_mode) (and, for
        C(PROVISIONED), its C(dynamodb_read_capacity) and C(dynamodb_write_capacity)) decide the billing.
    type: str
    choices: [small, medium, large]
    default: small
  billing_mode:
    description:
      - C(PAY_PER_REQUEST) (on demand) or C(PROVISIONED); overrides the tier's.
    type: str
    choices: [PAY_PER_REQUEST, PROVISIONED]
  read_capacity:
    description:
      - Read capacity units of each table and index, with C(PROVISIONED) billing; overrides the tier's.
    type: int
  write_capacity:
    description:
      - Write capacity units of each table and index, with C(PROVISIONED) billing; overrides the tier's.
    type: int
  kms_key_arn:
    description:
      - ARN of the creator's customer managed KMS key (module creator_key), which encrypts every table.
    type: str
    required: true
  absent_tables:
    description:
      - Logical names of tables to delete, with their data. Needs O(delete_data).
    type: list
    elements: str
    default: []
  delete_data:
    description:
      - Confirms that the tables of O(absent_tables), and indexes that the spec no longer declares, are deleted.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait for a new table, or an index change, to become C(ACTIVE) before failing.
    type: int
    default: 600
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
  - A key or an index that AWS cannot change in place, and a switch of time to live to another attribute (AWS allows
    one change per hour), fail the run before any write, with what to do.
  - In check mode a new table is returned with a null C(arn) in RV(tables).
"""

EXAMPLES = r"""
- name: Ensure creator1's tables
  creatorcloud.platform.tables:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    kms_key_arn: "{{ account_kms_key_arn }}"
    tables:
      - name: Users
        partition_key: {name: userId}
        global_secondary_indexes:
          - {name: email-index, partition_key: {name: email}}
        backup: true
      - name: Messages
        partition_key: {name: streamId}
        sort_key: {name: timestamp, type: S}
        ttl_attribute: expiresAt
  register: tables_result

- name: Remove the Events table and its data
  creatorcloud.platform.tables:
    account_id: "123456789012"
    creator: creator1
    kms_key_arn: "{{ account_kms_key_arn }}"
    absent_tables: [Events]
    delete_data: true
"""

RETURN = r"""
tables:
  description: Each declared table after the run (predicted in check mode), by logical name.
  returned: always
  type: dict
  sample:
    Users:
      name: creatorcloud-creator1-users
      arn: arn:aws:dynamodb:eu-central-1:123456789012:table/creatorcloud-creator1-users
      status: ACTIVE
      billing_mode: PAY_PER_REQUEST
      indexes: [email-index, username-index]
      stream_arn: null
      kms_key_arn: arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff
      deletion_protection: true
      point_in_time_recovery: true
      ttl_attribute: null
      tags: {"creatorcloud:creator": creator1, "creatorcloud:component": tables, "creatorcloud:backup": "true"}
      unmanaged_indexes: []
names:
  description: The physical name of each declared table, by logical name (the restored table after a restore switch).
  returned: always
  type: dict
  sample: {Users: creatorcloud-creator1-users}
unmanaged:
  description: Tables of the account (in the region) that the spec neither declares nor removes; left alone.
  returned: always
  type: list
  elements: str
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create table creatorcloud-creator1-users
    - turn on point-in-time recovery of table creatorcloud-creator1-users
"""

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
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import TABLE_OPTIONS
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import Tables
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import billing_of
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import read_active_tables
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.tables.tables import spec_errors


def billing_error(params):
    """PROVISIONED billing needs both capacities."""
    if params["billing_mode"] == "PROVISIONED" and not (params["read_capacity"] and params["write_capacity"]):
        return "billing_mode PROVISIONED needs read_capacity and write_capacity (from the parameters or the tier)"
    return None


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
        billing_error(params),
    ]
    errors = [error for error in checks if error]
    return errors + spec_errors(params["tables"], params["absent_tables"], params["delete_data"])


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        tables=dict(type="list", elements="dict", default=[], options=TABLE_OPTIONS),
        tier=dict(type="str", choices=["small", "medium", "large"], default="small"),
        billing_mode=dict(type="str", choices=["PAY_PER_REQUEST", "PROVISIONED"]),
        read_capacity=dict(type="int"),
        write_capacity=dict(type="int"),
        kms_key_arn=dict(type="str", required=True, no_log=False),
        absent_tables=dict(type="list", elements="str", default=[]),
        delete_data=dict(type="bool", default=False),
        **tags_argument_spec(),
        wait_timeout=dict(type="int", default=600),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, **tag_parameters(module.params), **billing_of(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    def make_tables():
        session = CreatorSession.from_params(module)
        active = read_active_tables(session.client("ssm"), params["creator"])
        tagging = session.client("resourcegroupstaggingapi")
        return Tables(session.client("dynamodb"), params, module.check_mode, active=active, tagging=tagging)

    tables = module.run_converge(f"creator {params['creator']}", make_tables)
    changed, before, after, unmanaged = module.run_converge(f"creator {params['creator']}", tables.converge)
    names = {spec["name"]: tables.name_of(spec["name"]) for spec in params["tables"]}
    module.exit_converged(tables.changes, changed, before, after, tables=after, names=names, unmanaged=unmanaged)


if __name__ == "__main__":
    main()
