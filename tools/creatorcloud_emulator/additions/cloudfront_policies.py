# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFront response headers policies, which moto lacks, and distributions that check theirs.

Create, Get, GetConfig, List, Update and Delete ResponseHeadersPolicy, per account, with the
errors AWS answers: a name used twice, Quantity members that disagree with their Items, a
Content-Security-Policy over 1783 characters, more than 10 custom or removed headers, a
missing or stale If-Match, deleting a policy that a distribution still uses. A distribution
(create or update) that names a policy the account does not have gets NoSuchResponseHeadersPolicy.

AWS's managed policies are not emulated: `Type=managed` lists none, and a distribution can
only name the account's own (custom) policies.
"""

import re

from moto.cloudfront import models
from moto.cloudfront import responses
from moto.cloudfront import urls
from moto.core.responses import ActionResult
from moto.core.responses import EmptyResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from .common import AwsError
from .common import MotoUrls
from .common import paginate
from .common import route
from .common import use_backend

POLICY_PATHS = (
    "{0}/2020-05-31/response-headers-policy$",
    "{0}/2020-05-31/response-headers-policy/(?P<Id>[^/]+)$",
    "{0}/2020-05-31/response-headers-policy/(?P<Id>[^/]+)/config$",
)
POLICY_NAME = r"[A-Za-z0-9_-]{1,128}"
MAX_POLICIES = 20
MAX_CSP_LENGTH = 1783
MAX_CUSTOM_HEADERS = 10
MAX_REMOVED_HEADERS = 10
FRAME_OPTIONS = ("DENY", "SAMEORIGIN")
REFERRER_POLICIES = (
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)


class CloudFrontError(AwsError):
    """A CloudFront error whose code names the error shape; the shape gives the HTTP status."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class InvalidArgument(AwsError):
    code = "InvalidArgument"


def _no_such_policy(policy_id):
    return CloudFrontError("NoSuchResponseHeadersPolicy", f"The response headers policy {policy_id} does not exist.")


def check_quantities(value, path="ResponseHeadersPolicyConfig"):
    """Raise InconsistentQuantities where a Quantity differs from the number of its Items."""
    if isinstance(value, dict):
        if "Quantity" in value and value["Quantity"] != len(value.get("Items") or []):
            raise CloudFrontError(
                "InconsistentQuantities", f"The value of Quantity and the size of Items don't match at {path}."
            )
        for key, member in value.items():
            check_quantities(member, f"{path}.{key}")


def check_policy_config(config):
    """Raise the error AWS answers for a response headers policy config it would refuse."""
    if not re.fullmatch(POLICY_NAME, config.get("Name") or ""):
        raise InvalidArgument(f"The name {config.get('Name')!r} is not valid: use 1 to 128 letters, digits, - and _.")
    check_quantities(config)
    security = config.get("SecurityHeadersConfig") or {}
    csp = (security.get("ContentSecurityPolicy") or {}).get("ContentSecurityPolicy", "")
    if len(csp) > MAX_CSP_LENGTH:
        raise CloudFrontError(
            "TooLongCSPInResponseHeadersPolicy",
            f"The Content-Security-Policy is {len(csp)} characters long; the maximum is {MAX_CSP_LENGTH}.",
        )
    frame = security.get("FrameOptions")
    if frame and frame.get("FrameOption") not in FRAME_OPTIONS:
        raise InvalidArgument(f"FrameOption {frame.get('FrameOption')!r} must be one of {', '.join(FRAME_OPTIONS)}.")
    referrer = security.get("ReferrerPolicy")
    if referrer and referrer.get("ReferrerPolicy") not in REFERRER_POLICIES:
        raise InvalidArgument(f"ReferrerPolicy {referrer.get('ReferrerPolicy')!r} is not a valid referrer policy.")
    if (config.get("CustomHeadersConfig") or {}).get("Quantity", 0) > MAX_CUSTOM_HEADERS:
        raise CloudFrontError(
            "TooManyCustomHeadersInResponseHeadersPolicy",
            f"A response headers policy can have at most {MAX_CUSTOM_HEADERS} custom headers.",
        )
    if (config.get("RemoveHeadersConfig") or {}).get("Quantity", 0) > MAX_REMOVED_HEADERS:
        raise CloudFrontError(
            "TooManyRemoveHeadersInResponseHeadersPolicy",
            f"A response headers policy can remove at most {MAX_REMOVED_HEADERS} headers.",
        )


def policy_ids_of_request(config):
    """The response headers policy ids a DistributionConfig request names (default and other behaviors)."""
    behaviors = [config.get("DefaultCacheBehavior") or {}]
    behaviors += (config.get("CacheBehaviors") or {}).get("Items") or []
    return {behavior.get("ResponseHeadersPolicyId") for behavior in behaviors} - {None, ""}


def policy_ids_of_distribution(distribution):
    """The response headers policy ids a stored distribution uses."""
    config = distribution.distribution_config
    behaviors = [config.DefaultCacheBehavior] + list(config.CacheBehaviors.get("Items") or [])
    return {behavior.response_headers_policy_id for behavior in behaviors} - {None, ""}


class CloudFrontBackend(MotoUrls, models.CloudFrontBackend):
    """moto's CloudFront backend with response headers policies."""

    urls_module = urls.__name__

    def __init__(self, region_name, account_id):
        super().__init__(region_name, account_id)
        self.response_headers_policies = {}  # id -> {"Id", "LastModifiedTime", "ResponseHeadersPolicyConfig"}
        self.response_headers_policy_etags = {}  # id -> ETag of its current version

    def _check_policy_ids(self, config):
        for policy_id in sorted(policy_ids_of_request(config)):
            if policy_id not in self.response_headers_policies:
                raise _no_such_policy(policy_id)

    def _check_unique_name(self, name, policy_id=None):
        for other in self.response_headers_policies.values():
            if other["ResponseHeadersPolicyConfig"]["Name"] == name and other["Id"] != policy_id:
                raise CloudFrontError(
                    "ResponseHeadersPolicyAlreadyExists",
                    f"A response headers policy with the name {name} already exists: {other['Id']}.",
                )

    def _check_if_match(self, policy_id, if_match):
        if not if_match:
            raise CloudFrontError("InvalidIfMatchVersion", "The If-Match version is missing or not valid.")
        if if_match != self.response_headers_policy_etags[policy_id]:
            raise CloudFrontError("PreconditionFailed", "The If-Match version does not match the current version.")

    def _store(self, policy_id, config):
        policy = {"Id": policy_id, "LastModifiedTime": utcnow(), "ResponseHeadersPolicyConfig": config}
        self.response_headers_policies[policy_id] = policy
        self.response_headers_policy_etags[policy_id] = models.random_id()
        return policy, self.response_headers_policy_etags[policy_id]

    def create_distribution_with_tags(self, distribution_config, tags):
        self._check_policy_ids(distribution_config)
        return super().create_distribution_with_tags(distribution_config, tags)

    def update_distribution(self, dist_config, _id, if_match):
        self._check_policy_ids(dist_config or {})
        return super().update_distribution(dist_config, _id, if_match)

    def create_response_headers_policy(self, config):
        """A new custom policy and its ETag."""
        check_policy_config(config)
        self._check_unique_name(config["Name"])
        if len(self.response_headers_policies) >= MAX_POLICIES:
            raise CloudFrontError(
                "TooManyResponseHeadersPolicies",
                f"An account can have at most {MAX_POLICIES} response headers policies.",
            )
        return self._store(str(mock_random.uuid4()), config)

    def get_response_headers_policy(self, policy_id):
        """The policy and its ETag."""
        if policy_id not in self.response_headers_policies:
            raise _no_such_policy(policy_id)
        return self.response_headers_policies[policy_id], self.response_headers_policy_etags[policy_id]

    def list_response_headers_policies(self, policy_type=None, marker=None, max_items=None):
        """Summaries of the custom policies (managed ones are not emulated), a page at a time."""
        if policy_type not in (None, "custom", "managed"):
            raise InvalidArgument(f"Type {policy_type!r} must be managed or custom.")
        policies = [] if policy_type == "managed" else list(self.response_headers_policies.values())
        return paginate(policies, max_items, marker, 100, "Id", InvalidArgument, type=policy_type)

    def update_response_headers_policy(self, policy_id, config, if_match):
        """Replace the policy's config; it gets a new ETag."""
        self.get_response_headers_policy(policy_id)
        self._check_if_match(policy_id, if_match)
        check_policy_config(config)
        self._check_unique_name(config["Name"], policy_id)
        return self._store(policy_id, config)

    def delete_response_headers_policy(self, policy_id, if_match):
        """Delete a policy that no distribution uses."""
        self.get_response_headers_policy(policy_id)
        self._check_if_match(policy_id, if_match)
        if any(policy_id in policy_ids_of_distribution(d) for d in self.distributions.values()):
            raise CloudFrontError(
                "ResponseHeadersPolicyInUse", f"The response headers policy {policy_id} is used by a distribution."
            )
        del self.response_headers_policies[policy_id]
        del self.response_headers_policy_etags[policy_id]


class CloudFrontResponse(responses.CloudFrontResponse):
    """moto's CloudFront responses plus the response headers policy operations."""

    def create_response_headers_policy(self):
        policy, etag = self.backend.create_response_headers_policy(self._get_param("ResponseHeadersPolicyConfig"))
        location = f"https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{policy['Id']}"
        return ActionResult({"ResponseHeadersPolicy": policy, "Location": location, "ETag": etag})

    def get_response_headers_policy(self):
        policy, etag = self.backend.get_response_headers_policy(self._get_param("Id"))
        return ActionResult({"ResponseHeadersPolicy": policy, "ETag": etag})

    def get_response_headers_policy_config(self):
        policy, etag = self.backend.get_response_headers_policy(self._get_param("Id"))
        return ActionResult({"ResponseHeadersPolicyConfig": policy["ResponseHeadersPolicyConfig"], "ETag": etag})

    def list_response_headers_policies(self):
        max_items = self._get_int_param("MaxItems")
        policies, next_marker = self.backend.list_response_headers_policies(
            self._get_param("Type"), self._get_param("Marker"), max_items
        )
        summaries = [{"Type": "custom", "ResponseHeadersPolicy": policy} for policy in policies]
        listing = {"MaxItems": max_items or 100, "Quantity": len(summaries), "Items": summaries or None}
        if next_marker:
            listing["NextMarker"] = next_marker
        return ActionResult({"ResponseHeadersPolicyList": listing})

    def update_response_headers_policy(self):
        policy, etag = self.backend.update_response_headers_policy(
            self._get_param("Id"), self._get_param("ResponseHeadersPolicyConfig"), self._get_param("IfMatch")
        )
        return ActionResult({"ResponseHeadersPolicy": policy, "ETag": etag})

    def delete_response_headers_policy(self):
        self.backend.delete_response_headers_policy(self._get_param("Id"), self._get_param("IfMatch"))
        return EmptyResult()


def register():
    """Build CloudFrontBackend for CloudFront and answer its requests, policies included, with CloudFrontResponse."""
    use_backend(models.cloudfront_backends, CloudFrontBackend)
    route([urls.url_paths], responses.CloudFrontResponse, CloudFrontResponse, extra_paths=POLICY_PATHS)
