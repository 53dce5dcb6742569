# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's CloudFront distribution: found by its tags or CallerReference, read into what serving needs.

Everything the gateway does comes from the distribution's config and its response headers
policies, so the site behaves locally as the website module configured it, with no
behaviour of its own.
"""

import re
from dataclasses import dataclass
from dataclasses import field

import botocore.exceptions

from creatorcloud_gateway.collection import naming
from creatorcloud_gateway.creator_access import AWS_ERRORS
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_access import describe_aws_error
from creatorcloud_gateway.response_headers import ResponseHeadersPolicy

WEBSITE_COMPONENT = "website"
# <bucket>.s3.<region>.amazonaws.com, or the legacy global <bucket>.s3.amazonaws.com (us-east-1);
# an S3 *website* endpoint is a custom origin (HTTP, no OAC), not a bucket the gateway reads.
S3_DOMAIN = re.compile(
    r"^(?P<bucket>[a-z0-9][a-z0-9.-]*?)\.s3(?:[.-](?!website)(?P<region>[a-z0-9-]+))?\.amazonaws\.com$"
)
DEFAULT_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class S3Origin:
    """An S3 origin: the bucket, its region and the OriginPath prefix of every key."""

    origin_id: str
    bucket: str
    region: str
    path: str = ""

    def object_key(self, path):
        """The object key of a viewer path: CloudFront sends the path, below OriginPath, to S3."""
        return f"{self.path.strip('/')}/{path.lstrip('/')}".lstrip("/")


@dataclass(frozen=True)
class CacheBehavior:
    """What a cache behavior decides for the gateway: origin, methods, compression and headers policy."""

    path_pattern: str
    origin_id: str
    compress: bool = False
    allowed_methods: frozenset = DEFAULT_METHODS
    headers_policy: ResponseHeadersPolicy = field(default_factory=ResponseHeadersPolicy)

    def matches(self, path):
        """CloudFront's path pattern match: case-sensitive, `*` any characters, `?` exactly one."""
        if self.path_pattern == "*":
            return True
        pattern = "/" + self.path_pattern.lstrip("/")
        regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
        return re.fullmatch(regex, path) is not None


@dataclass(frozen=True)
class ErrorPage:
    """A custom error response: the page served for an origin error, and the status the viewer gets."""

    error_code: int
    page_path: str
    response_code: int


@dataclass(frozen=True)
class SiteDistribution:
    """A distribution's serving config: root object, origins, behaviors (default last), error pages."""

    distribution_id: str
    root_object: str
    origins: dict
    behaviors: tuple
    error_pages: dict

    def behavior_for(self, path):
        """The first cache behavior whose path pattern matches, else the default behavior."""
        return next(behavior for behavior in self.behaviors if behavior.matches(path))

    def summary(self):
        """What the gateway serves, for its status endpoint and the launcher's message."""
        return {
            "distribution_id": self.distribution_id,
            "root_object": self.root_object,
            "buckets": sorted({origin.bucket for origin in self.origins.values() if isinstance(origin, S3Origin)}),
            "error_pages": {str(code): page.page_path for code, page in sorted(self.error_pages.items())},
        }


def find_distribution_id(cloudfront, creator, account_id):
    """The id of the creator's website distribution, by its tags, else by its CallerReference."""
    try:
        summaries = _list_distributions(cloudfront)
        wanted = {naming.CREATOR_TAG: creator, naming.COMPONENT_TAG: WEBSITE_COMPONENT}
        for summary in summaries:
            tags = cloudfront.list_tags_for_resource(Resource=summary["ARN"])["Tags"].get("Items") or []
            if wanted.items() <= {tag["Key"]: tag.get("Value") for tag in tags}.items():
                return summary["Id"]
        reference = naming.distribution_caller_reference(creator, account_id)
        for summary in summaries:
            config = cloudfront.get_distribution_config(Id=summary["Id"])["DistributionConfig"]
            if config["CallerReference"] == reference:
                return summary["Id"]
    except AWS_ERRORS as e:
        raise SiteUnavailable(
            f"Cannot list the CloudFront distributions of creator {creator} ({describe_aws_error(e)})."
        ) from e
    raise SiteUnavailable(
        f"Creator {creator} has no website distribution in account {account_id} (none tagged "
        f"{naming.CREATOR_TAG}={creator} and {naming.COMPONENT_TAG}={WEBSITE_COMPONENT}): run "
        f"ansible-playbook playbooks/onboard.yml -l {creator}."
    )


def _list_distributions(cloudfront):
    pages = cloudfront.get_paginator("list_distributions").paginate()
    return [summary for page in pages for summary in page["DistributionList"].get("Items") or []]


def read_distribution(cloudfront, distribution_id):
    """The serving config of a distribution; None when it no longer exists."""
    try:
        config = cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchDistribution":
            return None
        raise
    policies = {}
    behaviors = []
    ordered = [*((config.get("CacheBehaviors") or {}).get("Items") or []), config["DefaultCacheBehavior"]]
    for behavior in ordered:
        policy_id = behavior.get("ResponseHeadersPolicyId")
        if policy_id and policy_id not in policies:
            policies[policy_id] = read_headers_policy(cloudfront, policy_id)
        behaviors.append(
            CacheBehavior(
                path_pattern=behavior.get("PathPattern", "*"),
                origin_id=behavior["TargetOriginId"],
                compress=bool(behavior.get("Compress")),
                allowed_methods=frozenset((behavior.get("AllowedMethods") or {}).get("Items") or DEFAULT_METHODS),
                headers_policy=policies.get(policy_id) or ResponseHeadersPolicy(),
            )
        )
    return SiteDistribution(
        distribution_id=distribution_id,
        root_object=config.get("DefaultRootObject") or "",
        origins={origin["Id"]: s3_origin(origin) for origin in config["Origins"]["Items"]},
        behaviors=tuple(behaviors),
        error_pages=error_pages(config.get("CustomErrorResponses") or {}),
    )


def read_headers_policy(cloudfront, policy_id):
    """A response headers policy by id, as the headers it adds and removes."""
    response = cloudfront.get_response_headers_policy(Id=policy_id)
    return ResponseHeadersPolicy.from_config(response["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"])


def s3_origin(origin):
    """The S3Origin of an origin config, or None for an origin that is not an S3 bucket."""
    match = S3_DOMAIN.match(origin["DomainName"])
    if match is None:
        return None
    return S3Origin(origin["Id"], match["bucket"], match["region"] or "us-east-1", origin.get("OriginPath") or "")


def error_pages(custom_error_responses):
    """The custom error responses that name a page, by the origin status they replace."""
    pages = {}
    for item in custom_error_responses.get("Items") or ():
        if item.get("ResponsePagePath"):
            code = int(item["ErrorCode"])
            pages[code] = ErrorPage(code, item["ResponsePagePath"], int(item.get("ResponseCode") or code))
    return pages
