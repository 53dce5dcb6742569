# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bucket policy statements with conditions: applied only when their conditions hold."""

import json

import pytest

BUCKET = "creatorcloud-creator1-site-123456789012"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def deny(condition):
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
        "Condition": condition,
    }


@pytest.fixture
def s3(aws_client):
    client = aws_client("s3", region="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    return client


def test_a_deny_of_insecure_transport_lets_the_owner_write(s3):
    s3.put_bucket_policy(Bucket=BUCKET, Policy=policy(deny({"Bool": {"aws:SecureTransport": "false"}})))

    s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"<h1>hi</h1>")

    assert s3.get_object(Bucket=BUCKET, Key="index.html")["Body"].read() == b"<h1>hi</h1>"


def test_a_deny_whose_condition_holds_still_denies(s3):
    s3.put_bucket_policy(Bucket=BUCKET, Policy=policy(deny({"Bool": {"aws:SecureTransport": "true"}})))

    with pytest.raises(s3.exceptions.ClientError) as error:
        s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"x")

    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_an_unconditional_deny_denies(s3):
    statement = deny({})
    del statement["Condition"]
    s3.put_bucket_policy(Bucket=BUCKET, Policy=policy(statement))

    with pytest.raises(s3.exceptions.ClientError) as error:
        s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"x")

    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
