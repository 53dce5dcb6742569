# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tables slice on the emulator: roles config, account and tables for creator1.

Every property is read back with boto3 inside the creator's own account (by assuming the creator
role there); the call log proves that no-op runs and check mode write nothing, that adding an
index writes exactly one UpdateTable, and that data goes only when delete_data says so.
"""

import json

import pytest
import yaml
from playbook_runner import REPO

PLAYBOOK = "tests/integration/playbooks/tables.yml"
CREATOR = "creator1"
SEED = yaml.safe_load((REPO / "roles/tables/defaults/main.yml").read_text())["tables_seed"]
NAMES = {spec["name"]: f"creatorcloud-{CREATOR}-{spec['name'].lower()}" for spec in SEED}


def extra_vars(**variables):
    """Playbook arguments that set role variables (JSON, so lists and booleans keep their types)."""
    return ("-e", json.dumps(variables))


def seed_with(**changes):
    """The seed schema with some tables replaced (by logical name) or, when None, left out."""
    return [changes.get(spec["name"], spec) for spec in SEED if changes.get(spec["name"], spec) is not None]


@pytest.fixture
def account(creator1_account):
    """creator1's account and key, without tables yet: (account id, key ARN); the call log is empty."""
    return creator1_account


@pytest.fixture
def dynamodb(account, creator_client):
    """A DynamoDB client inside creator1's account (assumed creator role)."""
    return creator_client(account[0], "dynamodb")


@pytest.fixture
def tabled(account, converged):
    """creator1 with its seed tables; returns the run, and leaves the call log empty."""
    return converged("creator1-tables", PLAYBOOK)


def module_result(run):
    [result] = run.results(CREATOR, action="creatorcloud.platform.tables")
    return result


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def keys_of(spec):
    """[(key, "HASH"), (key, "RANGE")?] of a table or index spec."""
    return [(spec["partition_key"], "HASH")] + ([(spec["sort_key"], "RANGE")] if "sort_key" in spec else [])


def assert_table(dynamodb, spec, key_arn, account_id):
    """Every property of one seed table, read back from AWS."""
    name = NAMES[spec["name"]]
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["TableArn"] == f"arn:aws:dynamodb:eu-central-1:{account_id}:table/{name}"
    assert table["TableStatus"] == "ACTIVE"
    keys = keys_of(spec)
    assert table["KeySchema"] == [{"AttributeName": key["name"], "KeyType": role} for key, role in keys]
    types = {item["AttributeName"]: item["AttributeType"] for item in table["AttributeDefinitions"]}
    assert all(types[key["name"]] == key["type"] for key, _role in keys)
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["DeletionProtectionEnabled"] is True
    assert table["SSEDescription"] == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key_arn}
    indexes = {index["IndexName"]: index for index in table["GlobalSecondaryIndexes"]}
    assert sorted(indexes) == sorted(index["name"] for index in spec.get("global_secondary_indexes", []))
    for index in spec.get("global_secondary_indexes", []):
        index_keys = keys_of(index)
        assert indexes[index["name"]]["KeySchema"] == [
            {"AttributeName": key["name"], "KeyType": role} for key, role in index_keys
        ]
        assert all(types[key["name"]] == key["type"] for key, _role in index_keys)
        assert indexes[index["name"]]["Projection"] == {"ProjectionType": "ALL"}
    backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
    tags = {tag["Key"]: tag["Value"] for tag in dynamodb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]}
    assert tags == {
        "creatorcloud:creator": CREATOR,
        "creatorcloud:component": "tables",
        "creatorcloud:backup": "true",
        "cost-center": "creators-eu",
    }


def test_check_mode_plans_the_seed_tables_without_writing(account, run_playbook, aws, dynamodb):
    run = run_playbook(PLAYBOOK, "--check")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"] is True
    assert [c for c in result["changes"] if c.startswith("create table")] == [
        f"create table {name}" for name in NAMES.values()
    ]
    assert aws.calls()["writes"] == 0
    assert dynamodb.list_tables()["TableNames"] == []


def test_seed_tables_have_every_property(tabled, account, dynamodb):
    account_id, key_arn = account
    assert sorted(dynamodb.list_tables()["TableNames"]) == sorted(NAMES.values())
    for spec in SEED:
        assert_table(dynamodb, spec, key_arn, account_id)
    result = module_result(tabled)
    assert result["names"] == NAMES
    assert result["tables"]["Users"]["indexes"] == ["email-index", "username-index"]
    assert result["tables"]["Messages"]["indexes"] == ["userId-index"]
    assert result["unmanaged"] == []
    facts = {}
    for fact in tabled.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(fact.get("ansible_facts", {}))
    assert facts["tables_names"] == NAMES


def test_second_run_and_check_mode_write_nothing(tabled, run_playbook, aws):
    for args in ((), ("--check",)):
        run = run_playbook(PLAYBOOK, *args)
        assert run.returncode == 0, run.failure_messages(CREATOR)
        assert module_result(run)["changed"] is False
        assert module_result(run)["changes"] == []
        assert run.changed(CREATOR) == 0
        calls = aws.calls()
        assert writes(calls) == []
        # Per table: DescribeTable, DescribeContinuousBackups, DescribeTimeToLive; one ListTables; the tags of
        # every table from one GetResources of the tagging API.
        reads = [call["operation"] for call in calls["calls"] if call["service"] == "dynamodb"]
        assert len(reads) == 3 * len(SEED) + 1, reads
        assert [c["operation"] for c in calls["calls"] if c["service"] == "tagging"] == ["GetResources"]
        aws.reset_calls()


def test_adding_an_index_writes_exactly_that(tabled, run_playbook, aws, dynamodb):
    users = next(spec for spec in SEED if spec["name"] == "Users")
    display = {
        "name": "display-index",
        "partition_key": {"name": "displayName", "type": "S"},
        "projection": "KEYS_ONLY",
    }
    users = dict(users, global_secondary_indexes=[*users["global_secondary_indexes"], display])
    planned = run_playbook(PLAYBOOK, "--check", *extra_vars(tables_seed=seed_with(Users=users)))
    assert planned.returncode == 0, planned.failure_messages(CREATOR)
    assert module_result(planned)["changes"] == [f"add index display-index to table {NAMES['Users']}"]
    assert module_result(planned)["tables"]["Users"]["indexes"] == ["display-index", "email-index", "username-index"]
    assert writes(aws.calls()) == []
    run = run_playbook(PLAYBOOK, *extra_vars(tables_seed=seed_with(Users=users)))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changes"] == [f"add index display-index to table {NAMES['Users']}"]
    assert writes(aws.calls()) == [("dynamodb", "UpdateTable")]
    table = dynamodb.describe_table(TableName=NAMES["Users"])["Table"]
    indexes = {index["IndexName"]: index for index in table["GlobalSecondaryIndexes"]}
    assert sorted(indexes) == ["display-index", "email-index", "username-index"]
    assert indexes["display-index"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    types = {item["AttributeName"]: item["AttributeType"] for item in table["AttributeDefinitions"]}
    assert types == {"userId": "S", "email": "S", "username": "S", "displayName": "S"}
    aws.reset_calls()
    run = run_playbook(PLAYBOOK, *extra_vars(tables_seed=seed_with(Users=users)))
    assert module_result(run)["changed"] is False
    assert writes(aws.calls()) == []


def test_a_table_missing_from_the_spec_is_left_alone(tabled, run_playbook, aws, dynamodb):
    dynamodb.create_table(
        TableName="legacy",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    aws.reset_calls()
    run = run_playbook(PLAYBOOK, *extra_vars(tables_seed=seed_with(Events=None)))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["unmanaged"] == [NAMES["Events"], "legacy"]
    assert writes(aws.calls()) == []
    assert sorted(dynamodb.list_tables()["TableNames"]) == sorted([*NAMES.values(), "legacy"])


def test_removing_a_table_needs_delete_data(tabled, run_playbook, aws, dynamodb):
    seed = seed_with(Events=None)
    run = run_playbook(PLAYBOOK, *extra_vars(tables_seed=seed, tables_absent=["Events"]))
    assert run.returncode != 0
    [message] = run.failure_messages(CREATOR)
    assert "absent_tables Events" in message and "delete_data: true" in message
    assert writes(aws.calls()) == []
    assert NAMES["Events"] in dynamodb.list_tables()["TableNames"]

    run = run_playbook(PLAYBOOK, *extra_vars(tables_seed=seed, tables_absent=["Events"], tables_delete_data=True))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changes"] == [
        f"turn off deletion protection of table {NAMES['Events']} to remove it",
        f"delete table {NAMES['Events']} and its data",
    ]
    assert NAMES["Events"] not in dynamodb.list_tables()["TableNames"]


@pytest.mark.parametrize(
    "tables_extra, expected",
    [
        ([{"name": "Polls", "partition_key": {"name": "pollId", "type": "X"}}], "value of type must be one of"),
        ([{"name": "Users", "partition_key": {"name": "userId"}}], "table 'Users' is declared more than once"),
    ],
    ids=["bad-key-type", "duplicate-table"],
)
def test_bad_input_fails_before_any_write(account, run_playbook, aws, dynamodb, tables_extra, expected):
    run = run_playbook(PLAYBOOK, *extra_vars(tables_extra=tables_extra))
    assert run.returncode != 0
    assert any(expected in message for message in run.failure_messages(CREATOR)), run.failure_messages(CREATOR)
    assert writes(aws.calls()) == []
    assert dynamodb.list_tables()["TableNames"] == []


def test_drift_is_set_back_with_one_write_per_property(tabled, account, run_playbook, aws, dynamodb):
    users, events = NAMES["Users"], NAMES["Events"]
    other_key = "arn:aws:kms:eu-central-1:111111111111:key/0f580c37-2bde-44cd-b781-5f16aa843aff"
    dynamodb.update_table(TableName=users, DeletionProtectionEnabled=False)
    dynamodb.update_continuous_backups(
        TableName=users, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    dynamodb.update_table(
        TableName=events, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": other_key}
    )
    arn = dynamodb.describe_table(TableName=events)["Table"]["TableArn"]
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["creatorcloud:backup"])
    aws.reset_calls()

    run = run_playbook(PLAYBOOK)
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changes"] == [
        f"turn on deletion protection of table {users}",
        f"turn on point-in-time recovery of table {users}",
        f"encrypt table {events} with key {account[1]}",
        f"tag table {events}: set creatorcloud:backup",
    ]
    assert writes(aws.calls()) == [
        ("dynamodb", "UpdateTable"),
        ("dynamodb", "UpdateContinuousBackups"),
        ("dynamodb", "UpdateTable"),
        ("dynamodb", "TagResource"),
    ]
    assert dynamodb.describe_table(TableName=events)["Table"]["SSEDescription"]["KMSMasterKeyArn"] == account[1]
    aws.reset_calls()
    assert module_result(run_playbook(PLAYBOOK))["changed"] is False
    assert writes(aws.calls()) == []


def test_an_index_missing_from_the_spec_goes_only_with_delete_data(tabled, run_playbook, aws, dynamodb):
    users = next(spec for spec in SEED if spec["name"] == "Users")
    users = dict(users, global_secondary_indexes=users["global_secondary_indexes"][:1])
    run = run_playbook(PLAYBOOK, *extra_vars(tables_seed=seed_with(Users=users)))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changed"] is False
    assert module_result(run)["tables"]["Users"]["unmanaged_indexes"] == ["username-index"]
    assert writes(aws.calls()) == []

    run = run_playbook(PLAYBOOK, *extra_vars(tables_seed=seed_with(Users=users), tables_delete_data=True))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changes"] == [f"remove index username-index of table {NAMES['Users']}"]
    assert writes(aws.calls()) == [("dynamodb", "UpdateTable")]
    indexes = dynamodb.describe_table(TableName=NAMES["Users"])["Table"]["GlobalSecondaryIndexes"]
    assert [index["IndexName"] for index in indexes] == ["email-index"]


def test_a_restore_switch_in_ssm_names_the_table_converged_and_reported(
    tabled, account, run_playbook, aws, dynamodb, creator_client
):
    ssm = creator_client(account[0], "ssm")
    restored = f"{NAMES['Events']}-r20261125T140000"
    ssm.put_parameter(Name=f"/creatorcloud/{CREATOR}/tables", Value=json.dumps({"Events": restored}), Type="String")
    aws.reset_calls()

    run = run_playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["names"] == {**NAMES, "Events": restored}
    assert NAMES["Events"] in module_result(run)["unmanaged"]
    assert dynamodb.describe_table(TableName=restored)["Table"]["TableStatus"] == "ACTIVE"
    assert ("ssm", "PutParameter") not in writes(aws.calls())


def test_a_malformed_switch_parameter_fails_naming_it(tabled, account, run_playbook, creator_client):
    ssm = creator_client(account[0], "ssm")
    ssm.put_parameter(Name=f"/creatorcloud/{CREATOR}/tables", Value="[not json", Type="String")

    run = run_playbook(PLAYBOOK)

    assert run.returncode != 0
    [message] = run.failure_messages(CREATOR)
    assert f"/creatorcloud/{CREATOR}/tables is '[not json'" in message


def test_tags_not_set_leave_other_tags_alone_and_set_ones_purge_them(tabled, run_playbook, aws, dynamodb):
    """The modules' tagging contract (amazon.aws's): `tags` not set leaves a table's other tags alone; role
    tables passes the creator's tags, and purges."""
    arn = dynamodb.describe_table(TableName=NAMES["Users"])["Table"]["TableArn"]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "finance"}])
    aws.reset_calls()

    untouched = run_playbook("tests/integration/playbooks/tables_tags_unset.yml")
    assert untouched.returncode == 0, untouched.failure_messages(CREATOR)
    assert writes(aws.calls()) == []
    assert {"Key": "owner", "Value": "finance"} in dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"]

    purged = run_playbook(PLAYBOOK)  # creator1's creator_tags, purge_tags left at true
    assert f"tag table {NAMES['Users']}: remove owner" in module_result(purged)["changes"]
    assert ("dynamodb", "UntagResource") in writes(aws.calls())
