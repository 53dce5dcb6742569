# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shop slice on the emulator: the creator's Stripe keys in the creator's Secrets Manager, and the payment
functions' roles, on a picked account id (the emulator lets the creator role be assumed in any account).

The secret is read back inside the creator's account; the call log proves that a second run and check mode
write nothing and that a rotation writes one PutSecretValue. Both keys are searched for in the whole output of
every run (results, diffs, -vvv logging, the log file): they must never appear.
"""

import json

import pytest

PLAYBOOK = "tests/integration/playbooks/shop.yml"
CREATOR = "creator1"
ACCOUNT = "210987654321"
REGION = "eu-central-1"
SECRET = f"creatorcloud/{CREATOR}/stripe"
# Placeholders in the form of Stripe's test keys: the emulator's Stripe stand-in accepts any such key.
SECRET_KEY = "sk_test_51ShopCreatorOneNeverPrintedAbc123"
WEBHOOK_SECRET = "whsec_CreatorOneWebhookNeverPrintedXyz789"
TAGS = {"creatorcloud:creator": CREATOR, "creatorcloud:component": "shop", "cost-center": "creators-eu"}


def extra_vars(**variables):
    """Playbook arguments that set variables (JSON, so lists and numbers keep their types)."""
    return ("-e", json.dumps(variables))


@pytest.fixture
def account(aws, creator_client):
    """The picked account and a KMS key in it, as the account role makes them; the call log is empty."""
    key_arn = creator_client(ACCOUNT, "kms").create_key(Description="creator1's key")["KeyMetadata"]["Arn"]
    aws.reset_calls()
    return {"account_id": ACCOUNT, "account_kms_key_arn": key_arn}


@pytest.fixture
def secrets(account, creator_client):
    """A Secrets Manager client inside the picked account."""
    return creator_client(ACCOUNT, "secretsmanager")


@pytest.fixture
def run_shop(account, run_playbook, tmp_path):
    """`run_shop(*args, **variables)`: the shop playbook with the account, the keys and `variables`, logged to a file.

    Returns (run, the log file's text).
    """

    def runner(*args, **variables):
        keys = {"creator_stripe_secret_key": SECRET_KEY, "creator_stripe_webhook_secret": WEBHOOK_SECRET}
        log = tmp_path / "ansible.log"
        log.unlink(missing_ok=True)
        run = run_playbook(
            PLAYBOOK, *args, *extra_vars(**{**account, **keys, **variables}), env={"ANSIBLE_LOG_PATH": str(log)}
        )
        return run, log.read_text() if log.exists() else ""

    return runner


@pytest.fixture
def stored(run_shop, aws):
    """creator1's Stripe keys stored by a first run; the call log is empty."""
    run, _log = run_shop("-vvv")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    aws.reset_calls()
    return run


def module_result(run):
    [result] = run.results(CREATOR, action="creatorcloud.platform.shop")
    return result


def exported_facts(run):
    """The host facts the roles exported."""
    facts = {}
    for result in run.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


def calls_in_account(calls):
    """The calls made inside the creator's account (the inventory reads the organization besides)."""
    return [call for call in calls["calls"] if call["account"] == ACCOUNT]


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def assert_no_key_in(run, log, *values):
    """No value is anywhere in the run's output: results, diffs, warnings, -vvv logging, the log file."""
    for value in values:
        assert value not in json.dumps(run.output)
        assert value not in run.stderr
        assert value not in log


def test_first_run_stores_the_keys_encrypted_with_the_creators_key(run_shop, account, secrets, aws):
    run, log = run_shop("-vvv", "--diff")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"] is True
    assert result["changes"] == [f"store the Stripe keys in secret {SECRET}"]
    assert writes(aws.calls()) == [("secretsmanager", "CreateSecret")]
    secret = secrets.describe_secret(SecretId=SECRET)
    assert secret["KmsKeyId"] == account["account_kms_key_arn"]
    assert {tag["Key"]: tag["Value"] for tag in secret["Tags"]} == TAGS
    value = json.loads(secrets.get_secret_value(SecretId=SECRET)["SecretString"])
    assert value == {"secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}
    assert result["shop"] == {"secret_arn": secret["ARN"], "secret_name": SECRET}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["value"] == "(secret: changed)"
    facts = exported_facts(run)
    assert facts["shop_stripe_secret_arn"] == secret["ARN"]
    assert [table["name"] for table in facts["shop_tables"]] == ["Products", "Memberships", "Donations", "Idempotency"]
    assert_no_key_in(run, log, SECRET_KEY, WEBHOOK_SECRET)


def test_check_mode_of_a_new_secret_writes_nothing(run_shop, secrets, aws):
    run, log = run_shop("--check", "--diff")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"] is True and result["changes"] == [f"store the Stripe keys in secret {SECRET}"]
    assert result["shop"]["secret_arn"] is None
    assert aws.calls()["writes"] == 0
    assert secrets.list_secrets()["SecretList"] == []
    assert_no_key_in(run, log, SECRET_KEY, WEBHOOK_SECRET)


def test_second_run_and_check_mode_write_nothing(stored, run_shop, aws):
    for args in (("--diff", "-vvv"), ("--check", "--diff")):
        run, log = run_shop(*args)
        assert run.returncode == 0, run.failure_messages(CREATOR)
        result = module_result(run)
        assert result["changed"] is False and result["changes"] == []
        assert result["diff"]["before"] == result["diff"]["after"]
        assert result["diff"]["after"]["value"] == "(secret: unchanged)"
        assert aws.calls()["writes"] == 0
        assert_no_key_in(run, log, SECRET_KEY, WEBHOOK_SECRET)


def test_rotation_writes_one_new_version_and_never_prints_either_key(stored, run_shop, secrets, aws):
    new_key, new_webhook = "rk_live_RotatedRestrictedKey0987zyx", "whsec_RotatedWebhookSecret0987zyx"
    run, log = run_shop("-vvv", "--diff", creator_stripe_secret_key=new_key, creator_stripe_webhook_secret=new_webhook)
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert writes(aws.calls()) == [("secretsmanager", "PutSecretValue")]
    result = module_result(run)
    assert result["changes"] == [f"store new Stripe keys in secret {SECRET}"]
    assert result["diff"]["before"]["value"] == "(secret: unchanged)"
    assert result["diff"]["after"]["value"] == "(secret: changed)"
    value = json.loads(secrets.get_secret_value(SecretId=SECRET)["SecretString"])
    assert value == {"secret_key": new_key, "webhook_secret": new_webhook}
    assert_no_key_in(run, log, SECRET_KEY, WEBHOOK_SECRET, new_key, new_webhook)


def test_check_mode_of_a_rotation_writes_nothing(stored, run_shop, secrets, aws):
    run, _log = run_shop("--check", creator_stripe_webhook_secret="whsec_NotYetRotated12345678")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changes"] == [f"store new Stripe keys in secret {SECRET}"]
    assert aws.calls()["writes"] == 0
    assert json.loads(secrets.get_secret_value(SecretId=SECRET)["SecretString"])["webhook_secret"] == WEBHOOK_SECRET


def test_without_a_payment_feature_the_slice_does_nothing(run_shop, aws):
    run, _log = run_shop(creator_features=["website", "auth"])
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run).get("skipped") is True
    facts = exported_facts(run)
    assert facts["shop_stripe_secret_arn"] == "" and facts["shop_tables"] == []
    assert calls_in_account(aws.calls()) == [] and aws.calls()["writes"] == 0


PUBLISHABLE_KEY = "pk_test_51PublishableKeyNotASecret0"


@pytest.mark.parametrize(
    ("variables", "field", "hidden"),
    [
        (
            {"creator_stripe_secret_key": PUBLISHABLE_KEY},
            "stripe_secret_key is not a Stripe secret key",
            PUBLISHABLE_KEY,
        ),
        ({"creator_stripe_webhook_secret": ""}, "stripe_webhook_secret is missing", SECRET_KEY),
        (
            {"creator_stripe_webhook_secret": "sk_test_WrongFieldForWebhook1"},
            "stripe_webhook_secret is not",
            SECRET_KEY,
        ),
        (
            {"creator_membership_tiers": [{"id": "fan", "name": "Fan", "monthly": -500, "yearly": 5000}]},
            "membership_tiers[0].monthly -500 must be a whole number of cents",
            SECRET_KEY,
        ),
        ({"creator_donation_min": 5000, "creator_donation_max": 100}, "donation_min 5000 is above", SECRET_KEY),
        ({"creator_currency": "EURO"}, "currency 'EURO' is not a currency code", SECRET_KEY),
        ({"creator_shop_shipping_countries": ["DE", "de"]}, "shipping_countries[1] 'de' is not a country", SECRET_KEY),
    ],
    ids=[
        "publishable-key",
        "missing-webhook-secret",
        "wrong-webhook-secret",
        "negative-tier",
        "limits",
        "currency",
        "shipping-country",
    ],
)
def test_bad_input_fails_naming_the_field_before_any_call(run_shop, aws, variables, field, hidden):
    run, log = run_shop("-vvv", **variables)
    assert run.returncode != 0
    [message] = run.failure_messages(CREATOR)
    assert message.startswith(f"creator {CREATOR}: ") and field in message
    assert calls_in_account(aws.calls()) == [] and aws.calls()["writes"] == 0
    assert_no_key_in(run, log, hidden, WEBHOOK_SECRET)


@pytest.fixture
def user_pool(account, creator_client):
    """A user pool and app client in the picked account, as the auth role exports them."""
    cognito = creator_client(ACCOUNT, "cognito-idp")
    pool_id = cognito.create_user_pool(PoolName=f"creatorcloud-{CREATOR}-users")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="website")["UserPoolClient"]["ClientId"]
    return {"auth_user_pool_id": pool_id, "auth_client_id": client_id}


def test_payment_functions_may_read_only_the_stripe_secret(run_shop, user_pool, account, creator_client, secrets):
    features = ["website", "auth", "shop", "membership", "donations"]
    run, _log = run_shop(shop_test_with_api=True, creator_features=features, **user_pool)
    assert run.returncode == 0, run.failure_messages(CREATOR)
    secret = secrets.describe_secret(SecretId=SECRET)
    iam = creator_client(ACCOUNT, "iam")
    lambda_client = creator_client(ACCOUNT, "lambda")
    for function in ("shop", "membership", "donations", "stripe-webhook"):
        name = f"creatorcloud-{CREATOR}-{function}"
        policy = iam.get_role_policy(RoleName=name, PolicyName=name)["PolicyDocument"]
        statements = {statement["Sid"]: statement for statement in policy["Statement"]}
        assert statements["Secrets"]["Action"] == ["secretsmanager:GetSecretValue"]
        assert statements["Secrets"]["Resource"] == [secret["ARN"]]
        assert statements["SecretsKeys"]["Action"] == ["kms:Decrypt"]
        assert statements["SecretsKeys"]["Resource"] == [account["account_kms_key_arn"]]
        assert statements["SecretsKeys"]["Condition"] == {
            "StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}
        }
        granted = [
            (action, resource)
            for statement in policy["Statement"]
            for action in statement["Action"]
            for resource in statement["Resource"]
            if action.startswith(("secretsmanager:", "kms:"))
        ]
        assert granted == [
            ("secretsmanager:GetSecretValue", secret["ARN"]),
            ("kms:Decrypt", account["account_kms_key_arn"]),
        ], function
        environment = lambda_client.get_function_configuration(FunctionName=name)["Environment"]["Variables"]
        assert environment["STRIPE_SECRET_ARN"] == secret["ARN"]
        assert environment["SITE_URL"] == "https://creator1.example"
        assert environment["ORDERS_TABLE"] == f"creatorcloud-{CREATOR}-shoporders"
        assert "STRIPE_API_BASE" not in environment
    dynamodb = creator_client(ACCOUNT, "dynamodb")
    idempotency = dynamodb.describe_time_to_live(TableName=f"creatorcloud-{CREATOR}-idempotency")
    assert idempotency["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiration"}
    donations = dynamodb.describe_table(TableName=f"creatorcloud-{CREATOR}-donations")["Table"]
    [index] = donations["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "status-index"
    assert [key["AttributeName"] for key in index["KeySchema"]] == ["status", "createdAt"]
