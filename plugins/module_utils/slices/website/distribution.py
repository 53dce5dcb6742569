# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's CloudFront distribution and the Origin Access Control it reads the bucket with.

Private to the website module. The distribution is found again by its CallerReference
(naming.distribution_caller_reference), so a run after an interrupted create never makes a
second one. The request that would be sent is compared with the config CloudFront returns,
member by member; an update sends the current config with only the differing members replaced.
"""

import copy
import functools

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cloudfront
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import distribution_caller_reference
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import certificate_names

# AWS's managed cache policy CachingOptimized: cache by path, gzip and brotli, no cookies or query strings.
CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ORIGIN_ID = "site-bucket"
ROOT_OBJECT = "index.html"
ERROR_PAGE = "/404.html"
# A missing page should not stay missing for long once it is published.
ERROR_CACHING_SECONDS = 10
# S3 answers 403 for a missing key when the reader may not list the bucket, as through OAC.
MISSING_PAGE_STATUSES = (403, 404)
# Legacy cache settings that CloudFront refuses beside a cache policy.
LEGACY_CACHE_SETTINGS = ("ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL")


def origin_access_control_name(creator):
    """The OAC's name, unique in the account, by which it is found again."""
    return resource_name(creator, "site")


def desired_origin_access_control_config(creator):
    """CloudFront signs every request to the bucket (SigV4), as the bucket policy requires."""
    return {
        "Name": origin_access_control_name(creator),
        "Description": f"CloudFront reads the site bucket of {creator}",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }


def read_origin_access_control(client, creator):
    """The creator's OAC as {id, config}, or None."""
    name = origin_access_control_name(creator)
    for summary in cloudfront.list_origin_access_controls(client):
        if summary["Name"] == name:
            config = {key: summary.get(key) for key in desired_origin_access_control_config(creator)}
            return {"id": summary["Id"], "config": config}
    return None


def ensure_origin_access_control(client, changes, current, desired):
    """Create the OAC when missing, update it when it differs; returns {id, config} (id None in check mode)."""
    if current is None:
        created = changes.make(
            f"create origin access control {desired['Name']}", cloudfront.create_origin_access_control, client, desired
        )
        return {"id": created["Id"] if created else None, "config": desired}
    if not matches(current["config"], desired):
        changes.make(
            f"update origin access control {desired['Name']}",
            cloudfront.update_origin_access_control,
            client,
            current["id"],
            desired,
        )
    return {"id": current["id"], "config": desired}


def desired_distribution_config(site):
    """The DistributionConfig of the creator's site.

    `site` holds creator, account_id, domain, origin_domain, origin_access_control_id, certificate_arn,
    headers_policy_id and price_class.
    """
    aliases = certificate_names(site["domain"])
    methods = ["GET", "HEAD"]
    return {
        "CallerReference": distribution_caller_reference(site["creator"], site["account_id"]),
        "Comment": f"CreatorCloud website of {site['creator']}",
        "Enabled": True,
        "Aliases": {"Quantity": len(aliases), "Items": aliases},
        "DefaultRootObject": ROOT_OBJECT,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": ORIGIN_ID,
                    "DomainName": site["origin_domain"],
                    "OriginPath": "",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": site["origin_access_control_id"],
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": ORIGIN_ID,
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": {
                "Quantity": len(methods),
                "Items": methods,
                "CachedMethods": {"Quantity": len(methods), "Items": methods},
            },
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED_POLICY_ID,
            "ResponseHeadersPolicyId": site["headers_policy_id"],
        },
        "CustomErrorResponses": {
            "Quantity": len(MISSING_PAGE_STATUSES),
            "Items": [
                {
                    "ErrorCode": status,
                    "ResponsePagePath": ERROR_PAGE,
                    "ResponseCode": "404",
                    "ErrorCachingMinTTL": ERROR_CACHING_SECONDS,
                }
                for status in MISSING_PAGE_STATUSES
            ],
        },
        "PriceClass": site["price_class"],
        "ViewerCertificate": {
            "CloudFrontDefaultCertificate": False,
            "ACMCertificateArn": site["certificate_arn"],
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
    }


def config_differences(current, desired):
    """The top-level members of `desired` that the current config does not have as wanted."""
    return [key for key, value in desired.items() if key != "CallerReference" and not matches(current.get(key), value)]


def merged_config(current, desired):
    """The current config with the desired members in place: members we do not manage stay as they are."""
    merged = copy.deepcopy(current)
    for key, value in desired.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merged_config(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    behavior = merged.get("DefaultCacheBehavior", {})
    if behavior.get("CachePolicyId"):
        for key in LEGACY_CACHE_SETTINGS:
            behavior.pop(key, None)
    return merged


def read_distribution(client, creator, account_id, domain):
    """The distribution with the creator's CallerReference as {id, arn, domain_name, status, config, etag, tags}."""
    reference = distribution_caller_reference(creator, account_id)
    summaries = cloudfront.list_distributions(client)
    # Those with the creator's domain first: the usual match, found with one config read.
    summaries.sort(key=lambda summary: domain not in ((summary.get("Aliases") or {}).get("Items") or []))
    for summary in summaries:
        found = cloudfront.get_distribution_config(client, summary["Id"])
        if found and found[0].get("CallerReference") == reference:
            config, etag = found
            return {
                "id": summary["Id"],
                "arn": summary["ARN"],
                "domain_name": summary["DomainName"],
                "status": summary.get("Status"),
                "config": config,
                "etag": etag,
                "tags": cloudfront.list_tags(client, summary["ARN"]),
            }
    return None


def ensure_distribution(client, changes, current, desired, tags, purge_tags):
    """Create the distribution when missing, update the members that differ, converge its tags.

    Returns the distribution after, as read_distribution does (id, arn and domain_name None in check mode).
    """
    aliases = " and ".join(desired["Aliases"]["Items"])
    if current is None:
        created = changes.make(
            f"create distribution for {aliases}", cloudfront.create_distribution, client, desired, tags
        )
        if created is None:
            return {"id": None, "arn": None, "domain_name": None, "status": None, "config": desired, "tags": tags}
        return {
            "id": created["Id"],
            "arn": created["ARN"],
            "domain_name": created["DomainName"],
            "status": created["Status"],
            "config": created["DistributionConfig"],
            "tags": tags,
        }
    after = dict(current)
    differences = config_differences(current["config"], desired)
    if differences:
        after["config"] = merged_config(current["config"], desired)
        updated = changes.make(
            f"update distribution {current['id']}: {', '.join(differences)}",
            cloudfront.update_distribution,
            client,
            current["id"],
            after["config"],
            current["etag"],
        )
        after["status"] = updated["Status"] if updated else after["status"]
    after["tags"] = ensure_tags(
        changes,
        f"distribution {current['id']}",
        current["tags"],
        tags,
        purge_tags,
        functools.partial(cloudfront.tag_resource, client, current["arn"]),
        functools.partial(cloudfront.untag_resource, client, current["arn"]),
    )
    return after


def site_settings(config):
    """The settings of a distribution config that the website module manages, for results and diffs."""
    if not config:
        return {}
    behavior = config.get("DefaultCacheBehavior", {})
    certificate = config.get("ViewerCertificate", {})
    origins = (config.get("Origins") or {}).get("Items") or [{}]
    return {
        "aliases": sorted((config.get("Aliases") or {}).get("Items") or []),
        "enabled": config.get("Enabled"),
        "price_class": config.get("PriceClass"),
        "http_version": config.get("HttpVersion"),
        "ipv6": config.get("IsIPV6Enabled"),
        "root_object": config.get("DefaultRootObject"),
        "origin": origins[0].get("DomainName"),
        "origin_access_control_id": origins[0].get("OriginAccessControlId"),
        "viewer_protocol_policy": behavior.get("ViewerProtocolPolicy"),
        "compress": behavior.get("Compress"),
        "cache_policy_id": behavior.get("CachePolicyId"),
        "response_headers_policy_id": behavior.get("ResponseHeadersPolicyId"),
        "certificate_arn": certificate.get("ACMCertificateArn"),
        "minimum_protocol_version": certificate.get("MinimumProtocolVersion"),
        "ssl_support_method": certificate.get("SSLSupportMethod"),
        "error_responses": sorted(
            (
                {
                    "error_code": item["ErrorCode"],
                    "page": item.get("ResponsePagePath"),
                    "response_code": item.get("ResponseCode"),
                    "caching_seconds": item.get("ErrorCachingMinTTL"),
                }
                for item in (config.get("CustomErrorResponses") or {}).get("Items") or []
            ),
            key=lambda item: item["error_code"],
        ),
    }
