# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A creator's private bucket: public access blocked, owner-enforced, encrypted with the creator's KMS key.

Shared by the slices that keep a bucket (the site, the stream recordings, the table exports). Each setting is read,
compared with the one wanted and put only when it differs; tags are put as a whole set.
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import s3
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import plan_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_after

PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
OWNERSHIP_CONTROLS = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):key/[A-Za-z0-9-]+$")
# (state key, the change log's words for putting it, the call that puts it, the call that reads it)
VERSIONING = {"Status": "Enabled"}
VERSIONING_SETTING = ("versioning", "turn on versioning of bucket {bucket}", s3.put_versioning, s3.get_versioning)
PRIVATE_SETTINGS = (
    (
        "public_access_block",
        "block all public access to bucket {bucket}",
        s3.put_public_access_block,
        s3.get_public_access_block,
    ),
    (
        "ownership_controls",
        "enforce bucket-owner object ownership on bucket {bucket}",
        s3.put_ownership_controls,
        s3.get_ownership_controls,
    ),
    (
        "encryption",
        "encrypt bucket {bucket} with the creator's KMS key by default",
        s3.put_encryption,
        s3.get_encryption,
    ),
)


def kms_key_arn_error(field, value, region, account_id):
    """The bucket's key: a KMS key ARN (not an alias) in the bucket's region and the creator's account."""
    match = KMS_KEY_ARN.match(value or "")
    if not match:
        return f"{field} {value!r} is not a KMS key ARN like arn:aws:kms:<region>:<account>:key/<key id>"
    if match.group(1) != region:
        return f"{field} {value!r} is in region {match.group(1)}, but S3 needs a key in the bucket's region {region}"
    if match.group(2) != account_id:
        return f"{field} {value!r} is a key of account {match.group(2)}, not of the creator's account {account_id}"
    return None


def bucket_arn(bucket):
    """The bucket's ARN, for its policy."""
    return f"arn:aws:s3:::{bucket}"


def desired_encryption(kms_key_arn):
    """SSE-KMS with the creator's key; the bucket key saves a KMS call per object."""
    return {
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key_arn},
                "BucketKeyEnabled": True,
            }
        ]
    }


def desired_private_settings(kms_key_arn):
    """The settings every private bucket has, by state key."""
    return {
        "public_access_block": PUBLIC_ACCESS_BLOCK,
        "ownership_controls": OWNERSHIP_CONTROLS,
        "encryption": desired_encryption(kms_key_arn),
    }


def deny_insecure_transport_statement(bucket):
    """The policy statement that refuses every request over plain HTTP."""
    arn = bucket_arn(bucket)
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def read_private_bucket(client, bucket, settings=PRIVATE_SETTINGS):
    """The bucket's `settings` and tags; None when the account has no such bucket."""
    if not s3.bucket_exists(client, bucket):
        return None
    current = {"name": bucket, "tags": s3.get_bucket_tags(client, bucket)}
    for key, _description, _put, get in settings:
        current[key] = get(client, bucket)
    return current


def ensure_private_bucket(client, changes, current, request, settings=PRIVATE_SETTINGS, desired=None):
    """Create the bucket when missing and put every setting of `settings` that differs from `desired`.

    `request` holds bucket, region, kms_key_arn, tags and purge_tags; `desired` defaults to the private settings.
    Returns the bucket after (predicted in check mode).
    """
    bucket = request["bucket"]
    desired = desired or desired_private_settings(request["kms_key_arn"])
    if current is None:
        changes.make(
            f"create bucket {bucket} in {request['region']}", s3.create_bucket, client, bucket, request["region"]
        )
        current = {"name": bucket, "policy": None, "tags": {}}
    after = dict(current)
    for key, description, put, _get in settings:
        if not matches(current.get(key), desired[key]):
            changes.make(description.format(bucket=bucket), put, client, bucket, desired[key])
            after[key] = desired[key]
    to_set, to_remove = plan_tags(current["tags"], request["tags"], request["purge_tags"])
    if to_set or to_remove:
        after["tags"] = tags_after(current["tags"], to_set, to_remove)
        user_tags = {key: value for key, value in after["tags"].items() if not key.startswith("aws:")}
        changes.make(f"tag bucket {bucket}", s3.put_bucket_tags, client, bucket, user_tags)
    return after


# Buckets that keep versions and expire objects: the recordings (ivs), the table exports (backup).


def desired_expiry_rules(rule_id, days, noncurrent_days):
    """One rule over the whole bucket: objects expire after `days`, their old versions `noncurrent_days` later."""
    return [
        {
            "ID": rule_id,
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "Expiration": {"Days": days},
            "NoncurrentVersionExpiration": {"NoncurrentDays": noncurrent_days},
        }
    ]


def expiry_days(rules, rule_id, noncurrent_days):
    """The expiry days of rule `rule_id` when it is on, covers the whole bucket and expires old versions, else None."""
    for rule in rules or []:
        whole_bucket = not (rule.get("Filter") or {}).get("Prefix") and not rule.get("Prefix")
        old_versions = (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays") == noncurrent_days
        if rule.get("ID") == rule_id and rule.get("Status") == "Enabled" and whole_bucket and old_versions:
            return (rule.get("Expiration") or {}).get("Days")
    return None


def tls_only_policy(bucket):
    """Nothing over plain HTTP; services that write (IVS, AWS Backup) use roles that need no statement."""
    return {"Version": "2012-10-17", "Statement": [deny_insecure_transport_statement(bucket)]}


def read_expiring_bucket(client, bucket, rule_id, noncurrent_days, settings=PRIVATE_SETTINGS):
    """The bucket's `settings`, policy, retention days (of rule `rule_id`) and tags; None when it is missing."""
    current = read_private_bucket(client, bucket, settings)
    if current is not None:
        policy = s3.get_bucket_policy(client, bucket)
        current["policy"] = json.loads(policy) if policy else None
        current["retention_days"] = expiry_days(s3.get_lifecycle_rules(client, bucket), rule_id, noncurrent_days)
    return current


def ensure_expiring_bucket(client, changes, current, request, rules, settings=PRIVATE_SETTINGS, desired=None):
    """The private bucket with `settings`, a TLS-only policy and the expiry `rules`; returns the bucket after.

    `request` holds bucket, region, kms_key_arn, tags, purge_tags, retention_days and what (the objects' name).
    """
    bucket, days = request["bucket"], request["retention_days"]
    after = ensure_private_bucket(client, changes, current, request, settings, desired)
    policy = tls_only_policy(bucket)
    if after.get("policy") is None or compare_policies(after["policy"], policy):
        description = f"put the policy of bucket {bucket}: deny requests over plain HTTP"
        changes.make(description, s3.put_bucket_policy, client, bucket, json.dumps(policy, sort_keys=True))
    if after.get("retention_days") != days:
        description = f"expire {request['what']} in bucket {bucket} after {days} days"
        changes.make(description, s3.put_lifecycle_rules, client, bucket, rules)
    return dict(after, policy=policy, retention_days=days)
