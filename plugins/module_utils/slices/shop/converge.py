# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's Stripe keys: the Secrets Manager secret `creatorcloud/<creator>/stripe`.

Private to the shop module. The secret holds JSON {"secret_key", "webhook_secret"} of the creator's
own Stripe account, encrypted with the creator's KMS key. The run reads the secret's value only to
compare it with the keys it was given, so a second run writes nothing and a run with new keys
writes exactly one new version (rotation). The keys are never part of the state, the diff, the
changes or an error: the state says only whether the value is, or would be, unchanged.
"""

import json
import re

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import secretsmanager
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import plan_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_after
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.stream_key import ensure_secret_settings

COMPONENT = "shop"
# Stripe's secret keys (standard and restricted, test or live mode) and webhook signing secrets.
SECRET_KEY_PATTERN = re.compile(r"^(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}$")
WEBHOOK_SECRET_PATTERN = re.compile(r"^whsec_[A-Za-z0-9+/=]{8,250}$")
# What a Stripe publishable key starts with: named in the message, as it is the usual mix-up.
PUBLISHABLE_PREFIX = "pk_"
UNCHANGED = "(secret: unchanged)"
CHANGED = "(secret: changed)"


def stripe_secret_name(creator):
    """The name of the secret holding the creator's Stripe keys."""
    return f"creatorcloud/{creator}/stripe"


def secret_key_error(field, value):
    """A Stripe secret or restricted key; the message never repeats the value, which is a credential."""
    if not value:
        return f"{field} is missing: set the creator's Stripe secret key (vault-encrypted host_vars)"
    if not isinstance(value, str) or not SECRET_KEY_PATTERN.match(value):
        publishable = isinstance(value, str) and value.startswith(PUBLISHABLE_PREFIX)
        hint = " (it is a publishable key pk_..., which cannot create payments)" if publishable else ""
        return (
            f"{field} is not a Stripe secret key{hint}: use the key starting with sk_test_, sk_live_ or rk_ from the "
            "creator's Stripe dashboard (Developers > API keys)"
        )
    return None


def webhook_secret_error(field, value):
    """A Stripe webhook signing secret; the message never repeats the value."""
    if not value:
        return f"{field} is missing: set the signing secret of the creator's Stripe webhook endpoint"
    if not isinstance(value, str) or not WEBHOOK_SECRET_PATTERN.match(value):
        return (
            f"{field} is not a Stripe webhook signing secret: use the value starting with whsec_ of the creator's "
            "webhook endpoint (Developers > Webhooks)"
        )
    return None


def secret_content(secret_key, webhook_secret):
    """The secret's value as the functions read it."""
    return json.dumps({"secret_key": secret_key, "webhook_secret": webhook_secret}, sort_keys=True)


def read_secret(client, name, content):
    """The secret's ARN, KMS key, tags and whether it holds `content`; None when it is missing.

    `content` (the desired value) is compared here so that the stored value never leaves this function.
    """
    secret = secretsmanager.describe_secret(client, name)
    if secret is None:
        return None
    deleted = bool(secret.get("DeletedDate"))
    # A secret scheduled for deletion refuses GetSecretValue: the run fails on it before comparing anyway.
    stored = None if deleted else secretsmanager.get_secret_string(client, secret["ARN"])
    return {
        "arn": secret["ARN"],
        "name": name,
        "kms_key_id": secret.get("KmsKeyId"),
        "deleted": deleted,
        "tags": secret["Tags"],
        "holds_content": stored is not None and matching_content(stored, content),
    }


def matching_content(stored, content):
    """True when the stored JSON has the same keys as `content` (member order and spacing do not count)."""
    try:
        return json.loads(stored) == json.loads(content)
    except ValueError:
        return False


def describe(secret, value_state=UNCHANGED):
    """What the diff and the result show of the secret: never its value, only whether it changes."""
    if secret is None:
        return {}
    return {
        "arn": secret["arn"],
        "name": secret["name"],
        "kms_key_id": secret["kms_key_id"],
        "tags": secret["tags"],
        "value": value_state,
    }


class StripeKeys:
    """Plans and applies the secret of one creator's Stripe keys; `changes` records every write."""

    def __init__(self, client, desired, check_mode):
        self.client = client
        self.desired = desired
        self.changes = Changes(check_mode)
        self.name = stripe_secret_name(desired["creator"])
        self.tags = resource_tags(desired["creator"], COMPONENT, desired["tags"])
        self.content = secret_content(desired["stripe_secret_key"], desired["stripe_webhook_secret"])

    def converge(self):
        """Read, plan and apply; returns (changed, state before, state after)."""
        with self.changes.reporting_failures():
            current = read_secret(self.client, self.name, self.content)
            after = self.apply(current)
        return bool(self.changes.made), describe(current), after

    def apply(self, current):
        """Create the secret, or write a new version when the keys differ, then its KMS key and tags."""
        kms_key_arn = self.desired["kms_key_arn"]
        if current is None:
            arn = self.changes.make(
                f"store the Stripe keys in secret {self.name}",
                secretsmanager.create_secret,
                self.client,
                self.name,
                kms_key_arn,
                self.content,
                self.tags,
            )
            created = {"arn": arn, "name": self.name, "kms_key_id": kms_key_arn, "tags": self.tags}
            return describe(created, CHANGED)
        if current["deleted"]:
            self.changes.fail(
                f"the secret {self.name} is scheduled for deletion: restore it (aws secretsmanager restore-secret "
                f"--secret-id {self.name}) and run again"
            )
        value_state = UNCHANGED
        if not current["holds_content"]:
            value_state = CHANGED
            self.changes.make(
                f"store new Stripe keys in secret {self.name}",
                secretsmanager.put_secret_string,
                self.client,
                current["arn"],
                self.content,
            )
        request = {"kms_key_arn": kms_key_arn, "tags": self.tags, "purge_tags": self.desired["purge_tags"]}
        ensure_secret_settings(self.client, self.changes, current, request)
        return describe(dict(current, kms_key_id=kms_key_arn, tags=self.after_tags(current)), value_state)

    def after_tags(self, current):
        """The tags once the run is done, as ensure_tags plans them."""
        return tags_after(current["tags"], *plan_tags(current["tags"], self.tags, self.desired["purge_tags"]))
