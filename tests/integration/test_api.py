# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api slice on the emulator: roles config, account, auth, tables and api for creator1.

Every property is read back with boto3 inside the creator's own account (by assuming the creator
role there): functions, log groups, the functions' roles (least privilege), the HTTP API and the
permissions. The call log proves that a no-op run and check mode write nothing, that a changed
backend writes exactly one UpdateFunctionCode per function, and that a tier change writes only
the functions' configuration and the stage.
"""

import base64
import hashlib
import json
import os
import re
import shutil

import boto3
import pytest
import yaml
from api_catalogue import api_catalogue
from playbook_runner import REPO

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import (
    build_backend_package,
)

PLAYBOOK = "tests/integration/playbooks/api.yml"
CREATOR = "creator1"
REGION = "eu-central-1"
DOMAIN = "creator1.example"
CATALOGUE = api_catalogue()
# The functions these tests deploy: every feature's but chat's (see WITHOUT_CHAT).
SPECS = {spec["name"]: spec for spec in CATALOGUE if spec["feature"] != "chat"}
FUNCTIONS = {name: f"creatorcloud-{CREATOR}-{name}" for name in SPECS}
CHAT_FUNCTIONS = {name: f"creatorcloud-{CREATOR}-{name}" for name in ("chat", "chat-review")}
USERS_TABLE = f"creatorcloud-{CREATOR}-users"
ACCESS_LOG_GROUP = f"/aws/apigateway/creatorcloud-{CREATOR}-api"
TAGS = {"creatorcloud:creator": CREATOR, "creatorcloud:component": "api", "cost-center": "creators-eu"}
MEMORY = {"small": 256, "medium": 512}
THROTTLING = {"small": (50.0, 100), "medium": (200.0, 400)}


def extra_vars(**variables):
    """Playbook arguments that set variables (JSON, so lists and booleans keep their types)."""
    return ("-e", json.dumps(variables))


# creator1's features include chat, whose functions need the chat role's room: the playbook here runs no chat role,
# so the tests deploy the other features' functions, and the chat test names its room itself.
HOST_FEATURES = yaml.safe_load((REPO / f"inventories/local/host_vars/{CREATOR}.yml").read_text())["creator_features"]
WITHOUT_CHAT = extra_vars(creator_features=[feature for feature in HOST_FEATURES if feature != "chat"])


def module_result(run):
    [result] = run.results(CREATOR, action="creatorcloud.platform.api")
    return result


def exported_facts(run):
    """The host facts the roles exported."""
    facts = {}
    for result in run.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def code_sha256(zip_bytes):
    """What Lambda reports as CodeSha256: base64 of the SHA-256 of the zip."""
    return base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode()


@pytest.fixture
def prepared(organization, converged):
    """creator1's account, user pool and tables, without an API yet; the call log is empty."""
    return exported_facts(converged("creator1-api-prepared", PLAYBOOK, *WITHOUT_CHAT, *extra_vars(api_functions=[])))


@pytest.fixture
def deployed(prepared, converged):
    """creator1 with its API; returns the run, and leaves the call log empty."""
    return converged("creator1-api-deployed", PLAYBOOK, *WITHOUT_CHAT)


@pytest.fixture
def creator(prepared, creator_client):
    """`creator(service)`: a boto3 client inside creator1's account (assumed creator role)."""
    return lambda service: creator_client(prepared["account_id"], service, REGION)


def test_check_mode_on_a_fresh_account_writes_nothing_and_predicts(prepared, run_playbook, aws, creator):
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, "--check", "--diff")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"] is True
    assert writes(aws.calls()) == []
    changes = result["changes"]
    for name in FUNCTIONS.values():
        assert f"create log group /aws/lambda/{name}" in changes
        assert f"create IAM role {name}" in changes
        assert f"create function {name}" in changes
    assert f"create log group {ACCESS_LOG_GROUP}" in changes
    assert changes.index(f"create IAM role {FUNCTIONS['profile']}") < changes.index(
        f"create function {FUNCTIONS['profile']}"
    )
    assert any(change.startswith("create HTTP API") for change in changes), changes
    assert changes[-2:] == [
        f"allow apigateway.amazonaws.com to invoke function {FUNCTIONS['profile']} (creatorcloud-api-invoke)",
        f"allow cognito-idp.amazonaws.com to invoke function {FUNCTIONS['post-confirmation']} "
        "(creatorcloud-cognito-trigger)",
    ]
    assert result["diff"]["before"]["functions"] == dict.fromkeys(sorted(FUNCTIONS.values()))
    assert result["diff"]["after"]["functions"][FUNCTIONS["profile"]]["memory_size"] == MEMORY["small"]
    assert creator("lambda").list_functions()["Functions"] == []


def test_check_mode_of_a_new_creator_says_what_it_would_create(organization, run_playbook):
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, "--check")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert all(result.get("skipped") for result in run.results(CREATOR, action="creatorcloud.platform.api"))
    [message] = [
        result["msg"]
        for result in run.results(CREATOR, action="ansible.builtin.debug")
        if "skipped the API" in result.get("msg", "")
    ]
    assert "profile, post-confirmation" in message and f"creatorcloud-{CREATOR}-api" in message
    assert writes(organization.calls()) == []
    assert exported_facts(run)["api_url"] == ""


def assert_function(client, function, spec, facts, tier="small", package_sha=None):
    """Every setting of one function, read back from Lambda."""
    name = FUNCTIONS[function]
    answer = client.get_function(FunctionName=name)
    configuration = answer["Configuration"]
    assert configuration["Runtime"] == "python3.12"
    assert configuration["Architectures"] == ["arm64"]
    assert configuration["MemorySize"] == MEMORY[tier]
    assert configuration["Timeout"] == 10
    assert configuration["Handler"] == spec["handler"]
    assert configuration["Role"] == f"arn:aws:iam::{facts['account_id']}:role/creatorcloud/{name}"
    assert configuration["Environment"]["Variables"] == {
        **{
            f"{table['name'].upper()}_TABLE": f"creatorcloud-{CREATOR}-{table['name'].lower()}"
            for table in spec["tables"]
        },
        "USER_POOL_ID": facts["auth_user_pool_id"],
        "POWERTOOLS_SERVICE_NAME": function,
    }
    if package_sha:
        assert configuration["CodeSha256"] == package_sha
    assert answer["Tags"] == TAGS
    return configuration


def assert_least_privilege(iam, function, spec, facts):
    """The function's role: trusted by Lambda of this account only; its policy names only its own resources."""
    name = FUNCTIONS[function]
    account_id = facts["account_id"]
    role = iam.get_role(RoleName=name)["Role"]
    assert role["Path"] == "/creatorcloud/"
    assert {tag["Key"]: tag["Value"] for tag in iam.list_role_tags(RoleName=name)["Tags"]} == TAGS
    trust = role["AssumeRolePolicyDocument"]
    [statement] = trust["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": account_id}}
    assert iam.list_role_policies(RoleName=name)["PolicyNames"] == [name]
    policy = iam.get_role_policy(RoleName=name, PolicyName=name)["PolicyDocument"]
    log_group = f"arn:aws:logs:{REGION}:{account_id}:log-group:/aws/lambda/{name}"
    pool = f"arn:aws:cognito-idp:{REGION}:{account_id}:userpool/{facts['auth_user_pool_id']}"
    granted = {}
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for action in actions:
            assert "*" not in action, action
        for resource in resources:
            # The one wildcard allowed: the streams of the function's own log group, named by Lambda.
            assert "*" not in resource or resource == f"{log_group}:log-stream:*", resource
            granted.setdefault(resource, set()).update(actions)
    expected = {
        log_group: {"logs:CreateLogStream", "logs:PutLogEvents"},
        f"{log_group}:log-stream:*": {"logs:CreateLogStream", "logs:PutLogEvents"},
    }
    # Only the function's own tables, and of those only the indexes it names.
    for table in spec["tables"]:
        table_arn = f"arn:aws:dynamodb:{REGION}:{account_id}:table/creatorcloud-{CREATOR}-{table['name'].lower()}"
        for resource in [table_arn, *(f"{table_arn}/index/{index}" for index in table.get("indexes", []))]:
            expected[resource] = set(table["actions"])
    if spec.get("user_pool_actions"):
        expected[pool] = set(spec["user_pool_actions"])
    assert granted == expected


def test_every_property_is_read_back(deployed, prepared, creator):
    result = module_result(deployed)
    facts = prepared
    account_id = facts["account_id"]
    lambda_client, iam, logs = creator("lambda"), creator("iam"), creator("logs")
    shas = set()
    for function, spec in SPECS.items():
        configuration = assert_function(lambda_client, function, spec, facts)
        shas.add(configuration["CodeSha256"])
        assert_least_privilege(iam, function, spec, facts)
        returned = result["api"]["functions"][function]
        assert returned == {
            "function_name": FUNCTIONS[function],
            "function_arn": f"arn:aws:lambda:{REGION}:{account_id}:function:{FUNCTIONS[function]}",
            "role_arn": configuration["Role"],
            "code_sha256": configuration["CodeSha256"],
            "log_group": f"/aws/lambda/{FUNCTIONS[function]}",
        }
    # The same package the module built (from the wheel cache it filled): Lambda's CodeSha256 is base64(SHA-256).
    package = build_backend_package(REPO / "files/backend", os.path.expanduser("~/.cache/creatorcloud/lambda-wheels"))
    assert shas == {code_sha256(package.zip_bytes)}, "every function runs the one package, unchanged"

    groups = {group["logGroupName"]: group for group in logs.describe_log_groups()["logGroups"]}
    for name in [*(f"/aws/lambda/{function}" for function in FUNCTIONS.values()), ACCESS_LOG_GROUP]:
        assert groups[name]["retentionInDays"] == 30
        arn = f"arn:aws:logs:{REGION}:{account_id}:log-group:{name}"
        assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == TAGS

    api_id = result["api"]["api_id"]
    gateway = creator("apigatewayv2")
    api = gateway.get_api(ApiId=api_id)
    assert api["Name"] == f"creatorcloud-{CREATOR}-api"
    assert api["ProtocolType"] == "HTTP"
    assert api["Tags"] == TAGS
    assert api["ApiEndpoint"] == result["api"]["api_endpoint"]
    cors = api["CorsConfiguration"]
    assert sorted(cors["AllowOrigins"]) == [f"https://{DOMAIN}", f"https://www.{DOMAIN}"]
    assert sorted(cors["AllowMethods"]) == ["DELETE", "GET", "POST", "PUT"]
    assert sorted(cors["AllowHeaders"]) == ["authorization", "content-type"]
    assert cors["MaxAge"] == 600
    assert cors.get("AllowCredentials", False) is False

    [authorizer] = gateway.get_authorizers(ApiId=api_id)["Items"]
    assert authorizer["AuthorizerId"] == result["api"]["authorizer_id"]
    assert authorizer["Name"] == "cognito"
    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    assert authorizer["JwtConfiguration"] == {
        "Issuer": f"https://cognito-idp.{REGION}.amazonaws.com/{facts['auth_user_pool_id']}",
        "Audience": [facts["auth_client_id"]],
    }

    profile_arn = result["api"]["functions"]["profile"]["function_arn"]
    [integration] = gateway.get_integrations(ApiId=api_id)["Items"]
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["IntegrationUri"] == profile_arn
    assert integration["PayloadFormatVersion"] == "2.0"
    assert integration["IntegrationMethod"] == "POST"

    routes = {route["RouteKey"]: route for route in gateway.get_routes(ApiId=api_id)["Items"]}
    assert sorted(routes) == sorted(route["route_key"] for route in SPECS["profile"]["routes"])
    for route in SPECS["profile"]["routes"]:
        found = routes[route["route_key"]]
        assert found["Target"] == f"integrations/{integration['IntegrationId']}"
        if route.get("authorization") == "none":
            assert found["AuthorizationType"] == "NONE"
            assert not found.get("AuthorizerId")
        else:
            assert found["AuthorizationType"] == "JWT"
            assert found["AuthorizerId"] == authorizer["AuthorizerId"]

    stage = gateway.get_stage(ApiId=api_id, StageName="$default")
    assert stage["AutoDeploy"] is True
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == THROTTLING["small"][0]
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == THROTTLING["small"][1]
    assert stage["AccessLogSettings"]["DestinationArn"] == (
        f"arn:aws:logs:{REGION}:{account_id}:log-group:{ACCESS_LOG_GROUP}"
    )
    log_format = json.loads(stage["AccessLogSettings"]["Format"])
    assert sorted(log_format) == sorted(
        [
            "requestId",
            "ip",
            "requestTime",
            "httpMethod",
            "routeKey",
            "status",
            "responseLength",
            "integrationErrorMessage",
        ]
    )
    assert all(re.match(r"^\$context\.", value) for value in log_format.values())

    [api_permission] = json.loads(lambda_client.get_policy(FunctionName=FUNCTIONS["profile"])["Policy"])["Statement"]
    assert api_permission["Sid"] == "creatorcloud-api-invoke"
    assert api_permission["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert api_permission["Action"] == "lambda:InvokeFunction"
    assert api_permission["Condition"]["ArnLike"]["AWS:SourceArn"] == (
        f"arn:aws:execute-api:{REGION}:{account_id}:{api_id}/*"
    )
    policy = lambda_client.get_policy(FunctionName=FUNCTIONS["post-confirmation"])["Policy"]
    [trigger_permission] = json.loads(policy)["Statement"]
    assert trigger_permission["Sid"] == "creatorcloud-cognito-trigger"
    assert trigger_permission["Principal"] == {"Service": "cognito-idp.amazonaws.com"}
    assert trigger_permission["Condition"]["ArnLike"]["AWS:SourceArn"] == (
        f"arn:aws:cognito-idp:{REGION}:{account_id}:userpool/{facts['auth_user_pool_id']}"
    )

    pool = creator("cognito-idp").describe_user_pool(UserPoolId=facts["auth_user_pool_id"])["UserPool"]
    assert pool["LambdaConfig"]["PostConfirmation"] == result["api"]["functions"]["post-confirmation"]["function_arn"]

    exported = exported_facts(deployed)
    assert exported["api_id"] == api_id
    assert exported["api_url"] == f"https://{api_id}.execute-api.{REGION}.amazonaws.com"
    assert exported["api_functions_deployed"] == result["api"]["functions"]


def test_second_run_and_check_mode_write_nothing(deployed, run_playbook, aws):
    for args in ((), ("--check", "--diff")):
        run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *args)
        assert run.returncode == 0, run.failure_messages(CREATOR)
        result = module_result(run)
        assert result["changed"] is False
        assert result["changes"] == []
        assert result["diff"]["before"] == result["diff"]["after"]
        assert run.changed(CREATOR) == 0
        assert writes(aws.calls()) == []
        assert aws.calls()["writes"] == 0
        aws.reset_calls()


def test_a_changed_backend_uploads_the_code_once_per_function(deployed, run_playbook, aws, creator, tmp_path):
    backend = tmp_path / "backend"
    shutil.copytree(REPO / "files/backend", backend, ignore=shutil.ignore_patterns("__pycache__"))
    settings = backend / "creatorcloud_backend/settings.py"
    settings.write_text(settings.read_text() + "\n# A change of the source: a new package.\n")
    before = module_result(deployed)["api"]["functions"]["profile"]["code_sha256"]

    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *extra_vars(api_backend_dir=str(backend)))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    after = module_result(run)["api"]["functions"]["profile"]["code_sha256"]
    assert after != before
    assert writes(aws.calls()) == [("lambda", "UpdateFunctionCode")] * len(FUNCTIONS)
    assert module_result(run)["changes"] == [
        f"update the code of function {name} to {after}" for name in FUNCTIONS.values()
    ]
    for name in FUNCTIONS.values():
        assert creator("lambda").get_function(FunctionName=name)["Configuration"]["CodeSha256"] == after

    aws.reset_calls()
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *extra_vars(api_backend_dir=str(backend)))
    assert module_result(run)["changed"] is False
    assert writes(aws.calls()) == []


def test_a_tier_change_writes_only_the_configuration_and_the_stage(deployed, prepared, run_playbook, aws, creator):
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, "--check", *extra_vars(creator_tier="medium"))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    planned = module_result(run)["changes"]
    assert writes(aws.calls()) == []

    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *extra_vars(creator_tier="medium"))
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changes"] == planned
    assert sorted(writes(aws.calls())) == sorted(
        [("lambda", "UpdateFunctionConfiguration")] * len(FUNCTIONS) + [("apigateway", "UpdateStage")]
    )
    for function, spec in SPECS.items():
        assert_function(creator("lambda"), function, spec, prepared, tier="medium")
    api_id = module_result(run)["api"]["api_id"]
    stage = creator("apigatewayv2").get_stage(ApiId=api_id, StageName="$default")
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == THROTTLING["medium"][0]
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == THROTTLING["medium"][1]


def with_profile(**changes):
    """The catalogue with the profile function changed."""
    return [dict(spec, **changes) if spec["name"] == "profile" else spec for spec in CATALOGUE]


@pytest.mark.parametrize(
    "functions, expected",
    [
        (
            with_profile(routes=[{"route_key": "GET /me"}]),
            "functions[0].routes[0].route_key 'GET /me' must be a method",
        ),
        (
            with_profile(tables=[{"name": "Orders", "actions": ["dynamodb:GetItem"]}]),
            "functions[0].tables[0].name 'Orders' is not in tables",
        ),
        (with_profile(name="Profile_1"), "functions[0].name 'Profile_1' must be lower-case"),
        (
            with_profile(tables=[{"name": "Users", "actions": ["dynamodb:*"]}]),
            "functions[0].tables[0].actions 'dynamodb:*' must be one dynamodb: action",
        ),
    ],
    ids=["route-key", "unknown-table", "function-name", "wildcard-action"],
)
def test_bad_input_fails_before_any_write(prepared, run_playbook, aws, creator, functions, expected):
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *extra_vars(api_functions=functions))
    assert run.returncode != 0
    messages = run.failure_messages(CREATOR)
    assert any(expected in message and message.startswith(f"creator {CREATOR}:") for message in messages), messages
    assert writes(aws.calls()) == []
    assert creator("lambda").list_functions()["Functions"] == []


def test_drift_is_set_back_with_one_write_each(deployed, prepared, run_playbook, aws, creator):
    lambda_client, iam = creator("lambda"), creator("iam")
    package = build_backend_package(REPO / "files/backend", os.path.expanduser("~/.cache/creatorcloud/lambda-wheels"))
    profile, trigger = FUNCTIONS["profile"], FUNCTIONS["post-confirmation"]
    # The same code built for another architecture: only UpdateFunctionCode can set it back.
    lambda_client.update_function_code(FunctionName=profile, ZipFile=package.zip_bytes, Architectures=["x86_64"])
    lambda_client.update_function_configuration(
        FunctionName=trigger,
        MemorySize=1024,
        Environment={"Variables": {"USERS_TABLE": USERS_TABLE, "DEBUG": "1"}},
    )
    lambda_client.untag_resource(
        Resource=module_result(deployed)["api"]["functions"]["post-confirmation"]["function_arn"],
        TagKeys=["cost-center"],
    )
    lambda_client.remove_permission(FunctionName=profile, StatementId="creatorcloud-api-invoke")
    creator("logs").put_retention_policy(logGroupName=ACCESS_LOG_GROUP, retentionInDays=7)
    wide = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
    iam.put_role_policy(RoleName=profile, PolicyName=profile, PolicyDocument=json.dumps(wide))
    aws.reset_calls()

    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT)
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert writes(aws.calls()) == [
        ("logs", "PutRetentionPolicy"),
        ("iam", "PutRolePolicy"),
        ("lambda", "UpdateFunctionCode"),
        ("lambda", "UpdateFunctionConfiguration"),
        ("lambda", "TagResource"),
        ("lambda", "AddPermission"),
    ]
    for function, spec in SPECS.items():
        assert_function(lambda_client, function, spec, prepared, package_sha=package.code_sha256)
        assert_least_privilege(iam, function, spec, prepared)
    assert (
        creator("logs").describe_log_groups(logGroupNamePrefix=ACCESS_LOG_GROUP)["logGroups"][0]["retentionInDays"]
        == 30
    )
    [statement] = json.loads(lambda_client.get_policy(FunctionName=profile)["Policy"])["Statement"]
    assert statement["Sid"] == "creatorcloud-api-invoke"
    aws.reset_calls()
    assert module_result(run_playbook(PLAYBOOK, *WITHOUT_CHAT))["changed"] is False
    assert writes(aws.calls()) == []


def test_a_backend_that_cannot_be_built_fails_before_any_write(prepared, run_playbook, aws, creator, tmp_path):
    backend = tmp_path / "backend"
    shutil.copytree(REPO / "files/backend/creatorcloud_backend", backend / "creatorcloud_backend")
    # No requirements.txt: the build fails locally, without asking the package index.
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *extra_vars(api_backend_dir=str(backend)))
    assert run.returncode != 0
    [message] = run.failure_messages(CREATOR)
    assert message.startswith(f"creator {CREATOR}: could not build the backend package"), message
    assert writes(aws.calls()) == []
    assert creator("lambda").list_functions()["Functions"] == []


def test_a_role_that_lambda_cannot_assume_yet_is_retried():
    """IAM is eventually consistent: CreateFunction right after CreateRole may answer InvalidParameterValue.

    The emulator makes a role assumable at once, so botocore's Stubber plays AWS here.
    """
    from botocore.stub import Stubber

    from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import awslambda

    client = boto3.client("lambda", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    request = {"FunctionName": FUNCTIONS["profile"], "Role": "arn:aws:iam::123456789012:role/r", "Code": {}}
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "create_function",
            service_error_code="InvalidParameterValueException",
            service_message="The role defined for the function cannot be assumed by Lambda.",
        )
        stubber.add_response("create_function", {"FunctionName": FUNCTIONS["profile"]})
        assert awslambda.create_function(client, request)["FunctionName"] == FUNCTIONS["profile"]
        stubber.assert_no_pending_responses()


def test_a_creator_with_chat_gets_both_chat_functions(prepared, run_playbook, aws, creator):
    run = run_playbook("tests/integration/playbooks/chat.yml")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    room_arn = exported_facts(run)["chat_room_arn"]
    account_id = prepared["account_id"]
    chat_vars = extra_vars(
        creator_features=["website", "auth", "chat"],
        chat_room_arn=room_arn,
        creator_chat_blocked_words=["spam", "scam"],
        creator_chat_allow_links=True,
    )

    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *chat_vars)

    assert run.returncode == 0, run.failure_messages(CREATOR)
    lambda_client, iam = creator("lambda"), creator("iam")
    chat = lambda_client.get_function(FunctionName=CHAT_FUNCTIONS["chat"])["Configuration"]
    assert chat["Handler"] == "creatorcloud_backend.handlers.chat.handler"
    assert chat["Environment"]["Variables"] == {
        "MESSAGES_TABLE": f"creatorcloud-{CREATOR}-messages",
        "USERS_TABLE": USERS_TABLE,
        "USER_POOL_ID": prepared["auth_user_pool_id"],
        "CHAT_ROOM_ARN": room_arn,
        "POWERTOOLS_SERVICE_NAME": "chat",
    }
    review = lambda_client.get_function(FunctionName=CHAT_FUNCTIONS["chat-review"])["Configuration"]
    assert review["Environment"]["Variables"] == {
        "MESSAGES_TABLE": f"creatorcloud-{CREATOR}-messages",
        "USER_POOL_ID": prepared["auth_user_pool_id"],
        "CHAT_BLOCKED_WORDS": '["spam", "scam"]',
        "CHAT_ALLOW_LINKS": "true",
        "CHAT_MAX_MESSAGE_LENGTH": "500",
        "POWERTOOLS_SERVICE_NAME": "chat-review",
    }

    [permission] = json.loads(lambda_client.get_policy(FunctionName=CHAT_FUNCTIONS["chat-review"])["Policy"])[
        "Statement"
    ]
    assert permission["Sid"] == "creatorcloud-chat-review"
    assert permission["Principal"] == {"Service": "ivschat.amazonaws.com"}
    assert permission["Condition"]["ArnLike"]["AWS:SourceArn"] == room_arn
    assert permission["Condition"]["StringEquals"]["AWS:SourceAccount"] == account_id

    # Least privilege: only the chat function may act on the room, and on that room only.
    def statements(function):
        name = CHAT_FUNCTIONS[function]
        document = iam.get_role_policy(RoleName=name, PolicyName=name)["PolicyDocument"]
        return {statement["Sid"]: statement for statement in document["Statement"]}

    room_statement = statements("chat")["ChatRoom"]
    assert room_statement["Action"] == ["ivschat:CreateChatToken", "ivschat:DeleteMessage", "ivschat:DisconnectUser"]
    assert room_statement["Resource"] == [room_arn]
    assert set(statements("chat-review")) == {"Logs", "TableMessages"}
    assert statements("chat-review")["TableMessages"]["Action"] == ["dynamodb:PutItem"]

    aws.reset_calls()
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *chat_vars)
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run)["changes"] == []
    assert writes(aws.calls()) == []


def test_chat_functions_without_a_room_fail_before_any_write(prepared, run_playbook, aws):
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT, *extra_vars(creator_features=["website", "auth", "chat"]))

    assert run.returncode != 0
    [message] = run.failure_messages(CREATOR)
    assert "room_actions and the ivschat_message_review trigger need chat_room_arn" in message
    assert writes(aws.calls()) == []
