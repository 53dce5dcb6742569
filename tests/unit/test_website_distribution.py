# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planning of the site's distribution: the config it wants, and how it compares with what AWS returns."""

import copy

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import distribution_caller_reference
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    CACHING_OPTIMIZED_POLICY_ID,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    config_differences,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    desired_distribution_config,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import (
    desired_origin_access_control_config,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import merged_config
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.distribution import site_settings

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b"
SITE = {
    "creator": "creator1",
    "account_id": "123456789012",
    "domain": "creator1.example",
    "origin_domain": "creatorcloud-creator1-site-123456789012.s3.eu-central-1.amazonaws.com",
    "origin_access_control_id": "E2OAC",
    "certificate_arn": CERTIFICATE,
    "headers_policy_id": "6f618de5-4f76-4cb2-a752-3f3d3547a3c8",
    "price_class": "PriceClass_100",
}


@pytest.fixture
def desired():
    return desired_distribution_config(SITE)


def as_returned(config):
    """The config as CloudFront returns it: the members it adds and its own order of list items."""
    returned = copy.deepcopy(config)
    returned["Aliases"]["Items"].reverse()
    returned["CustomErrorResponses"]["Items"].reverse()
    returned["Logging"] = {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""}
    returned["WebACLId"] = ""
    returned["Restrictions"] = {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}}
    returned["Origins"]["Items"][0].update(ConnectionAttempts=3, ConnectionTimeout=10)
    returned["DefaultCacheBehavior"].update(SmoothStreaming=False, FieldLevelEncryptionId="")
    returned["ViewerCertificate"].update(Certificate=CERTIFICATE, CertificateSource="acm")
    return returned


def test_the_site_distribution_config(desired):
    assert desired["CallerReference"] == distribution_caller_reference("creator1", "123456789012")
    assert desired["Aliases"] == {"Quantity": 2, "Items": ["creator1.example", "www.creator1.example"]}
    assert desired["DefaultRootObject"] == "index.html"
    assert (desired["PriceClass"], desired["HttpVersion"], desired["IsIPV6Enabled"]) == (
        "PriceClass_100",
        "http2and3",
        True,
    )
    assert desired["ViewerCertificate"] == {
        "CloudFrontDefaultCertificate": False,
        "ACMCertificateArn": CERTIFICATE,
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    [origin] = desired["Origins"]["Items"]
    assert origin["DomainName"] == SITE["origin_domain"]
    assert origin["OriginAccessControlId"] == "E2OAC"
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    behavior = desired["DefaultCacheBehavior"]
    assert behavior["TargetOriginId"] == origin["Id"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["Compress"] is True
    assert behavior["CachePolicyId"] == CACHING_OPTIMIZED_POLICY_ID
    assert behavior["ResponseHeadersPolicyId"] == SITE["headers_policy_id"]
    assert behavior["AllowedMethods"]["Items"] == ["GET", "HEAD"]


def test_missing_pages_give_the_404_page_with_404(desired):
    errors = desired["CustomErrorResponses"]

    assert errors["Quantity"] == len(errors["Items"]) == 2
    assert {item["ErrorCode"] for item in errors["Items"]} == {403, 404}
    for item in errors["Items"]:
        assert (item["ResponsePagePath"], item["ResponseCode"]) == ("/404.html", "404")
        assert 0 < item["ErrorCachingMinTTL"] <= 60


def test_every_quantity_matches_its_items(desired):
    def walk(value):
        if isinstance(value, dict):
            if "Quantity" in value:
                assert value["Quantity"] == len(value.get("Items", []))
            for member in value.values():
                walk(member)

    walk(desired)


def test_the_config_as_returned_has_no_difference(desired):
    assert config_differences(as_returned(desired), desired) == []


@pytest.mark.parametrize(
    ("change", "differences"),
    [
        ({"PriceClass": "PriceClass_200"}, ["PriceClass"]),
        ({"HttpVersion": "http2", "IsIPV6Enabled": False}, ["HttpVersion", "IsIPV6Enabled"]),
        ({"Aliases": {"Quantity": 1, "Items": ["creator1.example"]}}, ["Aliases"]),
        ({"DefaultRootObject": ""}, ["DefaultRootObject"]),
        ({"CustomErrorResponses": {"Quantity": 0}}, ["CustomErrorResponses"]),
    ],
    ids=["price-class", "protocols", "aliases", "root-object", "error-pages"],
)
def test_a_changed_setting_is_exactly_the_difference(desired, change, differences):
    current = as_returned(desired)
    current.update(change)

    assert config_differences(current, desired) == differences


def test_a_changed_member_deep_inside_names_its_top_level_member(desired):
    current = as_returned(desired)
    current["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] = "other"
    current["ViewerCertificate"]["MinimumProtocolVersion"] = "TLSv1"

    assert config_differences(current, desired) == ["DefaultCacheBehavior", "ViewerCertificate"]


def test_an_update_keeps_what_the_module_does_not_manage(desired):
    current = as_returned(desired)
    current["PriceClass"] = "PriceClass_All"
    current["Logging"] = {"Enabled": True, "IncludeCookies": False, "Bucket": "logs.s3.amazonaws.com", "Prefix": "cf/"}
    current["WebACLId"] = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/1"
    current["DefaultCacheBehavior"].update(ForwardedValues={"QueryString": False}, MinTTL=0, DefaultTTL=0, MaxTTL=0)

    merged = merged_config(current, desired)

    assert merged["PriceClass"] == "PriceClass_100"
    assert merged["Logging"] == current["Logging"]
    assert merged["WebACLId"] == current["WebACLId"]
    assert merged["DefaultCacheBehavior"]["SmoothStreaming"] is False
    # CloudFront refuses legacy cache settings beside a cache policy.
    assert not {"ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"} & set(merged["DefaultCacheBehavior"])
    assert config_differences(merged, desired) == []
    assert current["PriceClass"] == "PriceClass_All"  # the current config is not modified


def test_site_settings_for_results_and_diffs(desired):
    settings = site_settings(desired)

    assert settings["aliases"] == ["creator1.example", "www.creator1.example"]
    assert settings["price_class"] == "PriceClass_100"
    assert settings["certificate_arn"] == CERTIFICATE
    assert [item["error_code"] for item in settings["error_responses"]] == [403, 404]
    assert site_settings(None) == {}


def test_the_origin_access_control_signs_every_request():
    config = desired_origin_access_control_config("creator1")

    assert config["Name"] == "creatorcloud-creator1-site"
    assert (config["SigningProtocol"], config["SigningBehavior"], config["OriginAccessControlOriginType"]) == (
        "sigv4",
        "always",
        "s3",
    )


@pytest.mark.parametrize(
    ("current", "desired", "expected"),
    [
        ({"a": 1, "b": 2}, {"a": 1}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ([{"Id": "b", "x": 1}, {"Id": "a"}], [{"Id": "a"}, {"Id": "b", "x": 1}], True),
        (["b", "a"], ["a", "b"], True),
        (["a"], ["a", "b"], False),
        (None, {"a": 1}, False),
        ("404", 404, False),
    ],
)
def test_matches_ignores_added_members_and_list_order(current, desired, expected):
    assert matches(current, desired) is expected
