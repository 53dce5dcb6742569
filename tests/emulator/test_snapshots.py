# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots of the emulator's state (test tooling): a restore brings back exactly what was saved, in every
account, whatever was written, deleted or reset since, and can be done again and again."""

import json
import urllib.error
import urllib.request

import pytest

from . import ACCOUNTS
from . import assumed_role
from . import aws_error

REGION = "eu-central-1"
BUCKET = "creatorcloud-snapshot-site"
TABLE = "Profiles"


def s3_in(aws_client, account):
    return aws_client("s3", REGION, **assumed_role(aws_client, account))


def make_bucket(s3, name=BUCKET):
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})


def body(s3, key, bucket=BUCKET):
    return s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")["Body"].read()


def keys(s3, bucket=BUCKET):
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def post(aws, path):
    request = urllib.request.Request(f"{aws.endpoint_url}/_creatorcloud/snapshots{path}", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def forget_all(aws):
    request = urllib.request.Request(f"{aws.endpoint_url}/_creatorcloud/snapshots", method="DELETE")
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture
def saved(aws):
    """Forget every snapshot after the test (they outlive moto's reset)."""
    yield aws
    forget_all(aws)


def test_objects_come_back_with_their_bodies_after_overwrites_deletes_and_a_reset(saved, aws_client):
    s3 = s3_in(aws_client, ACCOUNTS[0])
    make_bucket(s3)
    s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"<h1>home</h1>", ChecksumAlgorithm="CRC32")
    s3.put_object(Bucket=BUCKET, Key="about.html", Body=b"<h1>about</h1>")
    saved.save_state("site")

    s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"<h1>changed</h1>", ChecksumAlgorithm="CRC32")
    s3.delete_object(Bucket=BUCKET, Key="about.html")
    s3.put_object(Bucket=BUCKET, Key="new.html", Body=b"new")
    saved.reset_state()  # moto's reset closes the buffers of every object it knows
    saved.restore_state("site")

    assert keys(s3) == ["about.html", "index.html"]
    assert body(s3, "index.html") == b"<h1>home</h1>"  # the stored CRC32 matches the body again
    assert body(s3, "about.html") == b"<h1>about</h1>"


def test_a_bucket_made_after_the_snapshot_is_gone_and_its_name_free_in_every_account(saved, aws_client):
    first, second = (s3_in(aws_client, account) for account in ACCOUNTS)
    make_bucket(first)
    saved.save_state("one-bucket")

    make_bucket(first, "creatorcloud-snapshot-later")
    saved.restore_state("one-bucket")

    assert [bucket["Name"] for bucket in first.list_buckets()["Buckets"]] == [BUCKET]
    make_bucket(second, "creatorcloud-snapshot-later")  # S3's names are global: the name is free again
    assert [bucket["Name"] for bucket in second.list_buckets()["Buckets"]] == ["creatorcloud-snapshot-later"]
    with aws_error("BucketAlreadyExists"):
        make_bucket(second)  # and the restored one is still taken


def test_tables_parameters_and_pools_are_restored_and_a_snapshot_serves_again_and_again(saved, aws_client):
    dynamodb = aws_client("dynamodb", REGION, **assumed_role(aws_client, ACCOUNTS[1]))
    ssm = aws_client("ssm", REGION, **assumed_role(aws_client, ACCOUNTS[1]))
    cognito = aws_client("cognito-idp", REGION, **assumed_role(aws_client, ACCOUNTS[1]))
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName=TABLE, Item={"userId": {"S": "fan-1"}})
    ssm.put_parameter(Name="/creatorcloud/restore", Value="off", Type="String")
    pool = cognito.create_user_pool(PoolName="fans")["UserPool"]["Id"]
    saved.save_state("profiles")

    for attempt in range(2):
        dynamodb.put_item(TableName=TABLE, Item={"userId": {"S": f"fan-{attempt + 2}"}})
        ssm.put_parameter(Name="/creatorcloud/restore", Value="on", Type="String", Overwrite=True)
        cognito.delete_user_pool(UserPoolId=pool)
        saved.restore_state("profiles")

        assert [item["userId"]["S"] for item in dynamodb.scan(TableName=TABLE)["Items"]] == ["fan-1"]
        assert ssm.get_parameter(Name="/creatorcloud/restore")["Parameter"]["Value"] == "off"
        assert [p["Id"] for p in cognito.list_user_pools(MaxResults=10)["UserPools"]] == [pool]


def test_the_call_log_is_empty_after_a_restore(saved, aws_client):
    make_bucket(s3_in(aws_client, ACCOUNTS[0]))
    saved.save_state("calls")
    saved.restore_state("calls")

    assert saved.calls()["calls"] == []


def test_saved_names_are_listed_an_unknown_one_is_refused_and_a_delete_forgets_them(saved):
    post(saved, "/first")
    post(saved, "/second")
    with urllib.request.urlopen(f"{saved.endpoint_url}/_creatorcloud/snapshots", timeout=10) as response:
        assert json.loads(response.read()) == {"snapshots": ["first", "second"]}

    with pytest.raises(urllib.error.HTTPError) as refused:
        post(saved, "/third/restore")
    assert refused.value.code == 404
    assert "third" in json.loads(refused.value.read())["message"]

    forget_all(saved)
    with pytest.raises(urllib.error.HTTPError) as forgotten:
        post(saved, "/first/restore")
    assert forgotten.value.code == 404
