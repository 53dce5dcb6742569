# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The policy documents and header settings the website slice plans, and its DNS records."""

import re

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.account.creator_key import desired_key_policy
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import desired_bucket_policy
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import desired_encryption
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.bucket import kms_key_arn_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import validation_records
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import (
    CONTENT_SECURITY_POLICY,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import CSP_DIRECTIVES
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import connect_source_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import (
    desired_headers_policy_config,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import policy_differs
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.records import CLOUDFRONT_ZONE_ID
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.records import alias_records
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.records import conflicting_records
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.records import records_to_write

ACCOUNT = "123456789012"
BUCKET = f"creatorcloud-creator1-site-{ACCOUNT}"
DISTRIBUTION = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1A2B3C4D5E6F7"
KEY = f"arn:aws:kms:eu-central-1:{ACCOUNT}:key/0f580c37-2bde-44cd-b781-5f16aa843aff"


def statement(policy, sid):
    return next(s for s in policy["Statement"] if s["Sid"] == sid)


def test_only_the_distribution_may_read_the_bucket():
    policy = desired_bucket_policy(BUCKET, DISTRIBUTION)

    allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Sid": "AllowTheSiteDistributionToRead",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": DISTRIBUTION}},
        }
    ]
    deny = statement(policy, "DenyInsecureTransport")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny["Resource"] == [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]


def test_the_bucket_encrypts_with_the_creators_key():
    [rule] = desired_encryption(KEY)["Rules"]

    assert rule == {
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY},
        "BucketKeyEnabled": True,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (KEY, None),
        ("alias/creatorcloud/creator1", "is not a KMS key ARN"),
        ("", "is not a KMS key ARN"),
        (KEY.replace("eu-central-1", "us-east-1"), "S3 needs a key in the bucket's region eu-central-1"),
        (KEY.replace(ACCOUNT, "210987654321"), "not of the creator's account 123456789012"),
    ],
)
def test_the_key_must_be_in_the_bucket_region_and_the_creators_account(value, expected):
    error = kms_key_arn_error("kms_key_arn", value, "eu-central-1", ACCOUNT)

    assert error is None if expected is None else expected in error


def test_the_key_policy_lets_the_account_administer_and_cloudfront_decrypt():
    policy = desired_key_policy(ACCOUNT)

    root = statement(policy, "AccountAdministersTheKey")
    assert (root["Principal"], root["Action"]) == ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "kms:*")
    cloudfront = statement(policy, "CloudFrontDecryptsForTheAccountsDistributions")
    assert cloudfront["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert cloudfront["Action"] == "kms:Decrypt"
    assert cloudfront["Condition"] == {"ArnLike": {"AWS:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/*"}}


def test_the_key_policy_lets_cloudwatch_alarms_publish_to_the_encrypted_alert_topic():
    cloudwatch = statement(desired_key_policy(ACCOUNT), "CloudWatchPublishesToTheAccountsEncryptedTopics")

    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert cloudwatch["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert cloudwatch["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def test_the_security_headers():
    config = desired_headers_policy_config("creator1", "creator1.example")
    security = config["SecurityHeadersConfig"]

    assert config["Name"] == "creatorcloud-creator1-site-headers"
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert security["StrictTransportSecurity"]["IncludeSubdomains"] is True
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    assert all(value["Override"] for value in security.values())
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == CONTENT_SECURITY_POLICY
    headers = config["CustomHeadersConfig"]
    assert headers["Quantity"] == len(headers["Items"])


def test_the_content_security_policy_allows_no_other_origin():
    directives = dict(directive.split(" ", 1) for directive in CONTENT_SECURITY_POLICY.split("; "))

    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["connect-src"] == "'self'"  # without the auth feature the scripts call nothing else
    sources = " ".join(directives.values()).split()
    assert set(sources) <= {"'self'", "'none'", "data:", "blob:"}
    assert directives["media-src"] == "'self' blob:"  # the player's MediaSource, nothing from elsewhere
    assert not re.search(r"unsafe-inline|unsafe-eval|https?:|\*", CONTENT_SECURITY_POLICY)
    assert len(CONTENT_SECURITY_POLICY) <= 1783  # CloudFront's limit


def test_the_scripts_may_connect_to_the_api_and_cognito_only():
    api = "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com"
    cognito = "https://cognito-idp.eu-central-1.amazonaws.com"
    config = desired_headers_policy_config("creator1", "creator1.example", [cognito, api, api])
    policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    directives = dict(directive.split(" ", 1) for directive in policy.split("; "))

    assert directives["connect-src"] == f"'self' {api} {cognito}"
    assert {name: value for name, value in directives.items() if name != "connect-src"} == {
        name: value for name, value in CSP_DIRECTIVES if name != "connect-src"
    }


def test_the_live_page_may_connect_to_ivs_playback_and_chat():
    playback, chat = "https://*.live-video.net", "wss://edge.ivschat.eu-central-1.amazonaws.com"
    config = desired_headers_policy_config("creator1", "creator1.example", [chat, playback])
    policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    directives = dict(directive.split(" ", 1) for directive in policy.split("; "))

    assert directives["connect-src"] == f"'self' {playback} {chat}"
    # Without MediaSource (older iPhones) the video element itself loads the playback hosts.
    assert directives["media-src"] == f"'self' blob: {playback}"


@pytest.mark.parametrize(
    "origin",
    [
        "http://api.example",
        "ws://edge.ivschat.eu-central-1.amazonaws.com",
        "https://*.net",
        "https://*",
        "https://live.*.net",
        "https://api.example/path",
        "wss://edge.example/socket",
        "api.example",
    ],
)
def test_a_connect_source_must_be_an_https_or_wss_origin(origin):
    assert connect_source_error("connect_sources[0]", origin) == (
        f"connect_sources[0] {origin!r} is not an https or wss origin like "
        "https://abc123.execute-api.eu-central-1.amazonaws.com"
    )


@pytest.mark.parametrize(
    "origin",
    [
        "https://cognito-idp.eu-central-1.amazonaws.com",
        "https://*.live-video.net",
        "wss://edge.ivschat.eu-central-1.amazonaws.com",
        "https://api.example:8443",
    ],
)
def test_https_and_wss_origins_are_connect_sources(origin):
    assert connect_source_error("connect_sources[0]", origin) is None


def test_a_policy_that_sets_extra_headers_differs():
    desired = desired_headers_policy_config("creator1", "creator1.example")
    with_cors = {
        **desired,
        "CorsConfig": {"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*"]}, "OriginOverride": True},
    }
    with_xss = {
        **desired,
        "SecurityHeadersConfig": {
            **desired["SecurityHeadersConfig"],
            "XSSProtection": {"Override": True, "Protection": True},
        },
    }

    assert not policy_differs(desired, desired)
    assert policy_differs(with_cors, desired)
    assert policy_differs(with_xss, desired)


def test_alias_records_point_apex_and_www_to_the_distribution():
    records = alias_records("creator1.example", "d111111abcdef8.cloudfront.net")

    assert [(r["Type"], r["Name"]) for r in records] == [
        ("A", "creator1.example."),
        ("AAAA", "creator1.example."),
        ("A", "www.creator1.example."),
        ("AAAA", "www.creator1.example."),
    ]
    for record in records:
        assert record["AliasTarget"] == {
            "HostedZoneId": CLOUDFRONT_ZONE_ID,
            "DNSName": "d111111abcdef8.cloudfront.net.",
            "EvaluateTargetHealth": False,
        }


def test_only_missing_or_different_records_are_written():
    desired = alias_records("creator1.example", "d111111abcdef8.cloudfront.net")
    current = alias_records("Creator1.Example.", "D111111ABCDEF8.cloudfront.net")[:3]  # same, but case and dots
    current[0] = alias_records("creator1.example", "d999.cloudfront.net")[0]

    assert records_to_write(current, desired) == [desired[0], desired[3]]
    assert records_to_write(desired, desired) == []


def test_a_cname_where_an_alias_goes_is_a_conflict():
    desired = alias_records("creator1.example", "d111111abcdef8.cloudfront.net")
    cname = {"Name": "www.creator1.example.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "x."}]}

    assert conflicting_records([cname], desired) == [cname]
    assert conflicting_records([cname], []) == []


def test_validation_records_from_the_certificate():
    option = {"ResourceRecord": {"Name": "_a1.Creator1.example.", "Type": "CNAME", "Value": "_b2.acm-validations.aws."}}
    certificate = {"DomainValidationOptions": [option, option, {"DomainName": "www.creator1.example"}]}

    assert validation_records(certificate) == [
        {
            "Name": "_a1.creator1.example.",
            "Type": "CNAME",
            "TTL": 300,
            "ResourceRecords": [{"Value": "_b2.acm-validations.aws."}],
        }
    ]
