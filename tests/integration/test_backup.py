# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup slice on the emulator: creator1's key and tables in an account picked by id, then role backup.

Every resource is read back with boto3 inside the creator's own account (by assuming the creator role
there); the call log proves that no-op runs and check mode write nothing, that PITR and versioning turned
off by hand are reported by check mode and turned back on by exactly one call each, and that bad input
fails before any write.
"""

import json

import pytest

PLAYBOOK = "tests/integration/playbooks/backup.yml"
ACCOUNT = "345678901234"
CREATOR = "creator1"
REGION = "eu-central-1"
INVENTORY = f"{CREATOR},"
NAME = f"creatorcloud-{CREATOR}"
TABLES = [f"{NAME}-messages", f"{NAME}-scratch", f"{NAME}-users"]
BUCKET = f"{NAME}-backups-{ACCOUNT}"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/creatorcloud/{NAME}-backup"
TAGS = {"creatorcloud:creator": CREATOR, "creatorcloud:component": "backup"}
MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
]


@pytest.fixture
def run(run_playbook):
    """`run(*args, **variables)`: the backup playbook for creator1 in ACCOUNT."""

    def play(*args, **variables):
        extra = json.dumps({"account_id": ACCOUNT, **variables})
        return run_playbook(PLAYBOOK, "-e", extra, *args, inventory=INVENTORY)

    return play


@pytest.fixture
def prepared(run, aws):
    """creator1's key and tables, no backups yet; the key's ARN; an empty call log."""
    completed = run(backup_test_skip=True)
    assert completed.returncode == 0, completed.failure_messages(CREATOR)
    [key] = completed.results(CREATOR, action="creatorcloud.platform.creator_key")
    aws.reset_calls()
    return key["key"]["key_arn"]


@pytest.fixture
def backed_up(prepared, run, aws):
    """creator1 with its backups; returns the run, and leaves the call log empty."""
    completed = run()
    assert completed.returncode == 0, completed.failure_messages(CREATOR)
    aws.reset_calls()
    return completed


@pytest.fixture
def clients(creator_client):
    """Clients inside ACCOUNT: backup, iam, s3, dynamodb."""
    return {service: creator_client(ACCOUNT, service) for service in ("backup", "iam", "s3", "dynamodb")}


def module_result(completed):
    [result] = completed.results(CREATOR, action="creatorcloud.platform.backup")
    return result


def facts_of(completed):
    facts = {}
    for result in completed.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


def writes(aws):
    return [(call["service"], call["operation"]) for call in aws.calls()["calls"] if call["kind"] == "write"]


def tags_of(tag_set):
    return {tag["Key"]: tag["Value"] for tag in tag_set}


def test_check_mode_plans_the_backups_and_writes_nothing(prepared, run, aws, clients):
    completed = run("--check", "--diff")

    assert completed.returncode == 0, completed.failure_messages(CREATOR)
    result = module_result(completed)
    assert result["changed"] is True
    assert result["changes"][:2] == [
        f"create IAM role {NAME}-backup",
        f"attach AWSBackupServiceRolePolicyForBackup to IAM role {NAME}-backup",
    ]
    assert f"create backup vault {NAME} encrypted with {prepared}" in result["changes"]
    assert f"create backup plan {NAME}: daily backups kept 35 days, weekly 365 days" in result["changes"]
    assert f"create backup selection {NAME}-tagged: resources tagged creatorcloud:backup=true" in result["changes"]
    assert f"create bucket {BUCKET} in {REGION}" in result["changes"]
    assert (result["backup"]["plan_id"], result["backup"]["selection_id"]) == (None, None)
    assert result["backup"]["fixed"] == []
    assert result["diff"]["before"]["vault"] is None
    assert writes(aws) == []
    assert clients["backup"].list_backup_vaults()["BackupVaultList"] == []


def test_backups_read_back(backed_up, prepared, clients):
    backup, facts = clients["backup"], facts_of(backed_up)
    result = module_result(backed_up)["backup"]

    vault = backup.describe_backup_vault(BackupVaultName=NAME)
    assert (vault["BackupVaultArn"], vault["EncryptionKeyArn"]) == (facts["backup_vault_arn"], prepared)
    assert backup.list_tags(ResourceArn=vault["BackupVaultArn"])["Tags"] == TAGS

    [summary] = backup.list_backup_plans()["BackupPlansList"]
    assert (summary["BackupPlanName"], summary["BackupPlanId"]) == (NAME, facts["backup_plan_id"])
    plan = backup.get_backup_plan(BackupPlanId=summary["BackupPlanId"])
    rules = {rule["RuleName"]: rule for rule in plan["BackupPlan"]["Rules"]}
    assert sorted(rules) == ["daily", "weekly"]
    assert rules["daily"]["Lifecycle"] == {"DeleteAfterDays": 35}
    assert rules["weekly"]["Lifecycle"] == {"DeleteAfterDays": 365}
    assert rules["daily"]["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert rules["weekly"]["ScheduleExpression"] == "cron(0 4 ? * SUN *)"
    assert {rule["TargetBackupVaultName"] for rule in rules.values()} == {NAME}
    assert backup.list_tags(ResourceArn=plan["BackupPlanArn"])["Tags"] == TAGS

    [selection] = backup.list_backup_selections(BackupPlanId=summary["BackupPlanId"])["BackupSelectionsList"]
    assert (selection["SelectionName"], selection["SelectionId"]) == (f"{NAME}-tagged", facts["backup_selection_id"])
    found = backup.get_backup_selection(BackupPlanId=summary["BackupPlanId"], SelectionId=selection["SelectionId"])
    assert found["BackupSelection"]["IamRoleArn"] == ROLE_ARN
    assert found["BackupSelection"]["ListOfTags"] == [
        {"ConditionType": "STRINGEQUALS", "ConditionKey": "creatorcloud:backup", "ConditionValue": "true"}
    ]

    role = clients["iam"].get_role(RoleName=f"{NAME}-backup")["Role"]
    assert role["Arn"] == ROLE_ARN
    [statement] = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "backup.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    attached = clients["iam"].list_attached_role_policies(RoleName=f"{NAME}-backup")["AttachedPolicies"]
    assert sorted(policy["PolicyArn"] for policy in attached) == MANAGED_POLICIES

    s3 = clients["s3"]
    assert facts["backup_bucket"] == BUCKET == result["bucket"]
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    assert all(s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"].values())
    [encryption] = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert encryption["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": prepared}
    [rule] = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    assert (rule["ID"], rule["Status"], rule["Expiration"]) == ("expire-exports", "Enabled", {"Days": 90})
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 90}
    [deny] = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})
    assert tags_of(s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]) == {**TAGS, "creatorcloud:backup": "false"}

    # The tables role ran before: PITR of its tables is its own, so role backup verifies none of them again.
    assert result["tables"] == [] and facts["backup_fixed"] == []


def test_second_run_and_check_mode_write_nothing(backed_up, run, aws):
    for args in (("--diff",), ("--check", "--diff")):
        completed = run(*args)
        assert completed.returncode == 0, completed.failure_messages(CREATOR)
        result = module_result(completed)
        assert (result["changed"], result["changes"], result["backup"]["fixed"]) == (False, [], [])
        assert result["diff"]["before"] == result["diff"]["after"]
        assert writes(aws) == []
        aws.reset_calls()


def test_pitr_and_versioning_turned_off_by_hand_are_reported_then_fixed(backed_up, run, aws, clients):
    dynamodb, s3 = clients["dynamodb"], clients["s3"]
    site = f"{NAME}-site-{ACCOUNT}"
    s3.create_bucket(Bucket=site, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(Bucket=site, Tagging={"TagSet": [{"Key": "creatorcloud:creator", "Value": CREATOR}]})
    s3.put_bucket_versioning(Bucket=site, VersioningConfiguration={"Status": "Suspended"})
    dynamodb.update_continuous_backups(
        TableName=f"{NAME}-users", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    aws.reset_calls()
    expected = [f"point-in-time recovery of table {NAME}-users", f"versioning of bucket {site}"]

    # Without role tables in the play, as update.yml runs it: the tables are found by their tag.
    planned = run("--check", "--diff", backup_test_only=True)
    assert planned.returncode == 0, planned.failure_messages(CREATOR)
    assert module_result(planned)["backup"]["fixed"] == expected
    assert module_result(planned)["changes"] == [f"turn on {what}" for what in expected]
    assert writes(aws) == []

    fixed = run(backup_test_only=True)
    assert fixed.returncode == 0, fixed.failure_messages(CREATOR)
    assert module_result(fixed)["backup"]["fixed"] == facts_of(fixed)["backup_fixed"] == expected
    assert writes(aws) == [("dynamodb", "UpdateContinuousBackups"), ("s3", "PutBucketVersioning")]
    backups = dynamodb.describe_continuous_backups(TableName=f"{NAME}-users")["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert s3.get_bucket_versioning(Bucket=site)["Status"] == "Enabled"
    aws.reset_calls()

    again = run(backup_test_only=True)
    assert module_result(again)["backup"]["fixed"] == [] and writes(aws) == []
    assert module_result(again)["backup"]["buckets"] == [site]
    assert module_result(again)["backup"]["tables"] == TABLES


def test_a_longer_weekly_retention_updates_only_the_plan(backed_up, run, aws, clients):
    completed = run(backup_weekly_retention_days=730)

    assert completed.returncode == 0, completed.failure_messages(CREATOR)
    assert module_result(completed)["changes"] == [f"update the rules of backup plan {NAME}"]
    assert writes(aws) == [("backup", "UpdateBackupPlan")]
    plan_id = facts_of(completed)["backup_plan_id"]
    rules = clients["backup"].get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]["Rules"]
    assert {rule["RuleName"]: rule["Lifecycle"]["DeleteAfterDays"] for rule in rules} == {"daily": 35, "weekly": 730}


def test_a_vault_with_another_key_fails_before_any_write(prepared, run, aws, clients):
    other_key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
    clients["backup"].create_backup_vault(BackupVaultName=NAME, EncryptionKeyArn=other_key)
    aws.reset_calls()

    completed = run()

    assert completed.returncode != 0
    [message] = completed.failure_messages(CREATOR)
    assert f"creator {CREATOR}: backup vault {NAME} is encrypted with {other_key}" in message
    assert f"not with the creator's key {prepared}" in message and "never deleted" in message
    assert writes(aws) == []
    assert clients["backup"].describe_backup_vault(BackupVaultName=NAME)["EncryptionKeyArn"] == other_key


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"backup_weekly_retention_days": 30},
            "weekly_retention_days 30 must be longer than daily_retention_days 35",
        ),
        ({"backup_export_retention_days": 0}, "export_retention_days 0 must be between 1 and 36500"),
        ({"backup_daily_retention_days": 40000}, "daily_retention_days 40000 must be between 1 and 36500"),
    ],
)
def test_bad_input_fails_naming_it_before_any_write(prepared, run, aws, variables, expected):
    completed = run(**variables)

    assert completed.returncode != 0
    [message] = completed.failure_messages(CREATOR)
    assert f"creator {CREATOR}:" in message and expected in message
    assert writes(aws) == []
