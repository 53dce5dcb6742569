# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFront distributions keep their origins' OriginAccessControlId and the ViewerCertificate as sent."""

import pytest

from . import aws_error
from . import clients_in_accounts

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b"
ACM_VIEWER_CERTIFICATE = {
    "ACMCertificateArn": CERTIFICATE,
    "SSLSupportMethod": "sni-only",
    "MinimumProtocolVersion": "TLSv1.2_2021",
    "CloudFrontDefaultCertificate": False,
}


@pytest.fixture
def cloudfront(aws_client):
    return aws_client("cloudfront", "us-east-1")


def origin_access_control(cloudfront, name):
    config = {
        "Name": name,
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }
    return cloudfront.create_origin_access_control(OriginAccessControlConfig=config)["OriginAccessControl"]["Id"]


def distribution_config(oac, viewer_certificate, reference="creator"):
    return {
        "CallerReference": reference,
        "Comment": "creator media",
        "Enabled": True,
        "Aliases": {"Quantity": 1, "Items": ["media.example.com"]},
        "Origins": {
            "Quantity": 2,
            "Items": [
                {
                    "Id": "media",
                    "DomainName": "creator-media.s3.eu-central-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": oac,
                },
                {
                    "Id": "api",
                    "DomainName": "api.example.com",
                    "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
                },
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "media",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
        "ViewerCertificate": viewer_certificate,
    }


def assert_as_sent(config, oac, viewer_certificate):
    media, api = config["Origins"]["Items"]
    assert media["OriginAccessControlId"] == oac
    assert media["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert api["OriginAccessControlId"] == ""
    assert {key: config["ViewerCertificate"].get(key) for key in viewer_certificate} == viewer_certificate


def test_every_read_returns_the_origin_access_control_and_certificate(cloudfront):
    oac = origin_access_control(cloudfront, "media")
    created = cloudfront.create_distribution(DistributionConfig=distribution_config(oac, ACM_VIEWER_CERTIFICATE))
    distribution_id = created["Distribution"]["Id"]

    summary = cloudfront.list_distributions()["DistributionList"]["Items"][0]
    for config in (
        created["Distribution"]["DistributionConfig"],
        cloudfront.get_distribution(Id=distribution_id)["Distribution"]["DistributionConfig"],
        cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"],
        summary,
    ):
        assert_as_sent(config, oac, ACM_VIEWER_CERTIFICATE)
        assert "IAMCertificateId" not in config["ViewerCertificate"]
        assert (config["ViewerCertificate"]["CertificateSource"], config["ViewerCertificate"]["Certificate"]) == (
            "acm",
            CERTIFICATE,
        )


def test_an_acm_certificate_alone_is_not_the_default_certificate(cloudfront):
    oac = origin_access_control(cloudfront, "media")
    certificate = {"ACMCertificateArn": CERTIFICATE, "SSLSupportMethod": "sni-only"}

    created = cloudfront.create_distribution(DistributionConfig=distribution_config(oac, certificate))

    assert created["Distribution"]["DistributionConfig"]["ViewerCertificate"]["CloudFrontDefaultCertificate"] is False


def test_update_distribution_round_trips_them(cloudfront):
    first, second = origin_access_control(cloudfront, "first"), origin_access_control(cloudfront, "second")
    created = cloudfront.create_distribution(DistributionConfig=distribution_config(first, ACM_VIEWER_CERTIFICATE))
    distribution_id = created["Distribution"]["Id"]

    current = cloudfront.get_distribution_config(Id=distribution_id)
    config = current["DistributionConfig"]
    config["Origins"]["Items"][0]["OriginAccessControlId"] = second
    config["ViewerCertificate"] = {"CloudFrontDefaultCertificate": True}
    updated = cloudfront.update_distribution(Id=distribution_id, IfMatch=current["ETag"], DistributionConfig=config)

    for read in (
        updated["Distribution"]["DistributionConfig"],
        cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"],
    ):
        assert_as_sent(read, second, {"CloudFrontDefaultCertificate": True})
        assert read["ViewerCertificate"]["CertificateSource"] == "cloudfront"
        assert "ACMCertificateArn" not in read["ViewerCertificate"]

    current = cloudfront.get_distribution_config(Id=distribution_id)
    config = current["DistributionConfig"]
    config["ViewerCertificate"] = ACM_VIEWER_CERTIFICATE
    cloudfront.update_distribution(Id=distribution_id, IfMatch=current["ETag"], DistributionConfig=config)
    assert_as_sent(
        cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"], second, ACM_VIEWER_CERTIFICATE
    )


def test_reset_forgets_everything(aws, cloudfront):
    oac = origin_access_control(cloudfront, "media")
    distribution_id = cloudfront.create_distribution(
        DistributionConfig=distribution_config(oac, ACM_VIEWER_CERTIFICATE)
    )["Distribution"]["Id"]

    aws.reset_state()

    assert cloudfront.list_distributions()["DistributionList"]["Quantity"] == 0
    with aws_error("NoSuchDistribution"):
        cloudfront.get_distribution(Id=distribution_id)


def test_accounts_are_isolated(aws_client):
    first, second = clients_in_accounts(aws_client, "cloudfront", "us-east-1")
    oac = origin_access_control(first, "media")
    distribution_id = first.create_distribution(DistributionConfig=distribution_config(oac, ACM_VIEWER_CERTIFICATE))[
        "Distribution"
    ]["Id"]

    assert first.list_distributions()["DistributionList"]["Quantity"] == 1
    assert second.list_distributions()["DistributionList"]["Quantity"] == 0
    with aws_error("NoSuchDistribution"):
        second.get_distribution(Id=distribution_id)
