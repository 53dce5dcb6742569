#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: creator_key
short_description: Ensure a creator's customer managed KMS key, its alias, rotation and policy
version_added: 0.1.0
description:
  - Ensures, inside the creator's member account (by assuming O(role_name) there), one customer managed symmetric
    KMS key in the module's region, named by the alias C(alias/creatorcloud/<creator>). The key is found by that
    alias, so running the module again never creates a second key; a key that an interrupted run created without
    its alias is found by its tags and gets the alias.
  - Turns on yearly key rotation, tags the key C(creatorcloud:creator=<creator>) and
    C(creatorcloud:component=kms), and sets the key policy. The policy lets the account's IAM policies grant the
    key's use, and lets C(cloudfront.amazonaws.com) decrypt for the account's distributions
    (C(ArnLike AWS:SourceArn arn:aws:cloudfront::<account>:distribution/*)), so CloudFront can read the SSE-KMS
    site bucket.
  - Never schedules the key for deletion. A deletion that was scheduled by hand is cancelled and the key enabled
    again, because the creator's data cannot be read without it.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names the key's alias.
    type: str
    required: true
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
  - The key lives in the module's region (O(region)), which must be the region of the buckets it encrypts.
  - In check mode a new key is returned with null RV(key.key_id) and RV(key.key_arn), because KMS assigns them.
"""

EXAMPLES = r"""
- name: Ensure creator1's key
  creatorcloud.platform.creator_key:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
  register: creator_key_result

- name: Use it for the site bucket
  creatorcloud.platform.website:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    kms_key_arn: "{{ creator_key_result.key.key_arn }}"
"""

RETURN = r"""
key:
  description: The key after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    key_id:
      description: The key id; null for a key that check mode would create.
      type: str
      sample: 0f580c37-2bde-44cd-b781-5f16aa843aff
    key_arn:
      description: The key's ARN; null for a key that check mode would create.
      type: str
      sample: arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff
    alias:
      description: The key's alias.
      type: str
      sample: alias/creatorcloud/creator1
    state:
      description: The key state.
      type: str
      sample: Enabled
    description:
      description: The key's description.
      type: str
    rotation_enabled:
      description: Whether KMS rotates the key material yearly.
      type: bool
      sample: true
    policy:
      description: The key policy.
      type: dict
    tags:
      description: The key's tags.
      type: dict
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create KMS key for creator creator1
    - name key 0f580c37-2bde-44cd-b781-5f16aa843aff alias/creatorcloud/creator1
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
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.account.creator_key import CreatorKey


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
    ]
    return [error for error in checks if error]


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    subject = f"creator {params['creator']}"
    key = module.run_converge(
        subject, lambda: CreatorKey(CreatorSession.from_params(module).client("kms"), params, module.check_mode)
    )
    changed, before, after = module.run_converge(subject, key.converge)
    module.exit_converged(key.changes, changed, before, after, key=after)


if __name__ == "__main__":
    main()
