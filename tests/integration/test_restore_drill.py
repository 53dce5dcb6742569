# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore drill on the emulator: onboard creator1, a fan's data, backup.yml, the data deleted, restore.yml.

A fan signs up through the gateway's Cognito forward (the post-confirmation function writes the
profile) and sets a username with PUT /api/me; backup.yml takes the backups and exports; the fan
erases the profile with DELETE /api/me; restore.yml restores Users to a point in time between
the two, and GET /api/me through the gateway serves the profile again, from the restored table.
The emulator's point-in-time recovery restores the items as they were at that time
(tools/creatorcloud_emulator/additions/dynamodb_pitr.py), so the drill cannot pass by copying the
current table. The recovery time (restore.yml start to the backend serving the data) is printed (-s).
"""

import json
import math
import time

import jwt
import pytest
from gateway_fixtures import gateway_for
from moto.utilities.utils import load_resource
from test_gateway_api import cognito_call
from test_gateway_api import confirmation_code

CREATOR = "creator1"
USERS = f"creatorcloud-{CREATOR}-users"
EMAIL = "fan@drill.example"
PASSWORD = "Fan-passw0rd!"


def exported_facts(run):
    """The host facts the roles exported."""
    facts = {}
    for result in run.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def extra_vars(**variables):
    """Playbook arguments that set variables (JSON, so lists and booleans keep their types)."""
    return ("-e", json.dumps(variables))


def utc(epoch):
    """2026-11-25T14:00:00Z of epoch seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class Fan:
    """A fan of creator1 using the site's API through the gateway."""

    def __init__(self, aws, facts):
        self.client = gateway_for(aws, CREATOR)
        self.pool_id = facts["auth_user_pool_id"]
        self.client_id = facts["auth_client_id"]
        self.sub = None

    def sign_up(self, aws, cognito):
        """Sign up and confirm through the gateway; the post-confirmation function writes the profile."""
        body = {"ClientId": self.client_id, "Username": EMAIL, "Password": PASSWORD}
        body["UserAttributes"] = [{"Name": "email", "Value": EMAIL}]
        assert cognito_call(self.client, "SignUp", body).status_code == 200
        confirm = {
            "ClientId": self.client_id,
            "Username": EMAIL,
            "ConfirmationCode": confirmation_code(aws.endpoint_url, EMAIL),
        }
        assert cognito_call(self.client, "ConfirmSignUp", confirm).status_code == 200
        user = cognito.admin_get_user(UserPoolId=self.pool_id, Username=EMAIL)
        self.sub = next(item["Value"] for item in user["UserAttributes"] if item["Name"] == "sub")

    def headers(self):
        """A valid ID token of the website client for the fan, signed with the emulator's Cognito key.

        The website client allows SRP sign-in only; the token the gateway checks is the same either way.
        """
        now = int(time.time())
        claims = {
            "iss": f"https://cognito-idp.eu-central-1.amazonaws.com/{self.pool_id}",
            "aud": self.client_id,
            "sub": self.sub,
            "email": EMAIL,
            "token_use": "id",
            "iat": now,
            "auth_time": now,
            "exp": now + 3600,
        }
        key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
        return {"Authorization": "Bearer " + jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})}

    def call(self, method, path, body=None):
        """(status, JSON body) of an API call."""
        response = self.client.open(path, method=method, headers=self.headers(), json=body)
        return response.status_code, response.get_json(silent=True)


@pytest.fixture
def onboarded(organization, converged):
    """creator1 onboarded (account, auth, tables, api, website); returns its exported facts."""
    return exported_facts(converged("creator1-onboarded", "playbooks/onboard.yml", "-l", CREATOR))


def wait_for_next_second():
    """The next whole UTC second, once it has passed: point-in-time restores take whole seconds."""
    point = math.ceil(time.time())
    time.sleep(point - time.time() + 1.1)
    return point


def test_the_restore_drill_brings_back_a_deleted_profile_and_the_backend_serves_it(
    onboarded, run_playbook, aws, creator_client
):
    account_id = onboarded["account_id"]
    dynamodb = creator_client(account_id, "dynamodb")
    fan = Fan(aws, onboarded)
    fan.sign_up(aws, creator_client(account_id, "cognito-idp"))
    # The backup role makes this bucket in onboard.yml; where onboard.yml does not run it yet, the drill makes it.
    s3 = creator_client(account_id, "s3")
    bucket_name = f"creatorcloud-{CREATOR}-backups-{account_id}"
    if bucket_name not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    status, profile = fan.call("PUT", "/api/me", {"display_name": "Drill Fan", "username": "drill_fan"})
    assert status == 200, profile

    aws.reset_calls()
    planned_backup = run_playbook("playbooks/backup.yml", "-l", CREATOR, "--check")
    assert planned_backup.returncode == 0, planned_backup.failure_messages(CREATOR)
    assert writes(aws.calls()) == []

    started = time.monotonic()
    backup = run_playbook("playbooks/backup.yml", "-l", CREATOR)
    figures = {"backup_playbook_seconds": round(time.monotonic() - started, 1)}
    assert backup.returncode == 0, backup.failure_messages(CREATOR)
    [backups] = [result["backups"] for result in backup.results(CREATOR, action="creatorcloud.platform.table_backup")]
    assert backups["Users"]["backup"]["status"] == "AVAILABLE"
    assert backups["Users"]["export"]["status"] == "COMPLETED"
    assert backups["Users"]["export"]["item_count"] >= 1
    export_prefix = backups["Users"]["export"]["prefix"]
    assert export_prefix.startswith("exports/Users/")
    assert s3.list_objects_v2(Bucket=bucket_name, Prefix=f"{export_prefix}/AWSDynamoDB/")["KeyCount"] >= 1

    point = wait_for_next_second()
    status, erased = fan.call("DELETE", "/api/me")
    assert status in (200, 204), erased
    assert fan.call("GET", "/api/me")[0] == 404
    arguments = ("-l", CREATOR, "-e", "table=Users", "-e", f"restore_time={utc(point)}")
    restored_name = f"{USERS}-r{time.strftime('%Y%m%dT%H%M%S', time.gmtime(point))}"

    aws.reset_calls()
    started = time.monotonic()
    plan = run_playbook("playbooks/restore.yml", *arguments, "--check", "--diff")
    figures["dry_run_seconds"] = round(time.monotonic() - started, 1)
    assert plan.returncode == 0, plan.failure_messages(CREATOR)
    assert writes(aws.calls()) == []
    [planned] = plan.results(CREATOR, action="creatorcloud.platform.table_restore")
    assert planned["restore"]["new_table"] == restored_name
    assert planned["restore"]["source_table"] == USERS
    assert planned["restore"]["switch"]["to"] == restored_name

    started = time.monotonic()
    restore = run_playbook("playbooks/restore.yml", *arguments, *extra_vars(verify_keys=[{"userId": fan.sub}]))
    figures["restore_playbook_seconds"] = round(time.monotonic() - started, 1)
    assert restore.returncode == 0, restore.failure_messages(CREATOR)
    status, served = fan.call("GET", "/api/me")
    figures["recovery_seconds"] = round(time.monotonic() - started, 1)
    assert status == 200, served
    assert served["username"] == "drill_fan"
    print(
        f"\nrestore drill: recovery time {figures['recovery_seconds']} s "
        "(restore.yml start to GET /api/me serving the data)"
    )

    [result] = restore.results(CREATOR, action="creatorcloud.platform.table_restore")
    assert result["restore"]["item_count"] >= 1
    assert result["restore"]["replaced_table"] == USERS
    table = dynamodb.describe_table(TableName=restored_name)["Table"]
    assert table["SSEDescription"]["KMSMasterKeyArn"] == onboarded["account_kms_key_arn"]
    assert table["DeletionProtectionEnabled"] is True
    assert sorted(index["IndexName"] for index in table["GlobalSecondaryIndexes"]) == ["email-index", "username-index"]
    recovery = dynamodb.describe_continuous_backups(TableName=restored_name)["ContinuousBackupsDescription"]
    assert recovery["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    tags = {tag["Key"]: tag["Value"] for tag in dynamodb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]}
    assert tags["creatorcloud:backup"] == "true"
    assert "Item" not in dynamodb.get_item(TableName=USERS, Key={"userId": {"S": fan.sub}})
    function = creator_client(account_id, "lambda").get_function_configuration(
        FunctionName=f"creatorcloud-{CREATOR}-profile"
    )
    assert function["Environment"]["Variables"]["USERS_TABLE"] == restored_name

    aws.reset_calls()
    started = time.monotonic()
    again = run_playbook("playbooks/restore.yml", *arguments)
    figures["second_restore_seconds"] = round(time.monotonic() - started, 1)
    assert again.returncode == 0, again.failure_messages(CREATOR)
    assert again.changed(CREATOR) == 0
    assert writes(aws.calls()) == []
    figures["second_restore_api_calls"] = len(aws.calls()["calls"])
    figures["items_restored"] = result["restore"]["item_count"]
    print(f"restore drill figures: {json.dumps(figures, sort_keys=True)}")

    onboard = run_playbook("playbooks/onboard.yml", "-l", CREATOR)
    assert onboard.returncode == 0, onboard.failure_messages(CREATOR)
    assert exported_facts(onboard)["tables_names"]["Users"] == restored_name
    assert fan.call("GET", "/api/me")[0] == 200

    # From the on-demand backup, deleting the replaced table (the point-in-time one) as the operator confirms.
    backup_arn = backups["Users"]["backup"]["arn"]
    confirm = ("-e", "delete_replaced_table=true", "-e", f"confirm_delete_table={restored_name}")
    from_backup = run_playbook(
        "playbooks/restore.yml", "-l", CREATOR, "-e", "table=Users", "-e", f"backup_arn={backup_arn}", *confirm
    )
    assert from_backup.returncode == 0, from_backup.failure_messages(CREATOR)
    [result] = from_backup.results(CREATOR, action="creatorcloud.platform.table_restore")
    assert result["restore"]["method"] == "backup"
    assert result["restore"]["replaced_table"] == restored_name
    assert result["restore"]["deleted_replaced_table"] is True
    assert restored_name not in dynamodb.list_tables()["TableNames"]
    assert USERS in dynamodb.list_tables()["TableNames"]
    assert fan.call("GET", "/api/me")[1]["username"] == "drill_fan"


BAD_INPUT = [
    (["-e", "table=Fans", "-e", "restore_time=2026-11-25T14:00:00Z"], "table 'Fans' is not a table of the creator"),
    (
        ["-e", "table=Users", "-e", "restore_time=2020-01-01T00:00:00Z"],
        "restore_time '2020-01-01T00:00:00Z' is outside",
    ),
    (["-e", "table=Users", "-e", "restore_time=yesterday"], "restore_time 'yesterday' is not a UTC time"),
    (
        ["-e", "table=Users", "-e", "restore_time=2026-11-25T14:00:00Z", "-e", "backup_arn=arn:aws:x"],
        "give exactly one of restore_time ('2026-11-25T14:00:00Z') and backup_arn ('arn:aws:x')",
    ),
    (["-e", "table=Users", "-e", "backup_arn=arn:aws:x"], "backup_arn 'arn:aws:x' is not a DynamoDB backup ARN"),
    (
        ["-e", "table=Users", "-e", "restore_time=2026-11-25T14:00:00Z", "-e", "delete_replaced_table=true"],
        "name that table in confirm_delete_table",
    ),
]


def test_bad_input_fails_before_any_write_naming_field_and_value(onboarded, run_playbook, aws):
    # One onboard for every case: onboarding is most of the time of a case.
    aws.reset_calls()
    for arguments, message in BAD_INPUT:
        run = run_playbook("playbooks/restore.yml", "-l", CREATOR, *arguments)
        messages = run.failure_messages(CREATOR)
        assert run.returncode != 0, arguments
        assert any(message in text and f"creator {CREATOR}" in text for text in messages), (arguments, messages)
    assert writes(aws.calls()) == []
