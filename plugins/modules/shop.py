#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: shop
short_description: Ensure a creator's Stripe keys in the creator's Secrets Manager, for shop, membership and donations
version_added: 0.1.0
description:
  - Ensures, inside the creator's member account (by assuming O(role_name) there) and in the module's region, the
    Secrets Manager secret C(creatorcloud/<creator>/stripe), encrypted with O(kms_key_arn) and tagged
    C(creatorcloud:creator=<creator>) and C(creatorcloud:component=shop), holding the keys of the creator's own
    Stripe account as a JSON object with the members C(secret_key) and C(webhook_secret). The functions C(shop),
    C(membership), C(donations) and C(stripe-webhook) read it.
  - The stored value is read and compared with O(stripe_secret_key) and O(stripe_webhook_secret); only a different
    value writes a new version. Rotating the keys is running the module again with the new ones.
  - "The keys are never returned, shown in a diff or a change, or logged; the diff says only
    C((secret: unchanged)) or C((secret: changed)). A malformed key fails before any call, with a message that
    names the option but never repeats its value."
  - Also validates the monetisation settings the functions get (O(membership_tiers), O(currency),
    O(donation_min), O(donation_max), O(shipping_countries)) before any call.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names the secret.
    type: str
    required: true
  kms_key_arn:
    description:
      - ARN of the creator's customer managed KMS key (module creator_key), in the module's region. It encrypts the
        secret.
    type: str
    required: true
  stripe_secret_key:
    description:
      - The secret key (C(sk_test_...), C(sk_live_...)) or restricted key (C(rk_...)) of the creator's Stripe
        account. Keep it in vault-encrypted host_vars (C(creator_stripe_secret_key)).
    type: str
    required: true
  stripe_webhook_secret:
    description:
      - The signing secret (C(whsec_...)) of the creator's Stripe webhook endpoint
        C(https://<domain>/api/stripe/webhook). Keep it in vault-encrypted host_vars (C(creator_stripe_webhook_secret)).
    type: str
    required: true
  membership_tiers:
    description:
      - The membership tiers the C(membership) function sells; prices in cents of O(currency).
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: The tier's id, lower-case letters, digits and hyphens, like C(fan).
        type: str
        required: true
      name:
        description: The tier's name as fans see it.
        type: str
        required: true
      monthly:
        description: The monthly price in cents.
        type: int
        required: true
      yearly:
        description: The yearly price in cents.
        type: int
        required: true
  currency:
    description:
      - The currency of every price, as a lower-case ISO 4217 code.
    type: str
    default: eur
  shipping_countries:
    description:
      - The countries the shop ships to, as ISO 3166-1 codes like C(DE); Checkout asks for an address in one of them.
      - Empty for a shop of digital goods (no address is asked for).
    type: list
    elements: str
    default: []
  donation_min:
    description:
      - The smallest donation in cents.
    type: int
    default: 100
  donation_max:
    description:
      - The largest donation in cents.
    type: int
    default: 100000
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
  - In check mode a new secret is returned with a null ARN.
  - The secret's policy is left alone; each function's role may read this secret only (module api).
"""

EXAMPLES = r"""
- name: Ensure creator1's Stripe keys
  creatorcloud.platform.shop:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    kms_key_arn: "{{ account_kms_key_arn }}"
    stripe_secret_key: "{{ creator_stripe_secret_key }}"
    stripe_webhook_secret: "{{ creator_stripe_webhook_secret }}"
    membership_tiers:
      - {id: fan, name: Fan, monthly: 500, yearly: 5000}
    currency: eur
  register: shop_result
"""

RETURN = r"""
shop:
  description: The secret after the run (its ARN predicted as null in check mode for a new secret). Never a key.
  returned: always
  type: dict
  contains:
    secret_arn:
      description: The ARN of the secret holding the Stripe keys.
      type: str
      sample: arn:aws:secretsmanager:eu-central-1:123456789012:secret:creatorcloud/creator1/stripe-AbCdEf
    secret_name:
      description: The name of that secret.
      type: str
      sample: creatorcloud/creator1/stripe
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - store the Stripe keys in secret creatorcloud/creator1/stripe
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import currency_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import donation_limits_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import membership_tiers_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import shipping_countries_error
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
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.shop.converge import StripeKeys
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.shop.converge import secret_key_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.shop.converge import webhook_secret_error

TIER_OPTIONS = dict(
    id=dict(type="str", required=True),
    name=dict(type="str", required=True),
    monthly=dict(type="int", required=True),
    yearly=dict(type="int", required=True),
)


def validation_errors(params):
    """Every malformed parameter, named; the Stripe keys are named but their values never repeated."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
        secret_key_error("stripe_secret_key", params["stripe_secret_key"]),
        webhook_secret_error("stripe_webhook_secret", params["stripe_webhook_secret"]),
        membership_tiers_error("membership_tiers", params["membership_tiers"]),
        currency_error("currency", params["currency"]),
        shipping_countries_error("shipping_countries", params["shipping_countries"]),
        donation_limits_error(("donation_min", "donation_max"), params["donation_min"], params["donation_max"]),
    ]
    if not params["region"]:
        checks.append("region is missing: set the region of the secret and the KMS key")
    elif not checks[1]:
        checks.append(kms_key_arn_error("kms_key_arn", params["kms_key_arn"], params["region"], params["account_id"]))
    return [error for error in checks if error]


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        kms_key_arn=dict(type="str", required=True, no_log=False),  # an ARN, not key material
        stripe_secret_key=dict(type="str", required=True, no_log=True),
        stripe_webhook_secret=dict(type="str", required=True, no_log=True),
        membership_tiers=dict(type="list", elements="dict", default=[], options=TIER_OPTIONS),
        currency=dict(type="str", default="eur"),
        shipping_countries=dict(type="list", elements="str", default=[]),
        donation_min=dict(type="int", default=100),
        donation_max=dict(type="int", default=100000),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, region=module.region, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    def make_keys():
        """The converger, with the secrets client inside the creator's account."""
        return StripeKeys(CreatorSession.from_params(module).client("secretsmanager"), params, module.check_mode)

    keys = module.run_converge(f"creator {params['creator']}", make_keys)
    changed, before, after = module.run_converge(f"creator {params['creator']}", keys.converge)
    summary = {"secret_arn": after["arn"], "secret_name": after["name"]}
    module.exit_converged(keys.changes, changed, before, after, shop=summary)


if __name__ == "__main__":
    main()
