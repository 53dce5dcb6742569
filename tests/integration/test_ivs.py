# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live streaming slice on the emulator: roles config, account and ivs for creator1.

Every property is read back with boto3 inside the creator's own account (by assuming the creator
role there); the call log proves that no-op runs and check mode write nothing, that a tier change
writes only UpdateChannel, a retention change only the lifecycle rule, and a rotation exactly the
three calls it needs. The stream key's value is searched for in the whole output of the runs.
"""

import json

import pytest
from botocore.stub import Stubber

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.stream_key import ensure_stream_key

PLAYBOOK = "tests/integration/playbooks/ivs.yml"
CREATOR = "creator1"
REGION = "eu-central-1"
CHANNEL = f"creatorcloud-{CREATOR}-live"
RECORDINGS = f"creatorcloud-{CREATOR}-recordings"
SECRET = f"creatorcloud/{CREATOR}/stream-key"
SLICE_SERVICES = ("ivs", "s3", "secretsmanager")
TAGS = {"creatorcloud:creator": CREATOR, "creatorcloud:component": "ivs", "cost-center": "creators-eu"}


def extra_vars(**variables):
    """Playbook arguments that set variables (JSON, so numbers and booleans keep their types)."""
    return ("-e", json.dumps(variables))


@pytest.fixture
def account(creator1_account):
    """creator1's account and key, without live streaming yet: (account id, key ARN); the call log is empty."""
    return creator1_account


@pytest.fixture
def clients(account, creator_client):
    """IVS, S3 and Secrets Manager clients inside creator1's account, by service name."""
    return {service: creator_client(account[0], service) for service in ("ivs", "s3", "secretsmanager")}


@pytest.fixture
def streaming(account, converged):
    """creator1 with its live streaming; returns the run, and leaves the call log empty."""
    return converged("creator1-streaming", PLAYBOOK, "-vvv")


def module_result(run):
    [result] = run.results(CREATOR, action="creatorcloud.platform.ivs")
    return result


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def stored_secret(clients):
    return json.loads(clients["secretsmanager"].get_secret_value(SecretId=SECRET)["SecretString"])


def find_channel(ivs):
    [summary] = ivs.list_channels(filterByName=CHANNEL)["channels"]
    return ivs.get_channel(arn=summary["arn"])["channel"]


def assert_no_stream_key_in(run, value):
    """The key's value is nowhere in the run's output: results, diffs, warnings, -vvv logging."""
    assert value not in json.dumps(run.output)
    assert value not in run.stderr


def test_check_mode_plans_everything_without_writing(account, run_playbook, aws, clients):
    run = run_playbook(PLAYBOOK, "--check", "--diff")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"] is True
    assert f"create IVS channel {CHANNEL} (BASIC, low latency)" in result["changes"]
    assert f"store the stream key in secret {SECRET}" in result["changes"]
    assert aws.calls()["writes"] == 0
    assert clients["ivs"].list_channels()["channels"] == []


def test_live_streaming_has_every_property(streaming, account, clients):
    account_id, key_arn = account
    bucket = f"creatorcloud-{CREATOR}-rec-{account_id}"
    ivs, s3 = clients["ivs"], clients["s3"]
    channel = find_channel(ivs)
    assert (channel["type"], channel["latencyMode"], channel["authorized"]) == ("BASIC", "LOW", False)
    assert channel["tags"] == TAGS

    recording = ivs.get_recording_configuration(arn=channel["recordingConfigurationArn"])["recordingConfiguration"]
    assert recording["name"] == RECORDINGS
    assert recording["destinationConfiguration"] == {"s3": {"bucketName": bucket}}
    thumbnails = recording["thumbnailConfiguration"]
    assert (thumbnails["recordingMode"], thumbnails["targetIntervalSeconds"]) == ("INTERVAL", 60)
    assert sorted(thumbnails["storage"]) == ["LATEST", "SEQUENTIAL"]
    assert recording["tags"] == TAGS

    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    [rule] = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    assert rule["BucketKeyEnabled"] is True
    [lifecycle] = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert (lifecycle["ID"], lifecycle["Status"], lifecycle["Expiration"]) == (
        "expire-recordings",
        "Enabled",
        {"Days": 30},
    )
    [statement] = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert (statement["Effect"], statement["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})
    tags = {tag["Key"]: tag["Value"] for tag in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    assert tags == TAGS

    [key] = ivs.list_stream_keys(channelArn=channel["arn"])["streamKeys"]
    secret = clients["secretsmanager"].describe_secret(SecretId=SECRET)
    assert secret["KmsKeyId"] == key_arn
    stored = stored_secret(clients)
    assert sorted(stored) == ["channel_arn", "ingest_server", "stream_key", "stream_key_arn"]
    value = ivs.get_stream_key(arn=key["arn"])["streamKey"]["value"]
    assert stored["stream_key"] == value
    assert stored["stream_key_arn"] == key["arn"]
    assert stored["channel_arn"] == channel["arn"]
    assert stored["ingest_server"] == f"rtmps://{channel['ingestEndpoint']}:443/app/"

    result = module_result(streaming)
    assert result["ivs"] == {
        "channel_arn": channel["arn"],
        "playback_url": channel["playbackUrl"],
        "ingest_server": stored["ingest_server"],
        "recording_configuration_arn": recording["arn"],
        "recordings_bucket": bucket,
        "stream_key_arn": key["arn"],
        "stream_key_secret_arn": secret["ARN"],
        "stream_key_secret_name": SECRET,
    }
    assert_no_stream_key_in(streaming, value)


def test_second_run_and_check_mode_write_nothing(streaming, run_playbook, aws, clients):
    for args in (("--diff",), ("--check", "--diff")):
        run = run_playbook(PLAYBOOK, *args)
        assert run.returncode == 0, run.failure_messages(CREATOR)
        result = module_result(run)
        assert (result["changed"], result["changes"]) == (False, [])
        assert aws.calls()["writes"] == 0
        slice_reads = [call["operation"] for call in aws.calls()["calls"] if call["service"] in SLICE_SERVICES]
        # About one read per resource, and the key's value is not read from IVS when the secret holds it.
        assert len(slice_reads) == 14 and "GetStreamKey" not in slice_reads
        aws.reset_calls()
    facts = {}
    for result in run.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    assert facts["ivs_ingest_server"].startswith("rtmps://")
    assert facts["ivs_playback_url"] == find_channel(clients["ivs"])["playbackUrl"]


def test_tier_change_updates_only_the_channel(streaming, run_playbook, aws, clients):
    run = run_playbook(PLAYBOOK, "--diff", *extra_vars(creator_tier="medium"))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert writes(aws.calls()) == [("ivs", "UpdateChannel")]
    assert find_channel(clients["ivs"])["type"] == "STANDARD"


def test_retention_change_puts_only_the_lifecycle_rule(streaming, account, run_playbook, aws, clients):
    run = run_playbook(PLAYBOOK, *extra_vars(creator_recordings_retention_days=7))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert writes(aws.calls()) == [("s3", "PutBucketLifecycleConfiguration")]
    bucket = f"creatorcloud-{CREATOR}-rec-{account[0]}"
    [rule] = clients["s3"].get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert rule["Expiration"] == {"Days": 7}


def test_rotation_replaces_the_key_and_never_prints_it(streaming, run_playbook, aws, clients):
    old = stored_secret(clients)
    run = run_playbook("playbooks/rotate_stream_key.yml", "-l", CREATOR, "-vvv", "--diff")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert writes(aws.calls()) == [
        ("ivs", "DeleteStreamKey"),
        ("ivs", "CreateStreamKey"),
        ("secretsmanager", "PutSecretValue"),
    ]
    new = stored_secret(clients)
    keys = [key["arn"] for key in clients["ivs"].list_stream_keys(channelArn=new["channel_arn"])["streamKeys"]]
    assert keys == [new["stream_key_arn"]] and new["stream_key_arn"] != old["stream_key_arn"]
    assert new["stream_key"] != old["stream_key"]
    assert_no_stream_key_in(run, new["stream_key"])
    assert_no_stream_key_in(run, old["stream_key"])


def test_show_stream_key_prints_it_only_after_confirmation(streaming, run_playbook, clients):
    stored = stored_secret(clients)
    refused = run_playbook("playbooks/show_stream_key.yml", "-l", CREATOR, *extra_vars(show_stream_key_confirm="no"))
    assert refused.returncode != 0
    assert_no_stream_key_in(refused, stored["stream_key"])
    shown = run_playbook("playbooks/show_stream_key.yml", "-l", CREATOR, *extra_vars(show_stream_key_confirm=CREATOR))
    assert shown.returncode == 0, shown.failure_messages(CREATOR)
    assert stored["stream_key"] in json.dumps(shown.output)


def test_a_failed_secret_write_does_not_leak_the_key(aws_client):
    """The emulator cannot refuse PutSecretValue on demand, so botocore's Stubber plays AWS here."""
    secrets = aws_client("secretsmanager")
    value = "sk_eu-central-1_SECRETVALUEthatMustNotLeak"
    concealed = []
    with Stubber(secrets) as stub:
        stub.add_client_error("put_secret_value", "AccessDeniedException", "not allowed", 400)
        request = {
            "creator": CREATOR,
            "channel_arn": "arn:aws:ivs:eu-central-1:123456789012:channel/AbCdEfGhIjKl",
            "key_arns": [],
            "created_key": {"arn": "arn:aws:ivs:eu-central-1:123456789012:stream-key/AbCd", "value": value},
            "rotate": False,
            "ingest_server": "rtmps://ingest.example.com:443/app/",
            "kms_key_arn": "arn:aws:kms:eu-central-1:123456789012:key/k",
            "tags": {},
            "purge_tags": True,
        }
        secret = {
            "arn": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:x",
            "name": SECRET,
            "kms_key_id": request["kms_key_arn"],
            "deleted": False,
            "tags": {},
            "record": {},
        }
        with pytest.raises(ConvergeError) as failure:
            ensure_stream_key((None, secrets), Changes(False), secret, request, concealed.append)
    assert concealed == [value]
    error = failure.value
    assert value not in error.message and value not in repr(error.changes) and value not in str(error.exception)


def test_a_changed_recording_configuration_is_replaced(streaming, account, run_playbook, aws, clients):
    """AWS cannot update a recording configuration: one that differs is created anew, switched to, deleted."""
    ivs = clients["ivs"]
    channel = find_channel(ivs)
    bucket = f"creatorcloud-{CREATOR}-rec-{account[0]}"
    stale = ivs.create_recording_configuration(
        name=RECORDINGS,
        destinationConfiguration={"s3": {"bucketName": bucket}},
        thumbnailConfiguration={"recordingMode": "DISABLED"},
    )["recordingConfiguration"]["arn"]
    ivs.update_channel(arn=channel["arn"], recordingConfigurationArn=stale)
    ivs.delete_recording_configuration(arn=channel["recordingConfigurationArn"])
    aws.reset_calls()

    run = run_playbook(PLAYBOOK)
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert writes(aws.calls()) == [
        ("ivs", "CreateRecordingConfiguration"),
        ("ivs", "UpdateChannel"),
        ("ivs", "DeleteRecordingConfiguration"),
    ]
    [kept] = ivs.list_recording_configurations()["recordingConfigurations"]
    assert find_channel(ivs)["recordingConfigurationArn"] == kept["arn"] != stale


def test_bad_retention_fails_naming_it_before_any_write(account, run_playbook, aws):
    run = run_playbook(PLAYBOOK, *extra_vars(creator_recordings_retention_days=0))
    assert run.returncode != 0
    [message] = run.failure_messages(CREATOR)
    assert "creator creator1" in message and "recordings_retention_days 0 is not between 1 and 3650" in message
    assert aws.calls()["writes"] == 0
