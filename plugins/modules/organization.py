#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: organization
short_description: Ensure the agency's AWS Organization and its creator OUs
version_added: 0.1.0
description:
  - Ensures that the account whose credentials are used is the management account of an AWS Organization
    with all features enabled, creating the organization when the account is in none.
  - Ensures the organizational unit paths in O(ou_paths) (for example C(creators/eu)), creating the missing OUs
    from the top down. Never deletes an OU or the organization.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  ou_paths:
    description:
      - OU paths below the root, names separated by C(/).
    type: list
    elements: str
    default: [creators]
extends_documentation_fragment:
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the organization and the creators' OUs
  creatorcloud.platform.organization:
    ou_paths:
      - creators
      - creators/eu
      - creators/us
"""

RETURN = r"""
organization:
  description: The organization after the run; ids are null for what check mode would create.
  returned: always
  type: dict
  contains:
    id:
      description: The organization id.
      type: str
    management_account_id:
      description: The management account's id.
      type: str
    feature_set:
      description: C(ALL) or C(CONSOLIDATED_BILLING).
      type: str
    root_id:
      description: The id of the root.
      type: str
    ou_ids:
      description: The id of each OU path.
      type: dict
      sample: {"creators": "ou-abcd-12345678", "creators/eu": "ou-abcd-87654321"}
changes:
  description: What the run changed (or would change in check mode).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import ou_path_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.organization.organization import (
    ensure_organization,
)


def main():
    argument_spec = dict(ou_paths=dict(type="list", elements="str", default=["creators"]))
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    errors = [ou_path_error("ou_paths", path) for path in module.params["ou_paths"]]
    errors = [error for error in errors if error]
    if errors:
        module.fail_json(msg="; ".join(errors), errors=errors)

    client = module.client("organizations", region="us-east-1")
    changes = Changes(module.check_mode)

    def converge():
        with changes.reporting_failures():
            return ensure_organization(client, module.params["ou_paths"], changes)

    before, after = module.run_converge("organization", converge)
    module.exit_converged(changes, bool(changes.made), before, after, organization=after)


if __name__ == "__main__":
    main()
