# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFront response headers policies (moto has none), and the distribution settings the website slice sets."""

import copy

import pytest

from . import aws_error
from . import clients_in_accounts

POLICY = {
    "Name": "creator1-site-headers",
    "Comment": "security headers of the creator's site",
    "SecurityHeadersConfig": {
        "StrictTransportSecurity": {
            "Override": True,
            "IncludeSubdomains": True,
            "Preload": False,
            "AccessControlMaxAgeSec": 63072000,
        },
        "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": "default-src 'self'"},
        "ContentTypeOptions": {"Override": True},
        "FrameOptions": {"Override": True, "FrameOption": "DENY"},
        "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
    },
    "CustomHeadersConfig": {
        "Quantity": 1,
        "Items": [{"Header": "Permissions-Policy", "Value": "camera=(), microphone=()", "Override": True}],
    },
}
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b"
ERROR_RESPONSES = {
    "Quantity": 2,
    "Items": [
        {"ErrorCode": 403, "ResponsePagePath": "/404.html", "ResponseCode": "404", "ErrorCachingMinTTL": 10},
        {"ErrorCode": 404, "ResponsePagePath": "/404.html", "ResponseCode": "404", "ErrorCachingMinTTL": 10},
    ],
}


@pytest.fixture
def cloudfront(aws_client):
    return aws_client("cloudfront", "us-east-1")


def create_policy(cloudfront, **changes):
    """A policy like POLICY with `changes` applied to its config; returns (policy, etag)."""
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig={**POLICY, **changes})
    return created["ResponseHeadersPolicy"], created["ETag"]


def site_distribution(policy_id, reference="creator1-site", **changes):
    """A DistributionConfig of a creator's site with every setting the website slice manages."""
    config = {
        "CallerReference": reference,
        "Comment": "creator1 site",
        "Enabled": True,
        "Aliases": {"Quantity": 2, "Items": ["creator1.example", "www.creator1.example"]},
        "DefaultRootObject": "index.html",
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": "creator1-site.s3.eu-central-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": "E1OAC",
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            "ResponseHeadersPolicyId": policy_id,
            "Compress": True,
        },
        "CustomErrorResponses": ERROR_RESPONSES,
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
        "ViewerCertificate": {
            "ACMCertificateArn": CERTIFICATE,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    }
    config.update(changes)
    return config


def site_settings(config):
    """The settings of a DistributionConfig that the website slice sets and reads back."""
    return {
        "Aliases": config["Aliases"]["Items"],
        "DefaultRootObject": config["DefaultRootObject"],
        "ResponseHeadersPolicyId": config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"],
        "Compress": config["DefaultCacheBehavior"]["Compress"],
        "CustomErrorResponses": config["CustomErrorResponses"],
        "PriceClass": config["PriceClass"],
        "HttpVersion": config["HttpVersion"],
        "IsIPV6Enabled": config["IsIPV6Enabled"],
    }


def test_policy_round_trip(cloudfront):
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=POLICY)

    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    policy_id = created["ResponseHeadersPolicy"]["Id"]
    assert created["Location"].endswith(f"/2020-05-31/response-headers-policy/{policy_id}")
    assert created["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == POLICY
    got = cloudfront.get_response_headers_policy(Id=policy_id)
    assert got["ResponseHeadersPolicy"] == created["ResponseHeadersPolicy"]
    assert got["ETag"] == created["ETag"]
    config = cloudfront.get_response_headers_policy_config(Id=policy_id)
    assert (config["ResponseHeadersPolicyConfig"], config["ETag"]) == (POLICY, created["ETag"])
    listing = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]
    assert listing["Quantity"] == 1
    assert listing["Items"] == [{"Type": "custom", "ResponseHeadersPolicy": created["ResponseHeadersPolicy"]}]
    assert cloudfront.list_response_headers_policies()["ResponseHeadersPolicyList"]["Quantity"] == 1


def test_managed_policies_are_not_emulated(cloudfront):
    create_policy(cloudfront)

    assert cloudfront.list_response_headers_policies(Type="managed")["ResponseHeadersPolicyList"]["Quantity"] == 0


def test_list_pages_with_markers(cloudfront):
    ids = {create_policy(cloudfront, Name=f"policy-{n}")[0]["Id"] for n in range(3)}

    first = cloudfront.list_response_headers_policies(MaxItems="2")["ResponseHeadersPolicyList"]
    second = cloudfront.list_response_headers_policies(Marker=first["NextMarker"], MaxItems="2")[
        "ResponseHeadersPolicyList"
    ]

    assert (first["Quantity"], second["Quantity"]) == (2, 1)
    assert "NextMarker" not in second
    assert {item["ResponseHeadersPolicy"]["Id"] for item in first["Items"] + second["Items"]} == ids


def test_update_replaces_the_config_and_changes_the_etag(cloudfront):
    policy, etag = create_policy(cloudfront)
    changed = copy.deepcopy(POLICY)
    changed["SecurityHeadersConfig"]["FrameOptions"]["FrameOption"] = "SAMEORIGIN"
    del changed["CustomHeadersConfig"]

    updated = cloudfront.update_response_headers_policy(
        Id=policy["Id"], IfMatch=etag, ResponseHeadersPolicyConfig=changed
    )

    assert updated["ETag"] != etag
    assert updated["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == changed
    assert cloudfront.get_response_headers_policy_config(Id=policy["Id"])["ResponseHeadersPolicyConfig"] == changed
    with aws_error("PreconditionFailed", 412):
        cloudfront.update_response_headers_policy(Id=policy["Id"], IfMatch=etag, ResponseHeadersPolicyConfig=POLICY)


@pytest.mark.parametrize(
    ("changes", "code", "status"),
    [
        ({"Name": "creator1 site headers"}, "InvalidArgument", 400),
        (
            {"CustomHeadersConfig": {"Quantity": 2, "Items": POLICY["CustomHeadersConfig"]["Items"]}},
            "InconsistentQuantities",
            400,
        ),
        (
            {
                "SecurityHeadersConfig": {
                    "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": "default-src 'self' " * 100}
                }
            },
            "TooLongCSPInResponseHeadersPolicy",
            400,
        ),
        (
            {
                "CustomHeadersConfig": {
                    "Quantity": 11,
                    "Items": [{"Header": f"X-Custom-{n}", "Value": "v", "Override": True} for n in range(11)],
                }
            },
            "TooManyCustomHeadersInResponseHeadersPolicy",
            400,
        ),
        (
            {"SecurityHeadersConfig": {"FrameOptions": {"Override": True, "FrameOption": "ALLOW-FROM"}}},
            "InvalidArgument",
            400,
        ),
        (
            {"SecurityHeadersConfig": {"ReferrerPolicy": {"Override": True, "ReferrerPolicy": "never"}}},
            "InvalidArgument",
            400,
        ),
    ],
    ids=["bad-name", "inconsistent-quantity", "csp-too-long", "too-many-custom-headers", "frame-option", "referrer"],
)
def test_invalid_configs_are_refused(cloudfront, changes, code, status):
    with aws_error(code, status):
        create_policy(cloudfront, **changes)

    assert cloudfront.list_response_headers_policies()["ResponseHeadersPolicyList"]["Quantity"] == 0


def test_a_name_is_used_once_per_account(cloudfront):
    first, first_etag = create_policy(cloudfront)
    second, second_etag = create_policy(cloudfront, Name="other")

    with aws_error("ResponseHeadersPolicyAlreadyExists", 409):
        create_policy(cloudfront)
    with aws_error("ResponseHeadersPolicyAlreadyExists", 409):
        cloudfront.update_response_headers_policy(
            Id=second["Id"], IfMatch=second_etag, ResponseHeadersPolicyConfig=POLICY
        )
    renamed = cloudfront.update_response_headers_policy(
        Id=first["Id"], IfMatch=first_etag, ResponseHeadersPolicyConfig=POLICY
    )
    assert renamed["ResponseHeadersPolicy"]["Id"] == first["Id"]


def test_unknown_policy_and_missing_if_match(cloudfront):
    policy, etag = create_policy(cloudfront)

    with aws_error("NoSuchResponseHeadersPolicy", 404):
        cloudfront.get_response_headers_policy(Id="00000000-0000-0000-0000-000000000000")
    with aws_error("NoSuchResponseHeadersPolicy", 404):
        cloudfront.get_response_headers_policy_config(Id="00000000-0000-0000-0000-000000000000")
    with aws_error("InvalidIfMatchVersion", 400):
        cloudfront.delete_response_headers_policy(Id=policy["Id"])
    with aws_error("PreconditionFailed", 412):
        cloudfront.delete_response_headers_policy(Id=policy["Id"], IfMatch="stale")

    cloudfront.delete_response_headers_policy(Id=policy["Id"], IfMatch=etag)
    with aws_error("NoSuchResponseHeadersPolicy", 404):
        cloudfront.get_response_headers_policy(Id=policy["Id"])


def test_a_policy_in_use_cannot_be_deleted(cloudfront):
    policy, etag = create_policy(cloudfront)
    created = cloudfront.create_distribution(DistributionConfig=site_distribution(policy["Id"]))
    distribution_id = created["Distribution"]["Id"]

    with aws_error("ResponseHeadersPolicyInUse", 409):
        cloudfront.delete_response_headers_policy(Id=policy["Id"], IfMatch=etag)

    current = cloudfront.get_distribution_config(Id=distribution_id)
    config = current["DistributionConfig"]
    config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] = ""
    cloudfront.update_distribution(Id=distribution_id, IfMatch=current["ETag"], DistributionConfig=config)
    cloudfront.delete_response_headers_policy(Id=policy["Id"], IfMatch=etag)


def test_a_distribution_must_name_an_existing_policy(cloudfront):
    policy, unused_etag = create_policy(cloudfront)

    with aws_error("NoSuchResponseHeadersPolicy", 404):
        cloudfront.create_distribution(DistributionConfig=site_distribution("11111111-2222-3333-4444-555555555555"))
    distribution = cloudfront.create_distribution(DistributionConfig=site_distribution(policy["Id"]))["Distribution"]
    current = cloudfront.get_distribution_config(Id=distribution["Id"])
    config = current["DistributionConfig"]
    config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] = "11111111-2222-3333-4444-555555555555"
    with aws_error("NoSuchResponseHeadersPolicy", 404):
        cloudfront.update_distribution(Id=distribution["Id"], IfMatch=current["ETag"], DistributionConfig=config)


def test_site_settings_round_trip_through_create_update_and_every_read(cloudfront):
    policy, unused_etag = create_policy(cloudfront)
    sent = site_distribution(policy["Id"])
    created = cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": sent,
            "Tags": {"Items": [{"Key": "creatorcloud:creator", "Value": "creator1"}]},
        }
    )["Distribution"]

    reads = (
        created["DistributionConfig"],
        cloudfront.get_distribution(Id=created["Id"])["Distribution"]["DistributionConfig"],
        cloudfront.get_distribution_config(Id=created["Id"])["DistributionConfig"],
    )
    for config in reads:
        assert site_settings(config) == site_settings(sent)
    # A DistributionSummary has every member of the config but DefaultRootObject.
    summary = cloudfront.list_distributions()["DistributionList"]["Items"][0]
    assert site_settings({**summary, "DefaultRootObject": "index.html"}) == site_settings(sent)

    current = cloudfront.get_distribution_config(Id=created["Id"])
    changed = current["DistributionConfig"]
    changed.update(PriceClass="PriceClass_200", HttpVersion="http2", IsIPV6Enabled=False, DefaultRootObject="home.html")
    changed["Aliases"] = {"Quantity": 1, "Items": ["creator1.example"]}
    changed["DefaultCacheBehavior"]["Compress"] = False
    changed["CustomErrorResponses"] = {"Quantity": 1, "Items": ERROR_RESPONSES["Items"][1:]}
    cloudfront.update_distribution(Id=created["Id"], IfMatch=current["ETag"], DistributionConfig=changed)

    assert site_settings(cloudfront.get_distribution_config(Id=created["Id"])["DistributionConfig"]) == site_settings(
        changed
    )


def test_reset_forgets_policies(aws, cloudfront):
    policy, unused_etag = create_policy(cloudfront)

    aws.reset_state()

    assert cloudfront.list_response_headers_policies()["ResponseHeadersPolicyList"]["Quantity"] == 0
    with aws_error("NoSuchResponseHeadersPolicy"):
        cloudfront.get_response_headers_policy(Id=policy["Id"])


def test_accounts_are_isolated(aws_client):
    first, second = clients_in_accounts(aws_client, "cloudfront", "us-east-1")
    policy, unused_etag = create_policy(first)
    create_policy(second)  # the same name in another account

    assert first.list_response_headers_policies()["ResponseHeadersPolicyList"]["Quantity"] == 1
    assert second.list_response_headers_policies()["ResponseHeadersPolicyList"]["Quantity"] == 1
    with aws_error("NoSuchResponseHeadersPolicy"):
        second.get_response_headers_policy(Id=policy["Id"])
    with aws_error("NoSuchResponseHeadersPolicy"):
        second.create_distribution(DistributionConfig=site_distribution(policy["Id"]))
