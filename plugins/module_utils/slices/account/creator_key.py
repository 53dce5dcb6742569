# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's KMS key: one customer managed symmetric key per account, found by its alias.

Private to the creator_key module. The key rotates yearly, carries the creator's tags, and its
policy lets the account administer it and CloudFront decrypt for this account's distributions
(the site bucket is SSE-KMS). It is never scheduled for deletion: a deletion that someone
scheduled is cancelled. A key that an interrupted run created without its alias is found by its
tags and gets the alias, instead of a second key being made.
"""

import functools
import json

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import kms
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import COMPONENT_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import kms_alias
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags

COMPONENT = "kms"
USABLE_STATES = ("Enabled", "Disabled", "PendingDeletion")


def key_description(creator):
    """The description that tells the key's purpose in the KMS console."""
    return f"CreatorCloud key of creator {creator}"


def desired_key_policy(account_id):
    """The account administers the key (IAM grants its use); CloudFront and CloudWatch use it for the account."""
    return {
        "Version": "2012-10-17",
        "Id": "creatorcloud-creator-key",
        "Statement": [
            {
                "Sid": "AccountAdministersTheKey",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CloudFrontDecryptsForTheAccountsDistributions",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {"ArnLike": {"AWS:SourceArn": f"arn:aws:cloudfront::{account_id}:distribution/*"}},
            },
            {
                # Alarms publish to the creator's alert topic, which this key encrypts (role monitoring).
                "Sid": "CloudWatchPublishesToTheAccountsEncryptedTopics",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            },
        ],
    }


def read_key(client, key_id):
    """The key (by id, ARN or alias) as {id, arn, state, description, rotation_enabled, policy, tags}, or None."""
    metadata = kms.describe_key(client, key_id)
    if metadata is None:
        return None
    key_id = metadata["KeyId"]
    return {
        "id": key_id,
        "arn": metadata["Arn"],
        "state": metadata["KeyState"],
        "description": metadata.get("Description", ""),
        "rotation_enabled": kms.rotation_enabled(client, key_id),
        "policy": json.loads(kms.get_key_policy(client, key_id)),
        "tags": kms.list_tags(client, key_id),
    }


def find_key_without_alias(client, creator):
    """The id of a customer managed key tagged for this creator that lost (or never got) its alias, or None."""
    for key in kms.list_keys(client):
        metadata = kms.describe_key(client, key["KeyId"])
        if not metadata or metadata.get("KeyManager") != "CUSTOMER" or metadata["KeyState"] not in USABLE_STATES:
            continue
        tags = kms.list_tags(client, key["KeyId"])
        if tags.get(CREATOR_TAG) == creator and tags.get(COMPONENT_TAG) == COMPONENT:
            return key["KeyId"]
    return None


def describe_key(key, alias):
    """The key as the module returns it (snake_case keys); {} for no key."""
    if key is None:
        return {}
    return {
        "key_id": key["id"],
        "key_arn": key["arn"],
        "alias": alias,
        "state": key["state"],
        "description": key["description"],
        "rotation_enabled": key["rotation_enabled"],
        "policy": key["policy"],
        "tags": key["tags"],
    }


class CreatorKey:
    """The converge of one creator's key. `desired` holds the module's parameters."""

    def __init__(self, client, desired, check_mode):
        self.client = client
        self.desired = desired
        self.changes = Changes(check_mode)
        self.alias = kms_alias(desired["creator"])

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after)."""
        with self.changes.reporting_failures():
            current = read_key(self.client, self.alias)
            after = self._apply(current)
        return bool(self.changes.made), describe_key(current, self.alias), describe_key(after, self.alias)

    def _apply(self, current):
        """Find, create or name the key, then converge its settings; returns the key after."""
        creator = self.desired["creator"]
        tags = resource_tags(creator, COMPONENT, extra=self.desired["tags"])
        policy = desired_key_policy(self.desired["account_id"])
        if current is None:
            orphan = find_key_without_alias(self.client, creator)
            key = read_key(self.client, orphan) if orphan else self._create(creator, policy, tags)
            description = f"name key {key['id'] or '(new)'} {self.alias}"
            self.changes.make(description, kms.create_alias, self.client, self.alias, key["id"])
        else:
            key = current
        return self._converge_settings(dict(key), policy, tags)

    def _create(self, creator, policy, tags):
        """Create the key with its policy and tags (predicted in check mode); returns it as read_key does."""
        metadata = self.changes.make(
            f"create KMS key for creator {creator}",
            kms.create_key,
            self.client,
            key_description(creator),
            json.dumps(policy),
            tags,
        ) or {"KeyId": None, "Arn": None, "KeyState": "Enabled"}
        return {
            "id": metadata["KeyId"],
            "arn": metadata["Arn"],
            "state": metadata["KeyState"],
            "description": key_description(creator),
            "rotation_enabled": False,
            "policy": policy,
            "tags": tags,
        }

    def _converge_settings(self, key, policy, tags):
        """Enable, describe, rotate, policy and tags of an existing (or just created) key; returns it after."""
        client, make, key_id = self.client, self.changes.make, key["id"]
        if key["state"] == "PendingDeletion":
            make(f"cancel the scheduled deletion of key {key_id}", kms.cancel_deletion, client, key_id)
            key["state"] = "Disabled"  # a cancelled deletion leaves the key disabled
        if key["state"] == "Disabled":
            make(f"enable key {key_id}", kms.enable_key, client, key_id)
            key["state"] = "Enabled"
        description = key_description(self.desired["creator"])
        if key["description"] != description:
            make(f"describe key {key_id} as {description!r}", kms.update_description, client, key_id, description)
            key["description"] = description
        if not key["rotation_enabled"]:
            make(f"turn on yearly rotation of key {key_id or '(new)'}", kms.enable_rotation, client, key_id)
            key["rotation_enabled"] = True
        if compare_policies(key["policy"], policy):
            make(f"put the policy of key {key_id}", kms.put_key_policy, client, key_id, json.dumps(policy))
            key["policy"] = policy
        key["tags"] = ensure_tags(
            self.changes,
            f"key {key_id}",
            key["tags"],
            tags,
            self.desired["purge_tags"],
            functools.partial(kms.tag_key, client, key_id),
            functools.partial(kms.untag_key, client, key_id),
        )
        return key
