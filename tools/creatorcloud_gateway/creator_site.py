# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One creator's site in the emulated AWS: its distribution's config, and objects from its buckets.

The config is read again after `config_ttl` seconds, so a changed distribution or headers
policy shows within that time; objects are read from S3 on every request, as a CloudFront
cache that was just invalidated would, so a re-published site shows at once.
"""

import threading
import time
from dataclasses import dataclass
from dataclasses import field

import botocore.exceptions

from creatorcloud_gateway import distribution as distributions
from creatorcloud_gateway.creator_access import AWS_ERRORS
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_access import describe_aws_error

DEFAULT_CONFIG_TTL = 2.0
# The headers of an S3 object that CloudFront passes on to the viewer.
OBJECT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "content-disposition",
    "cache-control",
    "expires",
    "etag",
    "last-modified",
)
# What S3 answers CloudFront's Origin Access Control for a missing key: without s3:ListBucket,
# S3 does not tell a missing key from a forbidden one.
ACCESS_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'
)
MISSING_CODES = frozenset({"NoSuchKey", "NoSuchBucket", "AccessDenied", "403", "404"})


@dataclass(frozen=True)
class OriginResponse:
    """What the origin answered: status, headers (name → value) and body."""

    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""


def access_denied():
    """S3's 403 for a key CloudFront may not read or that does not exist."""
    return OriginResponse(403, {"Content-Type": "application/xml"}, ACCESS_DENIED)


class CreatorSite:
    """The creator's distribution (re-read after `config_ttl` seconds) and its S3 objects."""

    def __init__(self, access, config_ttl=DEFAULT_CONFIG_TTL, clock=time.monotonic):
        self.access = access
        self.config_ttl = config_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._distribution_id = None
        self._distribution = None
        self._read_at = None
        self._owned_buckets = set()

    def distribution(self):
        """The distribution's serving config, read at most once per `config_ttl` seconds."""
        with self._lock:
            if self._read_at is None or self._clock() - self._read_at >= self.config_ttl:
                try:
                    self._distribution = self._read_distribution()
                except SiteUnavailable:
                    # Look everything up again next time: the emulator may have been restarted,
                    # and the creator onboarded again into a new account.
                    self._distribution_id = None
                    self.access.forget_account()
                    raise
                self._read_at = self._clock()
            return self._distribution

    def fetch(self, origin, key):
        """GetObject from an S3 origin as CloudFront's OAC would: a missing key is S3's 403."""
        if not key:
            return access_denied()
        s3 = self.access.client("s3", origin.region)
        try:
            response = s3.get_object(Bucket=origin.bucket, Key=key, ExpectedBucketOwner=self.access.account_id)
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] in MISSING_CODES:
                return access_denied()
            raise SiteUnavailable(
                f"S3 failed to return {key} from bucket {origin.bucket} of creator {self.access.creator} "
                f"({describe_aws_error(e)})."
            ) from e
        except botocore.exceptions.BotoCoreError as e:
            raise SiteUnavailable(f"S3 at {self.access.endpoint_url} does not answer ({e}).") from e
        with response["Body"] as body:
            content = body.read()
        raw = response["ResponseMetadata"]["HTTPHeaders"]
        headers = {name: raw[name] for name in OBJECT_HEADERS if name in raw}
        headers.update({name: value for name, value in raw.items() if name.startswith("x-amz-meta-")})
        return OriginResponse(200, headers, content)

    def _read_distribution(self):
        creator, account_id = self.access.creator, self.access.account_id
        try:
            cloudfront = self.access.client("cloudfront")
            if self._distribution_id is None:
                self._distribution_id = distributions.find_distribution_id(cloudfront, creator, account_id)
            site = distributions.read_distribution(cloudfront, self._distribution_id)
            if site is None:  # deleted and made again: find the new one
                self._distribution_id = distributions.find_distribution_id(cloudfront, creator, account_id)
                site = distributions.read_distribution(cloudfront, self._distribution_id)
            self._check_buckets_owned(site)
        except AWS_ERRORS as e:
            raise SiteUnavailable(
                f"Cannot read the CloudFront distribution of creator {creator} ({describe_aws_error(e)})."
            ) from e
        return site

    def _check_buckets_owned(self, site):
        """Refuse a distribution whose origin bucket is not the creator's own.

        ExpectedBucketOwner on every GetObject says the same to real S3, but the emulator
        lets any account read any bucket, so the gateway checks with ListBuckets, which lists
        only the caller's own buckets.
        """
        buckets = {origin.bucket for origin in site.origins.values() if isinstance(origin, distributions.S3Origin)}
        if buckets <= self._owned_buckets:
            return
        self._owned_buckets = {bucket["Name"] for bucket in self.access.client("s3").list_buckets()["Buckets"]}
        foreign = sorted(buckets - self._owned_buckets)
        if foreign:
            raise SiteUnavailable(
                f"Distribution {site.distribution_id} of creator {self.access.creator} reads bucket(s) "
                f"{', '.join(foreign)}, which account {self.access.account_id} does not own: the gateway "
                "serves only the creator's own buckets."
            )
