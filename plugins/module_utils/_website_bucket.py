# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's private bucket: public access blocked, owner-enforced, versioned, encrypted with the
creator's KMS key, readable by the site's distribution only.

Private to the website module. Each setting is read, compared with the one wanted and put only
when it differs; the bucket policy comes last, once the distribution's ARN is known.
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.creatorcloud.platform.plugins.module_utils import s3
from ansible_collections.creatorcloud.platform.plugins.module_utils._creator_account import plan_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.converge import tags_after

PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
OWNERSHIP_CONTROLS = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
VERSIONING = {"Status": "Enabled"}
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):key/[A-Za-z0-9-]+$")
# (state key, the change log's words for putting it, the call that puts it)
SETTINGS = (
    ("public_access_block", "block all public access to bucket {bucket}", s3.put_public_access_block),
    ("ownership_controls", "enforce bucket-owner object ownership on bucket {bucket}", s3.put_ownership_controls),
    ("encryption", "encrypt bucket {bucket} with the creator's KMS key by default", s3.put_encryption),
    ("versioning", "turn on versioning of bucket {bucket}", s3.put_versioning),
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


def origin_domain(bucket, region):
    """The bucket's regional domain, CloudFront's origin for it."""
    return f"{bucket}.s3.{region}.amazonaws.com"


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


def desired_settings(kms_key_arn):
    """Every bucket setting the site needs but the policy, by state key."""
    return {
        "public_access_block": PUBLIC_ACCESS_BLOCK,
        "ownership_controls": OWNERSHIP_CONTROLS,
        "encryption": desired_encryption(kms_key_arn),
        "versioning": VERSIONING,
    }


def desired_bucket_policy(bucket, distribution_arn):
    """Reads by this distribution only (through its Origin Access Control), and nothing over plain HTTP."""
    arn = bucket_arn(bucket)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowTheSiteDistributionToRead",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"{arn}/*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }


def read_bucket(client, bucket):
    """The bucket's settings, policy (a dict) and tags; None when the account has no such bucket."""
    if not s3.bucket_exists(client, bucket):
        return None
    policy = s3.get_bucket_policy(client, bucket)
    return {
        "name": bucket,
        "public_access_block": s3.get_public_access_block(client, bucket),
        "ownership_controls": s3.get_ownership_controls(client, bucket),
        "encryption": s3.get_encryption(client, bucket),
        "versioning": s3.get_versioning(client, bucket),
        "policy": json.loads(policy) if policy else None,
        "tags": s3.get_bucket_tags(client, bucket),
    }


def ensure_bucket(client, changes, current, request):
    """Create the bucket when missing and put every setting that differs; returns the bucket after.

    `request` holds bucket, region, kms_key_arn, tags and purge_tags.
    """
    bucket = request["bucket"]
    if current is None:
        changes.make(
            f"create bucket {bucket} in {request['region']}", s3.create_bucket, client, bucket, request["region"]
        )
        current = {"name": bucket, "policy": None, "tags": {}}
    after = dict(current)
    desired = desired_settings(request["kms_key_arn"])
    for key, description, put in SETTINGS:
        if not matches(current.get(key), desired[key]):
            changes.make(description.format(bucket=bucket), put, client, bucket, desired[key])
            after[key] = desired[key]
    to_set, to_remove = plan_tags(current["tags"], request["tags"], request["purge_tags"])
    if to_set or to_remove:
        after["tags"] = tags_after(current["tags"], to_set, to_remove)
        user_tags = {key: value for key, value in after["tags"].items() if not key.startswith("aws:")}
        changes.make(f"tag bucket {bucket}", s3.put_bucket_tags, client, bucket, user_tags)
    return after


def ensure_bucket_policy(client, changes, bucket, current_policy, distribution_arn):
    """Put the policy that lets only this distribution read, unless it is there; returns the policy after."""
    desired = desired_bucket_policy(bucket, distribution_arn)
    if distribution_arn is None or current_policy is None or compare_policies(current_policy, desired):
        changes.make(
            f"put the policy of bucket {bucket}: read access for distribution {distribution_arn or '(new)'} only",
            s3.put_bucket_policy,
            client,
            bucket,
            json.dumps(desired, sort_keys=True),
        )
    return desired
