# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's call log: every AWS call named by its operation, as a read or a write, per account."""

import pytest

from creatorcloud_emulator.call_log import classify

MANAGEMENT = "123456789012"


@pytest.mark.parametrize(
    ("operation", "kind"),
    [
        ("ListAccounts", "read"),
        ("DescribeOrganization", "read"),
        ("GetBucketPolicy", "read"),
        ("HeadObject", "read"),
        ("BatchGetStreamKey", "read"),
        ("AssumeRole", "read"),
        ("CreateAccount", "write"),
        ("PutBucketPolicy", "write"),
        ("TagResource", "write"),
        ("UpdateDistribution", "write"),
        ("CreateChatToken", "write"),
    ],
)
def test_operations_are_classified(operation, kind):
    assert classify(operation) == kind


def operations(aws):
    return [(c["service"], c["operation"], c["kind"]) for c in aws.calls()["calls"]]


def test_json_query_and_rest_calls_are_named(aws, aws_client):
    aws_client("organizations", region="us-east-1").create_organization(FeatureSet="ALL")  # JSON, X-Amz-Target
    aws_client("sts").get_caller_identity()  # query protocol, Action in the body
    s3 = aws_client("s3", region="us-east-1")  # REST: method, path and query keys
    s3.create_bucket(Bucket="site")
    s3.put_bucket_versioning(Bucket="site", VersioningConfiguration={"Status": "Enabled"})
    s3.get_bucket_versioning(Bucket="site")
    s3.put_object(Bucket="site", Key="assets/app.js", Body=b"x")
    aws_client("cloudfront").list_distributions()
    aws_client("ivs").list_channels()  # REST with POST for reads

    assert operations(aws) == [
        ("organizations", "CreateOrganization", "write"),
        ("sts", "GetCallerIdentity", "read"),
        ("s3", "CreateBucket", "write"),
        ("s3", "PutBucketVersioning", "write"),
        ("s3", "GetBucketVersioning", "read"),
        ("s3", "PutObject", "write"),
        ("cloudfront", "ListDistributions", "read"),
        ("ivs", "ListChannels", "read"),
    ]
    assert aws.calls()["reads"] == 4
    assert aws.calls()["writes"] == 4


def test_calls_name_the_account_that_made_them(aws, aws_client):
    sts = aws_client("sts")
    credentials = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/Any", RoleSessionName="test")["Credentials"]
    member = aws_client(
        "sts",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )

    member.get_caller_identity()

    assert [c["account"] for c in aws.calls()["calls"]] == [MANAGEMENT, "111111111111"]


def test_the_log_is_cleared_on_request(aws, aws_client):
    aws_client("sts").get_caller_identity()

    aws.reset_calls()

    assert aws.calls() == {"reads": 0, "writes": 0, "calls": []}
