#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: auth
short_description: Ensure a creator's Cognito user pool, website app client, groups and first admins
version_added: 0.1.0
description:
  - Converges the sign-in of a creator's fans inside the creator's own AWS account, by assuming the creator role there.
  - A Cognito user pool named C(creatorcloud-<creator>-users), found again by its name (and, when several share it,
    by the tag C(creatorcloud:creator)). Fans sign in with their e-mail address, which Cognito verifies; passwords
    have at least 12 characters with upper- and lower-case letters, digits and symbols; accounts are recovered by
    e-mail only; TOTP (an authenticator app) is offered as a second factor when O(mfa=optional); deletion
    protection is on. The module never deletes the pool.
  - An app client C(creatorcloud-<creator>-website) for the website, without a secret, with the SRP and refresh
    token flows, the authorisation code flow for C(https://<domain>/), C(https://<domain>/account.html) and the
    same on C(www) (sign-out returns to C(/) of either), token lifetimes from O(token_lifetimes), and user existence
    errors prevented.
  - The groups C(admin) (precedence 0), C(moderator) (5), C(door) (7, who check tickets in), C(premium) (10) and
    C(member) (20). Other groups are left alone.
  - Each of O(admins) that is not a user yet is invited by e-mail (Cognito sends a temporary password; none is
    ever passed) and added to C(admin). A user that exists is never invited again.
  - With O(post_confirmation_lambda_arn) the function runs after a fan confirms the sign-up.
  - Each setting is compared with what AWS returns and written only when it differs; a second run makes no write
    call. As UpdateUserPool and UpdateUserPoolClient reset what they are not sent, a difference sends the whole
    desired configuration.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names the pool and the app client.
    type: str
    required: true
  domain:
    description:
      - The creator's apex domain, like C(creator1.example); the app client redirects to it and its C(www) only.
    type: str
    required: true
  token_lifetimes:
    description:
      - How long the website's tokens are valid.
    type: dict
    default: {}
    suboptions:
      access_minutes:
        description: Access token lifetime in minutes (AWS allows 5 to 1440).
        type: int
        default: 60
      id_minutes:
        description: ID token lifetime in minutes (AWS allows 5 to 1440).
        type: int
        default: 60
      refresh_days:
        description: Refresh token lifetime in days (AWS allows 1 to 3650).
        type: int
        default: 30
  mfa:
    description:
      - C(optional) lets each user add an authenticator app (TOTP) as a second factor; C(off) offers none.
      - Quote C("off") in YAML, where a bare C(off) is a boolean.
    type: str
    choices: ["off", optional]
    default: optional
  admins:
    description:
      - E-mail addresses of the operators to invite as the pool's first admins (group C(admin)).
    type: list
    elements: str
    default: []
  post_confirmation_lambda_arn:
    description:
      - ARN of the Lambda function that the pool runs after a fan confirms the sign-up (it creates the fan's row).
      - Unset, and without O(post_confirmation_function), the pool has no post-confirmation trigger.
    type: str
  post_confirmation_function:
    description:
      - Name of that function in the creator's account and the module's region, instead of its ARN. The function
        need not exist yet (the api slice, which runs after this one, creates it); Cognito calls it only when a fan
        confirms.
    type: str
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
  - In check mode, the ids that AWS assigns on creation (pool, client) are returned as null.
  - The region (O(region)) is where the pool is.
"""

EXAMPLES = r"""
- name: Ensure creator1's user pool
  creatorcloud.platform.auth:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    admins:
      - ops@agency.example
    region: eu-central-1
  register: auth_result

- name: Plan shorter access tokens
  creatorcloud.platform.auth:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    token_lifetimes:
      access_minutes: 15
  check_mode: true
  diff: true
"""

RETURN = r"""
auth:
  description: The sign-in after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    user_pool_id:
      description: The user pool's id; null when check mode would create it.
      type: str
      sample: eu-central-1_AbCdEfGhI
    user_pool_arn:
      description: The user pool's ARN.
      type: str
    client_id:
      description: The website app client's id (public, as it has no secret).
      type: str
    issuer:
      description: The issuer of the pool's tokens, for JWT authorizers.
      type: str
      sample: https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbCdEfGhI
    jwks_url:
      description: Where the pool publishes the keys its tokens are signed with.
      type: str
    groups:
      description: The groups the module manages.
      type: list
      elements: str
      sample: [admin, door, member, moderator, premium]
    admins_invited:
      description: The admins this run invited (or would invite, in check mode).
      type: list
      elements: str
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample: ["create user pool creatorcloud-creator1-users", "create app client creatorcloud-creator1-website"]
"""

import re

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import domain_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import email_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import tags_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import DEFAULT_LIFETIMES
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import token_lifetimes_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.converge import Auth
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.converge import describe
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.converge import summary


def function_arn(region, account_id, name):
    """The ARN of a Lambda function of the creator's account in the region."""
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"


def function_name_error(field, value):
    """A Lambda function name: 1 to 64 letters, digits, hyphens and underscores."""
    if value is not None and not re.match(r"^[A-Za-z0-9_-]{1,64}$", value):
        return f"{field} {value!r} is not a Lambda function name (1 to 64 letters, digits, - and _)"
    return None


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        domain_error("domain", params["domain"]),
        tags_error("tags", params["tags"]),
        *(email_error(f"admins[{index}]", email) for index, email in enumerate(params["admins"])),
        *token_lifetimes_errors("token_lifetimes", params["token_lifetimes"]),
        function_name_error("post_confirmation_function", params["post_confirmation_function"]),
    ]
    if not params["region"]:
        checks.append("region is missing: set the region of the user pool")
    return [error for error in checks if error]


def main():
    lifetimes = {key: dict(type="int", default=value) for key, value in DEFAULT_LIFETIMES.items()}
    argument_spec = dict(
        creator_session_argument_spec(),
        domain=dict(type="str", required=True),
        token_lifetimes=dict(type="dict", default={}, options=lifetimes, no_log=False),  # lifetimes, not tokens
        mfa=dict(type="str", default="optional", choices=["off", "optional"]),
        admins=dict(type="list", elements="str", default=[]),
        post_confirmation_lambda_arn=dict(type="str"),
        post_confirmation_function=dict(type="str"),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("post_confirmation_lambda_arn", "post_confirmation_function")],
    )
    params = dict(module.params, region=module.region, **tag_parameters(module.params))
    if params["post_confirmation_function"]:
        params["post_confirmation_lambda_arn"] = function_arn(
            params["region"], params["account_id"], params["post_confirmation_function"]
        )

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    subject = f"creator {params['creator']}"
    # Inside run_converge: a role that cannot be assumed fails naming the creator, as every other module does.
    auth = module.run_converge(
        subject, lambda: Auth(CreatorSession.from_params(module).client("cognito-idp"), params, module.check_mode)
    )
    changed, before, after = module.run_converge(subject, auth.converge)
    summarised = summary(after, params["region"], auth.invited)
    module.exit_converged(auth.changes, changed, describe(before), describe(after), auth=summarised)


if __name__ == "__main__":
    main()
