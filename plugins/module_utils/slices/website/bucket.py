# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's private bucket: public access blocked, owner-enforced, versioned, encrypted with the
creator's KMS key, readable by the site's distribution only.

Private to the website module. Each setting is read, compared with the one wanted and put only
when it differs; the bucket policy comes last, once the distribution's ARN is known.
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import s3
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import PRIVATE_SETTINGS
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import VERSIONING
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import VERSIONING_SETTING
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import bucket_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import (
    deny_insecure_transport_statement,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import desired_encryption
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import (
    desired_private_settings,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import ensure_private_bucket
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import kms_key_arn_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import read_private_bucket

# The website module and its tests take these from here.
__all__ = ["desired_encryption", "kms_key_arn_error"]

# The site is generated: an old version of a page is worth keeping for a rollback, not for ever.
NONCURRENT_PAGE_DAYS = 30
LIFECYCLE_RULES = [
    {
        "ID": "expire-old-page-versions",
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_PAGE_DAYS},
        "Expiration": {"ExpiredObjectDeleteMarker": True},
    }
]
LIFECYCLE_SETTING = (
    "lifecycle",
    f"expire old versions of pages in bucket {{bucket}} after {NONCURRENT_PAGE_DAYS} days",
    s3.put_lifecycle_rules,
    s3.get_lifecycle_rules,
)
# The private bucket's settings, versioning (an overwritten page can be restored) and the expiry of old versions.
# The website module owns both for the site bucket; the backup module only checks that versioning is on.
SETTINGS = PRIVATE_SETTINGS + (VERSIONING_SETTING, LIFECYCLE_SETTING)


def origin_domain(bucket, region):
    """The bucket's regional domain, CloudFront's origin for it."""
    return f"{bucket}.s3.{region}.amazonaws.com"


def desired_settings(kms_key_arn):
    """Every bucket setting the site needs but the policy, by state key."""
    return dict(desired_private_settings(kms_key_arn), versioning=VERSIONING, lifecycle=LIFECYCLE_RULES)


def desired_bucket_policy(bucket, distribution_arn):
    """Reads by this distribution only (through its Origin Access Control), and nothing over plain HTTP."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowTheSiteDistributionToRead",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"{bucket_arn(bucket)}/*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
            },
            deny_insecure_transport_statement(bucket),
        ],
    }


def read_bucket(client, bucket):
    """The bucket's settings, policy (a dict) and tags; None when the account has no such bucket."""
    current = read_private_bucket(client, bucket, SETTINGS)
    if current is not None:
        policy = s3.get_bucket_policy(client, bucket)
        current["policy"] = json.loads(policy) if policy else None
    return current


def ensure_bucket(client, changes, current, request):
    """Create the bucket when missing and put every setting that differs; returns the bucket after.

    `request` holds bucket, region, kms_key_arn, tags and purge_tags.
    """
    return ensure_private_bucket(client, changes, current, request, SETTINGS, desired_settings(request["kms_key_arn"]))


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
