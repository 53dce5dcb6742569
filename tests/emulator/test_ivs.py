# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IVS stream keys, recording configurations and tags (moto has channels only)."""

import re

import pytest

from . import aws_error
from . import clients_in_accounts

REGION = "eu-central-1"
UNKNOWN_KEY = f"arn:aws:ivs:{REGION}:123456789012:stream-key/AbCdEfGhIjKl"
UNKNOWN_CHANNEL = f"arn:aws:ivs:{REGION}:123456789012:channel/AbCdEfGhIjKl"
UNKNOWN_RECORDING = f"arn:aws:ivs:{REGION}:123456789012:recording-configuration/AbCdEfGhIjKl"


@pytest.fixture
def ivs(aws_client):
    return aws_client("ivs", REGION)


def recording_configuration(ivs, **extra):
    return ivs.create_recording_configuration(
        name="vod", destinationConfiguration={"s3": {"bucketName": "creator-vod"}}, **extra
    )["recordingConfiguration"]


def test_create_channel_creates_and_stores_its_stream_key(ivs):
    created = ivs.create_channel(name="live", tags={"creator": "ada"})
    channel, key = created["channel"], created["streamKey"]

    assert re.fullmatch(rf"arn:aws:ivs:{REGION}:123456789012:stream-key/[a-zA-Z0-9]+", key["arn"])
    assert key["value"].startswith(f"sk_{REGION}_") and len(key["value"]) > len(f"sk_{REGION}_") + 8
    assert key["channelArn"] == channel["arn"]
    assert ivs.get_stream_key(arn=key["arn"])["streamKey"] == key
    summaries = ivs.list_stream_keys(channelArn=channel["arn"])["streamKeys"]
    assert summaries == [{"arn": key["arn"], "channelArn": channel["arn"], "tags": {"creator": "ada"}}]
    assert ivs.get_channel(arn=channel["arn"])["channel"]["tags"] == {"creator": "ada"}


def test_stream_key_lifecycle(ivs):
    channel = ivs.create_channel(name="live")["channel"]["arn"]
    first = ivs.list_stream_keys(channelArn=channel)["streamKeys"][0]["arn"]

    with aws_error("ServiceQuotaExceededException", 402):
        ivs.create_stream_key(channelArn=channel)
    ivs.delete_stream_key(arn=first)
    second = ivs.create_stream_key(channelArn=channel, tags={"rotated": "yes"})["streamKey"]

    assert second["arn"] != first and second["tags"] == {"rotated": "yes"}
    batch = ivs.batch_get_stream_key(arns=[second["arn"], first])
    assert [key["value"] for key in batch["streamKeys"]] == [second["value"]]
    assert [(error["arn"], error["code"]) for error in batch["errors"]] == [(first, "ResourceNotFoundException")]

    ivs.delete_channel(arn=channel)
    with aws_error("ResourceNotFoundException", 404):
        ivs.get_stream_key(arn=second["arn"])


@pytest.mark.parametrize(
    "call",
    [
        lambda ivs: ivs.get_stream_key(arn=UNKNOWN_KEY),
        lambda ivs: ivs.delete_stream_key(arn=UNKNOWN_KEY),
        lambda ivs: ivs.create_stream_key(channelArn=UNKNOWN_CHANNEL),
        lambda ivs: ivs.list_stream_keys(channelArn=UNKNOWN_CHANNEL),
        lambda ivs: ivs.get_recording_configuration(arn=UNKNOWN_RECORDING),
        lambda ivs: ivs.delete_recording_configuration(arn=UNKNOWN_RECORDING),
        lambda ivs: ivs.create_channel(name="live", recordingConfigurationArn=UNKNOWN_RECORDING),
        lambda ivs: ivs.list_tags_for_resource(resourceArn=UNKNOWN_CHANNEL),
    ],
)
def test_unknown_resources_are_not_found(ivs, call):
    with aws_error("ResourceNotFoundException", 404):
        call(ivs)


def test_recording_configuration_round_trip(ivs):
    created = recording_configuration(
        ivs,
        tags={"team": "video"},
        thumbnailConfiguration={"recordingMode": "INTERVAL", "targetIntervalSeconds": 10, "storage": ["LATEST"]},
        recordingReconnectWindowSeconds=30,
        renditionConfiguration={"renditionSelection": "CUSTOM", "renditions": ["HD", "SD"]},
    )

    assert re.fullmatch(rf"arn:aws:ivs:{REGION}:123456789012:recording-configuration/[a-zA-Z0-9]+", created["arn"])
    assert created["state"] == "ACTIVE"
    assert created["destinationConfiguration"] == {"s3": {"bucketName": "creator-vod"}}
    assert created["thumbnailConfiguration"] == {
        "recordingMode": "INTERVAL",
        "targetIntervalSeconds": 10,
        "storage": ["LATEST"],
    }
    assert created["recordingReconnectWindowSeconds"] == 30
    assert created["renditionConfiguration"] == {"renditionSelection": "CUSTOM", "renditions": ["HD", "SD"]}
    assert ivs.get_recording_configuration(arn=created["arn"])["recordingConfiguration"] == created
    [summary] = ivs.list_recording_configurations()["recordingConfigurations"]
    assert summary == {key: created[key] for key in ("arn", "name", "destinationConfiguration", "state", "tags")}


def test_recording_configuration_defaults(ivs):
    created = ivs.create_recording_configuration(destinationConfiguration={"s3": {"bucketName": "creator-vod"}})
    configuration = created["recordingConfiguration"]

    assert configuration["name"] == ""
    assert configuration["tags"] == {}
    assert configuration["thumbnailConfiguration"] == {
        "recordingMode": "INTERVAL",
        "targetIntervalSeconds": 60,
        "storage": ["SEQUENTIAL"],
    }
    assert configuration["recordingReconnectWindowSeconds"] == 0
    assert configuration["renditionConfiguration"] == {"renditionSelection": "ALL"}


@pytest.mark.parametrize(
    "extra",
    [
        {"destinationConfiguration": {"s3": {"bucketName": "Not_A_Bucket"}}},
        {"recordingReconnectWindowSeconds": 301},
        {"thumbnailConfiguration": {"targetIntervalSeconds": 61}},
        {"name": "no spaces allowed"},
    ],
)
def test_recording_configuration_bad_input(ivs, extra):
    request = {"destinationConfiguration": {"s3": {"bucketName": "creator-vod"}}, **extra}
    with aws_error("ValidationException", 400):
        ivs.create_recording_configuration(**request)


def test_channels_take_a_recording_configuration(ivs):
    configuration = recording_configuration(ivs)["arn"]
    channel = ivs.create_channel(name="live", recordingConfigurationArn=configuration)["channel"]["arn"]
    plain = ivs.create_channel(name="plain")["channel"]["arn"]
    ivs.update_channel(arn=plain, recordingConfigurationArn=configuration)

    assert ivs.get_channel(arn=channel)["channel"]["recordingConfigurationArn"] == configuration
    assert ivs.get_channel(arn=plain)["channel"]["recordingConfigurationArn"] == configuration
    with aws_error("ConflictException", 409):
        ivs.delete_recording_configuration(arn=configuration)
    ivs.delete_channel(arn=channel)
    ivs.delete_channel(arn=plain)
    ivs.delete_recording_configuration(arn=configuration)
    assert ivs.list_recording_configurations()["recordingConfigurations"] == []


def test_tags_on_every_resource_type(ivs):
    created = ivs.create_channel(name="live", tags={"a": "1"})
    resources = [
        created["channel"]["arn"],
        created["streamKey"]["arn"],
        recording_configuration(ivs, tags={"a": "1"})["arn"],
    ]
    for arn in resources:
        ivs.tag_resource(resourceArn=arn, tags={"b": "2", "c": "3"})
        ivs.untag_resource(resourceArn=arn, tagKeys=["a", "c"])
        assert ivs.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert ivs.get_channel(arn=resources[0])["channel"]["tags"] == {"b": "2"}
    assert ivs.get_stream_key(arn=resources[1])["streamKey"]["tags"] == {"b": "2"}


def test_list_pagination(ivs):
    for _index in range(3):
        recording_configuration(ivs)
    first = ivs.list_recording_configurations(maxResults=2)
    second = ivs.list_recording_configurations(maxResults=2, nextToken=first["nextToken"])

    assert len(first["recordingConfigurations"]) == 2
    assert len(second["recordingConfigurations"]) == 1 and "nextToken" not in second
    with aws_error("ValidationException"):
        ivs.list_recording_configurations(nextToken="not-a-token")


def test_reset_forgets_everything(aws, ivs):
    channel = ivs.create_channel(name="live")
    recording_configuration(ivs)

    aws.reset_state()

    assert ivs.list_channels()["channels"] == []
    assert ivs.list_recording_configurations()["recordingConfigurations"] == []
    with aws_error("ResourceNotFoundException"):
        ivs.get_stream_key(arn=channel["streamKey"]["arn"])


def test_accounts_are_isolated(aws_client):
    first, second = clients_in_accounts(aws_client, "ivs", REGION)
    created = first.create_channel(name="live")
    configuration = recording_configuration(first)["arn"]

    assert second.list_channels()["channels"] == []
    assert second.list_recording_configurations()["recordingConfigurations"] == []
    for call in (
        lambda: second.get_stream_key(arn=created["streamKey"]["arn"]),
        lambda: second.list_stream_keys(channelArn=created["channel"]["arn"]),
        lambda: second.get_recording_configuration(arn=configuration),
    ):
        with aws_error("ResourceNotFoundException"):
            call()
    assert created["channel"]["arn"].split(":")[4] == "111111111111"
    assert [key["arn"] for key in first.list_stream_keys(channelArn=created["channel"]["arn"])["streamKeys"]] == [
        created["streamKey"]["arn"]
    ]


def test_regions_are_isolated(aws_client, ivs):
    key = ivs.create_channel(name="live")["streamKey"]["arn"]

    with aws_error("ResourceNotFoundException"):
        aws_client("ivs", "us-west-2").get_stream_key(arn=key)
