# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator_key module on the emulator: one rotating key per creator account, found by its alias.

The module runs in a creator account picked by id (assume-role works for any id in moto); everything
is read back with boto3 inside that account.
"""

import json

import pytest
import yaml

ACCOUNT = "210987654321"
ALIAS = "alias/creatorcloud/creator1"


@pytest.fixture
def run_key(aws, run_playbook, tmp_path):
    """`run_key(*args, **params)`: run creator_key for creator1 in ACCOUNT; returns its result."""

    def run(*args, **params):
        task = {
            "creatorcloud.platform.creator_key": {
                "account_id": ACCOUNT,
                "creator": "creator1",
                "region": "eu-central-1",
                "endpoint_url": aws.endpoint_url,
                "access_key": "testing",
                "secret_key": "testing",
                **params,
            }
        }
        play = {"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": [task]}
        play["vars"] = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}
        playbook = tmp_path / "key.yml"
        playbook.write_text(yaml.safe_dump([play]))
        completed = run_playbook(str(playbook), *args, inventory="localhost,")
        [result] = completed.results("localhost", action="creatorcloud.platform.creator_key")
        return result

    return run


@pytest.fixture
def kms(creator_client):
    """A KMS client inside ACCOUNT."""
    return creator_client(ACCOUNT, "kms")


def writes(aws):
    return [(call["operation"], call["account"]) for call in aws.calls()["calls"] if call["kind"] == "write"]


def customer_keys(kms):
    keys = [kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"] for key in kms.list_keys()["Keys"]]
    return [key for key in keys if key["KeyManager"] == "CUSTOMER"]


def test_check_mode_plans_the_key_and_writes_nothing(aws, run_key, kms):
    result = run_key("--check", "--diff")

    assert result["changed"] is True
    assert result["changes"] == [
        "create KMS key for creator creator1",
        f"name key (new) {ALIAS}",
        "turn on yearly rotation of key (new)",
    ]
    assert result["key"]["key_id"] is None
    assert result["key"]["alias"] == ALIAS
    assert result["diff"]["before"] == {}
    assert writes(aws) == []
    assert customer_keys(kms) == []


def test_the_key_is_created_once_and_a_second_run_writes_nothing(aws, run_key, kms):
    created = run_key()

    key = created["key"]
    metadata = kms.describe_key(KeyId=ALIAS)["KeyMetadata"]
    assert (metadata["KeyId"], metadata["Arn"]) == (key["key_id"], key["key_arn"])
    assert metadata["Arn"].startswith(f"arn:aws:kms:eu-central-1:{ACCOUNT}:key/")
    assert (metadata["KeySpec"], metadata["KeyUsage"], metadata["KeyState"]) == (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "Enabled",
    )
    assert kms.get_key_rotation_status(KeyId=key["key_id"])["KeyRotationEnabled"] is True
    policy = json.loads(kms.get_key_policy(KeyId=key["key_id"], PolicyName="default")["Policy"])
    principals = {json.dumps(s["Principal"], sort_keys=True): s for s in policy["Statement"]}
    assert principals[json.dumps({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})]["Action"] == "kms:*"
    cloudfront = principals[json.dumps({"Service": "cloudfront.amazonaws.com"})]
    assert cloudfront["Action"] == "kms:Decrypt"
    assert cloudfront["Condition"] == {"ArnLike": {"AWS:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/*"}}
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key["key_id"])["Tags"]}
    assert tags == {"creatorcloud:creator": "creator1", "creatorcloud:component": "kms"}
    assert {account for unused_operation, account in writes(aws)} == {ACCOUNT}

    aws.reset_calls()
    again = run_key("--diff")
    check = run_key("--check")

    assert (again["changed"], again["changes"], check["changed"]) == (False, [], False)
    assert again["key"]["key_arn"] == key["key_arn"]
    assert writes(aws) == []
    assert len(customer_keys(kms)) == 1


def test_a_scheduled_deletion_is_cancelled(aws, run_key, kms):
    key_id = run_key()["key"]["key_id"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    aws.reset_calls()

    result = run_key()

    assert result["changes"] == [f"cancel the scheduled deletion of key {key_id}", f"enable key {key_id}"]
    assert [operation for operation, unused_account in writes(aws)] == ["CancelKeyDeletion", "EnableKey"]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_a_policy_and_tags_changed_by_hand_are_put_back(aws, run_key, kms):
    key_id = run_key(tags={"cost-center": "creators-eu"})["key"]["key_id"]
    kms.put_key_policy(
        KeyId=key_id,
        PolicyName="default",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        ),
    )
    kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "temporary", "TagValue": "x"}])
    aws.reset_calls()

    result = run_key(tags={"cost-center": "creators-eu"})

    assert result["changes"] == [f"put the policy of key {key_id}", f"tag key {key_id}: remove temporary"]
    assert [operation for operation, unused_account in writes(aws)] == ["PutKeyPolicy", "UntagResource"]
    policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == [
        "AccountAdministersTheKey",
        "CloudFrontDecryptsForTheAccountsDistributions",
        "CloudWatchPublishesToTheAccountsEncryptedTopics",
    ]


def test_a_key_left_without_its_alias_gets_it_instead_of_a_second_key(aws, run_key, kms):
    """As if the last run stopped right after CreateKey."""
    key_id = run_key()["key"]["key_id"]
    kms.delete_alias(AliasName=ALIAS)
    aws.reset_calls()

    result = run_key()

    assert result["changes"] == [f"name key {key_id} {ALIAS}"]
    assert [operation for operation, unused_account in writes(aws)] == ["CreateAlias"]
    assert [key["KeyId"] for key in customer_keys(kms)] == [key_id]


def test_an_empty_account_id_fails_clearly(aws, run_key):
    result = run_key(account_id="")

    assert result["failed"] is True
    assert result["msg"].startswith("creator creator1: account_id is empty: the creator's account does not exist yet")
    assert aws.calls()["calls"] == []
