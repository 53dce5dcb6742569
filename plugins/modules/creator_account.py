#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: creator_account
short_description: Ensure a creator's AWS member account exists, in its OU, tagged
version_added: 0.1.0
description:
  - Ensures that the AWS Organizations member account of one creator exists. The account is found by its
    e-mail address, so running the module again never creates a second account.
  - A missing account is created with C(CreateAccount); the module waits (bounded by O(wait_timeout)) until
    AWS reports it created. An account creation left in progress by an interrupted run is waited for, not repeated.
  - Moves the account into its OU path (creating missing OUs, nested paths like C(creators/eu) included) and
    tags it with C(creatorcloud:creator=<creator>) and the creator's tags.
  - Never closes or removes an account.
  - Runs with the credentials of the organization's management account.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. 3 to 32 lower-case letters, digits and hyphens.
    type: str
    required: true
  email:
    description:
      - The e-mail address of the account's root user. It identifies the account and must be unique in AWS.
    type: str
    required: true
  account_name:
    description:
      - The account name shown in AWS Organizations. Defaults to O(creator).
      - AWS Organizations cannot rename an account; a different name of an existing account is reported as a warning.
    type: str
  ou_path:
    description:
      - Path of the organizational unit below the root, names separated by C(/).
    type: str
    default: creators
  wait_timeout:
    description:
      - How many seconds to wait for AWS to finish creating a new account.
    type: int
    default: 900
extends_documentation_fragment:
  - creatorcloud.platform.tags
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - In check mode a new account is reported with no RV(account.account_id), because AWS assigns it on creation.
"""

EXAMPLES = r"""
- name: Ensure creator1's account
  creatorcloud.platform.creator_account:
    creator: creator1
    email: aws+creator1@agency.example
    account_name: Creator One
    ou_path: creators/eu
    tags:
      tier: small

- name: Plan only
  creatorcloud.platform.creator_account:
    creator: creator2
    email: aws+creator2@agency.example
  check_mode: true
  diff: true
"""

RETURN = r"""
account:
  description: The account after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    account_id:
      description: The 12-digit account id; null for an account that check mode would create.
      type: str
      sample: "123456789012"
    arn:
      description: The account's ARN.
      type: str
    name:
      description: The account name.
      type: str
    email:
      description: The root user's e-mail address.
      type: str
    status:
      description: The account status in the organization.
      type: str
      sample: ACTIVE
    ou_path:
      description: The OU path the account is in.
      type: str
      sample: creators/eu
    ou_id:
      description: The id of that OU; null when check mode would create it.
      type: str
    role_arn:
      description: The ARN of the role to assume in the account.
      type: str
      sample: arn:aws:iam::123456789012:role/OrganizationAccountAccessRole
    tags:
      description: The account's tags.
      type: dict
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample: ["create organizational unit creators/eu", "create account Creator One <aws+creator1@agency.example>"]
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import account_name_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import email_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import ou_path_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import tags_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import DEFAULT_ROLE_NAME
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.account.creator_account import CreatorAccount


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        email_error("email", params["email"]),
        account_name_error("account_name", params["account_name"]),
        ou_path_error("ou_path", params["ou_path"]),
        tags_error("tags", params["tags"]),
    ]
    if params["wait_timeout"] < 0:
        checks.append(f"wait_timeout {params['wait_timeout']!r} must not be negative")
    return [error for error in checks if error]


def main():
    argument_spec = dict(
        creator=dict(type="str", required=True),
        email=dict(type="str", required=True),
        account_name=dict(type="str"),
        ou_path=dict(type="str", default="creators"),
        **tags_argument_spec(),
        wait_timeout=dict(type="int", default=900),
        role_name=dict(type="str", default=DEFAULT_ROLE_NAME),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, **tag_parameters(module.params))
    params["account_name"] = params["account_name"] or params["creator"]

    errors = validation_errors(params)
    if errors:
        module.fail_json(msg=f"creator {params['creator']}: " + "; ".join(errors), errors=errors)

    client = module.client("organizations", region="us-east-1")
    converge = CreatorAccount(client, params, module.check_mode)
    changed, before, after = module.run_converge(f"creator {params['creator']}", converge.converge)
    for warning in converge.warnings:
        module.warn(warning)
    module.exit_converged(converge.changes, changed, before, after, account=after)


if __name__ == "__main__":
    main()
