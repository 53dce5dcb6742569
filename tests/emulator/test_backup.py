# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Backup selections and UpdateBackupPlan (moto has plans, but neither of these)."""

import json
from datetime import datetime

import pytest

from . import aws_error
from . import clients_in_accounts

ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
TAG_CONDITION = {"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "daily"}


@pytest.fixture
def backup(aws_client):
    return aws_client("backup")


def plan(backup, name="creator"):
    return backup.create_backup_plan(
        BackupPlan={"BackupPlanName": name, "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "Default"}]}
    )["BackupPlanId"]


def selection(backup, plan_id, name="media", **extra):
    return backup.create_backup_selection(
        BackupPlanId=plan_id, BackupSelection={"SelectionName": name, "IamRoleArn": ROLE, **extra}
    )


def test_backup_selection_round_trip(backup):
    plan_id = plan(backup)
    created = backup.create_backup_selection(
        BackupPlanId=plan_id,
        BackupSelection={
            "SelectionName": "media",
            "IamRoleArn": ROLE,
            "Resources": ["arn:aws:s3:::creator-media"],
            "NotResources": ["arn:aws:s3:::creator-scratch"],
            "ListOfTags": [{"ConditionType": "STRINGEQUALS", **TAG_CONDITION}],
            "Conditions": {"StringLike": [TAG_CONDITION]},
        },
        CreatorRequestId="request-1",
    )

    assert created["BackupPlanId"] == plan_id and isinstance(created["CreationDate"], datetime)
    found = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert (found["SelectionId"], found["BackupPlanId"]) == (created["SelectionId"], plan_id)
    assert (found["CreationDate"], found["CreatorRequestId"]) == (created["CreationDate"], "request-1")
    assert found["BackupSelection"] == {
        "SelectionName": "media",
        "IamRoleArn": ROLE,
        "Resources": ["arn:aws:s3:::creator-media"],
        "NotResources": ["arn:aws:s3:::creator-scratch"],
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", **TAG_CONDITION}],
        "Conditions": {"StringEquals": [], "StringNotEquals": [], "StringLike": [TAG_CONDITION], "StringNotLike": []},
    }
    [summary] = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert summary == {
        "SelectionId": created["SelectionId"],
        "SelectionName": "media",
        "BackupPlanId": plan_id,
        "CreationDate": created["CreationDate"],
        "CreatorRequestId": "request-1",
        "IamRoleArn": ROLE,
    }

    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"] == []


def test_selection_defaults(backup):
    plan_id = plan(backup)
    selection_id = selection(backup, plan_id)["SelectionId"]

    found = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)["BackupSelection"]
    assert (found["Resources"], found["NotResources"], found["ListOfTags"]) == ([], [], [])
    assert found["Conditions"] == {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []}


def test_list_backup_selections_pages(backup):
    plan_id = plan(backup)
    for name in ("a", "b", "c"):
        selection(backup, plan_id, name)

    first = backup.list_backup_selections(BackupPlanId=plan_id, MaxResults=2)
    second = backup.list_backup_selections(BackupPlanId=plan_id, MaxResults=2, NextToken=first["NextToken"])
    names = [found["SelectionName"] for found in first["BackupSelectionsList"] + second["BackupSelectionsList"]]
    assert names == ["a", "b", "c"] and "NextToken" not in second


def test_selections_belong_to_a_plan(backup):
    plan_id, other_plan = plan(backup), plan(backup, "other")
    selection_id = selection(backup, plan_id)["SelectionId"]

    assert backup.list_backup_selections(BackupPlanId=other_plan)["BackupSelectionsList"] == []
    with aws_error("ResourceNotFoundException"):
        backup.get_backup_selection(BackupPlanId=other_plan, SelectionId=selection_id)
    with aws_error("InvalidRequestException"):
        backup.delete_backup_plan(BackupPlanId=plan_id)
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    backup.delete_backup_plan(BackupPlanId=plan_id)
    with aws_error("ResourceNotFoundException"):
        selection(backup, plan_id)


@pytest.mark.parametrize(
    "call",
    [
        lambda backup: selection(backup, "unknown-plan"),
        lambda backup: backup.get_backup_selection(BackupPlanId="unknown-plan", SelectionId="unknown"),
        lambda backup: backup.list_backup_selections(BackupPlanId="unknown-plan"),
        lambda backup: backup.delete_backup_selection(BackupPlanId="unknown-plan", SelectionId="unknown"),
        lambda backup: backup.get_backup_selection(BackupPlanId=plan(backup), SelectionId="unknown"),
        lambda backup: backup.update_backup_plan(
            BackupPlanId="unknown-plan", BackupPlan={"BackupPlanName": "x", "Rules": []}
        ),
    ],
)
def test_unknown_ids_are_not_found(backup, call):
    with aws_error("ResourceNotFoundException"):
        call(backup)


@pytest.mark.parametrize(
    "bad",
    [{"SelectionName": "no spaces"}, {"SelectionName": "x" * 51}, {"IamRoleArn": "arn:aws:s3:::not-a-role"}],
)
def test_selection_bad_input(backup, bad):
    with aws_error("InvalidParameterValueException", 400):
        backup.create_backup_selection(
            BackupPlanId=plan(backup), BackupSelection={"SelectionName": "media", "IamRoleArn": ROLE, **bad}
        )


def test_update_backup_plan_replaces_rules(backup):
    created = backup.create_backup_plan(
        BackupPlan={"BackupPlanName": "creator", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "Default"}]}
    )
    rule = {
        "RuleName": "weekly",
        "TargetBackupVaultName": "Archive",
        "ScheduleExpression": "cron(0 5 ? * 1 *)",
        "Lifecycle": {"DeleteAfterDays": 90},
    }

    updated = backup.update_backup_plan(
        BackupPlanId=created["BackupPlanId"], BackupPlan={"BackupPlanName": "creator", "Rules": [rule]}
    )

    assert (updated["BackupPlanId"], updated["BackupPlanArn"]) == (created["BackupPlanId"], created["BackupPlanArn"])
    assert updated["VersionId"] != created["VersionId"]
    found = backup.get_backup_plan(BackupPlanId=created["BackupPlanId"])
    assert found["VersionId"] == updated["VersionId"]
    [stored] = found["BackupPlan"]["Rules"]
    assert {key: stored[key] for key in rule} == rule
    assert stored["RuleId"] and stored["StartWindowMinutes"] == 480


def test_reset_forgets_everything(aws, backup):
    plan_id = plan(backup)
    selection_id = selection(backup, plan_id)["SelectionId"]

    aws.reset_state()

    assert backup.list_backup_plans()["BackupPlansList"] == []
    with aws_error("ResourceNotFoundException"):
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)


def test_accounts_are_isolated(aws_client):
    first, second = clients_in_accounts(aws_client, "backup")
    plan_id = plan(first)
    selection_id = selection(first, plan_id)["SelectionId"]

    assert [
        found["SelectionId"] for found in first.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    ] == [selection_id]
    for call in (
        lambda: second.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id),
        lambda: second.list_backup_selections(BackupPlanId=plan_id),
        lambda: selection(second, plan_id),
    ):
        with aws_error("ResourceNotFoundException"):
            call()


@pytest.mark.parametrize(
    "policy_arn",
    [
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
        "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    ],
)
def test_aws_backup_managed_policies_attach_in_every_account(aws_client, policy_arn):
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    for iam in clients_in_accounts(aws_client, "iam"):
        iam.create_role(RoleName="backup", AssumeRolePolicyDocument=json.dumps(trust))
        iam.attach_role_policy(RoleName="backup", PolicyArn=policy_arn)

        [attached] = iam.list_attached_role_policies(RoleName="backup")["AttachedPolicies"]
        assert attached["PolicyArn"] == policy_arn
        document = iam.get_policy_version(
            PolicyArn=policy_arn, VersionId=iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
        )
        assert document["PolicyVersion"]["Document"]["Statement"]


def test_other_aws_managed_policies_stay_unknown(aws_client):
    iam = aws_client("iam")
    with aws_error("NoSuchEntity"):
        iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")


def test_vault_with_key_tags_and_plan_with_lifecycle_round_trip(backup):
    key = "arn:aws:kms:eu-central-1:123456789012:key/0f580c37-2bde-44cd-b781-5f16aa843aff"
    vault = backup.create_backup_vault(BackupVaultName="creator", EncryptionKeyArn=key, BackupVaultTags={"a": "1"})
    rule = {
        "RuleName": "weekly",
        "TargetBackupVaultName": "creator",
        "ScheduleExpression": "cron(0 4 ? * SUN *)",
        "Lifecycle": {"DeleteAfterDays": 365},
        "RecoveryPointTags": {"a": "1"},
        "CopyActions": [{"DestinationBackupVaultArn": vault["BackupVaultArn"], "Lifecycle": {"DeleteAfterDays": 400}}],
    }
    created = backup.create_backup_plan(
        BackupPlan={"BackupPlanName": "creator", "Rules": [rule]}, BackupPlanTags={"b": "2"}
    )
    backup.tag_resource(ResourceArn=vault["BackupVaultArn"], Tags={"c": "3"})
    backup.untag_resource(ResourceArn=vault["BackupVaultArn"], TagKeyList=["a"])

    assert backup.describe_backup_vault(BackupVaultName="creator")["EncryptionKeyArn"] == key
    assert backup.list_tags(ResourceArn=vault["BackupVaultArn"])["Tags"] == {"c": "3"}
    assert backup.list_tags(ResourceArn=created["BackupPlanArn"])["Tags"] == {"b": "2"}
    [stored] = backup.get_backup_plan(BackupPlanId=created["BackupPlanId"])["BackupPlan"]["Rules"]
    assert {key: stored[key] for key in rule} == rule
