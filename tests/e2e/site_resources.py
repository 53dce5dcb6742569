# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A creator's site bucket and distribution made with boto3, shaped like the website module's.

The gateway tests build their own distributions with this (tags, CallerReference, an S3
origin with Origin Access Control, root object, error pages, compression, a response
headers policy), so that each test can vary one setting. The browser tests use it only
while onboard.yml does not run the website role yet.
"""

import boto3
import local_group
from creatorcloud_gateway.collection import naming

REGION = "eu-central-1"
MANAGEMENT_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "StrictTransportSecurity": {
        "Override": True,
        "AccessControlMaxAgeSec": 63072000,
        "IncludeSubdomains": True,
        "Preload": True,
    },
    "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": CONTENT_SECURITY_POLICY},
    "ContentTypeOptions": {"Override": True},
    "FrameOptions": {"Override": True, "FrameOption": "DENY"},
    "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
}
# S3 behind OAC answers 403 for a missing key: both become the site's 404 page.
ERROR_PAGES = {
    "Quantity": 2,
    "Items": [
        {"ErrorCode": code, "ResponsePagePath": "/404.html", "ResponseCode": "404", "ErrorCachingMinTTL": 10}
        for code in (403, 404)
    ],
}


def creator_credentials(endpoint_url, account_id):
    """Credentials of the creator role in `account_id`, assumed with the management account's keys."""
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint_url, **MANAGEMENT_CREDENTIALS)
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="creatorcloud-tests"
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


class CreatorWebsite:
    """The site bucket and distribution of one creator's account."""

    def __init__(self, endpoint_url, creator, account_id):
        self.creator = creator
        self.account_id = account_id
        credentials = creator_credentials(endpoint_url, account_id)
        self.s3 = boto3.client("s3", region_name=REGION, endpoint_url=endpoint_url, **credentials)
        self.cloudfront = boto3.client("cloudfront", region_name="us-east-1", endpoint_url=endpoint_url, **credentials)
        self.bucket = naming.site_bucket_name(creator, account_id)

    def upload(self, files):
        """Make the site bucket (once) and put `files` ({key: (body, content type, cache control)}) in it."""
        if self.bucket not in {b["Name"] for b in self.s3.list_buckets()["Buckets"]}:
            self.s3.create_bucket(Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        for key, (body, content_type, cache_control) in files.items():
            extra = {"CacheControl": cache_control} if cache_control else {}
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type, **extra)

    def headers_policy(self, **config):
        """A response headers policy in the creator's account; returns its id."""
        config = {"Name": f"{self.creator}-site", **config}
        policy = self.cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=config)
        return policy["ResponseHeadersPolicy"]["Id"]

    def distribution(self, bucket=None, tags=True, policy_id=None, **config):
        """A distribution of the site bucket (or `bucket`); returns its id."""
        behavior = {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_OPTIMIZED,
            "Compress": True,
            **({"ResponseHeadersPolicyId": policy_id} if policy_id else {}),
        }
        origin = {
            "Id": "site",
            "DomainName": f"{bucket or self.bucket}.s3.{REGION}.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
            "OriginAccessControlId": "E2OACTEST",
        }
        distribution_config = {
            "CallerReference": naming.distribution_caller_reference(self.creator, self.account_id),
            "Comment": f"website of {self.creator}",
            "Enabled": True,
            "DefaultRootObject": "index.html",
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": behavior,
            "CustomErrorResponses": ERROR_PAGES,
            **config,
        }
        tag_values = naming.resource_tags(self.creator, "website") if tags else {"purpose": "unrelated"}
        created = self.cloudfront.create_distribution_with_tags(
            DistributionConfigWithTags={
                "DistributionConfig": distribution_config,
                "Tags": {"Items": [{"Key": key, "Value": value} for key, value in tag_values.items()]},
            }
        )
        return created["Distribution"]["Id"]

    def update_distribution(self, distribution_id, change):
        """Apply `change(config)` to a distribution's config, as the website module would."""
        current = self.cloudfront.get_distribution_config(Id=distribution_id)
        config = current["DistributionConfig"]
        change(config)
        self.cloudfront.update_distribution(Id=distribution_id, IfMatch=current["ETag"], DistributionConfig=config)


def add_fan_to_group(endpoint_url, creator, email, group):
    """Put a fan (by e-mail, the pool's username) into a group of the creator's user pool, as `make group` does."""
    local_group.add_to_group(creator, email, group, endpoint_url)
