# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Lambda functions' execution roles on the emulator: created once, then left alone, and least privilege.

The steps run inside a creator's account (an assumed creator role, as CreatorSession does) with
IAM's global endpoint; every property is read back with boto3, and the call log proves that a
second ensure and check mode write nothing and that a changed action list writes one PutRolePolicy.
"""

import copy
import json

import pytest
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from api_catalogue import api_catalogue
from iam_checks import granted
from iam_checks import policy_wildcards

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import FunctionRoleError
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import desired_function_role
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import ensure_function_role
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import read_function_role

ACCOUNT = "210987654321"
CREATOR = "creator1"
REGION = "eu-central-1"
USERS_TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/creatorcloud-creator1-users"
MESSAGES_TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/creatorcloud-creator1-messages"
TABLES = {
    "Users": {"arn": USERS_TABLE_ARN, "indexes": ["email-index", "username-index"]},
    "Messages": {"arn": MESSAGES_TABLE_ARN, "indexes": ["userId-index"]},
}
ROOM_ARN = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/AbCdEfGhIjKl"
POOL_ARN = f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_AbCdEf123"
TAGS = resource_tags(CREATOR, "api")
PROFILE = {
    "name": "profile",
    "tables": [
        {
            "name": "Users",
            "actions": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            "indexes": ["email-index", "username-index"],
        }
    ],
    "user_pool_actions": ["cognito-idp:ListUsers", "cognito-idp:AdminListGroupsForUser"],
}
POST_CONFIRMATION = {"name": "post-confirmation", "tables": [{"name": "Users", "actions": ["dynamodb:PutItem"]}]}


class RoleClients:
    """What the api module's clients object offers the role steps: IAM (global) in the creator's account."""

    def __init__(self, iam):
        self.iam = iam


@pytest.fixture
def clients(aws, creator_client):
    """Clients inside the creator's account, with an empty call log."""
    iam = creator_client(ACCOUNT, "iam", "us-east-1")
    aws.reset_calls()
    return RoleClients(iam)


def desired(spec=None):
    """The desired role of a function spec (the profile function's by default)."""
    return desired_function_role(CREATOR, spec or PROFILE, ACCOUNT, REGION, TABLES, POOL_ARN, TAGS, ROOM_ARN)


def ensure(clients, role, check_mode=False):
    """Read, then ensure, as the api module does; returns (changes made, state after)."""
    changes = Changes(check_mode)
    current = read_function_role(clients, role["role_name"])
    after = ensure_function_role(changes, clients, role, current)
    return changes.made, after


def writes(aws):
    return [call["operation"] for call in aws.calls()["calls"] if call["kind"] == "write"]


@pytest.fixture
def created(aws, clients):
    """The profile role, created; the call log is empty again."""
    made, after = ensure(clients, desired())
    aws.reset_calls()
    return after


def test_create_makes_the_role_with_its_trust_and_inline_policy(aws, clients):
    role = desired()
    made, after = ensure(clients, role)
    assert made == [
        "create IAM role creatorcloud-creator1-profile",
        "put the inline policy creatorcloud-creator1-profile of IAM role creatorcloud-creator1-profile",
    ]
    assert [call["operation"] for call in aws.calls()["calls"]] == ["GetRole", "CreateRole", "PutRolePolicy"]
    assert {call["account"] for call in aws.calls()["calls"]} == {ACCOUNT}, "only inside the creator's account"
    live = clients.iam.get_role(RoleName="creatorcloud-creator1-profile")["Role"]
    assert live["Path"] == "/creatorcloud/"
    assert live["Arn"] == after["role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/creatorcloud/creatorcloud-creator1-profile"
    assert not compare_policies(live["AssumeRolePolicyDocument"], role["assume_role_policy"])
    assert {tag["Key"]: tag["Value"] for tag in live["Tags"]} == TAGS
    policy = clients.iam.get_role_policy(RoleName=role["role_name"], PolicyName="creatorcloud-creator1-profile")
    assert not compare_policies(policy["PolicyDocument"], role["policy"])
    assert after["unmanaged_policies"] == []


def test_second_ensure_writes_nothing(aws, clients, created):
    made, after = ensure(clients, desired())
    assert made == []
    assert aws.calls()["writes"] == 0
    assert after["role_arn"] == created["role_arn"]
    assert [call["operation"] for call in aws.calls()["calls"]] == ["GetRole", "ListRolePolicies", "GetRolePolicy"]


def test_ensure_without_a_plan_reads_the_role_itself(aws, clients, created):
    changes = Changes(False)
    after = ensure_function_role(changes, clients, desired())
    assert changes.made == []
    assert aws.calls()["writes"] == 0
    assert after["role_arn"] == created["role_arn"]


def test_check_mode_predicts_a_new_role_and_writes_nothing(aws, clients):
    made, predicted = ensure(clients, desired(), check_mode=True)
    assert len(made) == 2
    assert aws.calls()["writes"] == 0
    assert clients.iam.list_roles(PathPrefix="/creatorcloud/")["Roles"] == []
    made, after = ensure(clients, desired())
    assert predicted["role_arn"] == after["role_arn"]


def test_a_changed_action_list_puts_the_inline_policy_only(aws, clients, created):
    spec = copy.deepcopy(PROFILE)
    spec["tables"][0]["actions"].append("dynamodb:Scan")
    made, after = ensure(clients, desired(spec))
    assert writes(aws) == ["PutRolePolicy"]
    assert made == [
        "put the inline policy creatorcloud-creator1-profile of IAM role creatorcloud-creator1-profile",
    ]
    assert "dynamodb:Scan" in granted(after["policy"])


def test_check_mode_of_a_change_writes_nothing(aws, clients, created):
    spec = copy.deepcopy(PROFILE)
    spec["user_pool_actions"] = ["cognito-idp:ListUsers"]
    made, after = ensure(clients, desired(spec), check_mode=True)
    assert len(made) == 1
    assert aws.calls()["writes"] == 0
    assert "cognito-idp:AdminListGroupsForUser" not in granted(after["policy"])


def test_drifted_trust_and_tags_are_put_back(aws, clients, created):
    role = desired()
    loose = copy.deepcopy(role["assume_role_policy"])
    del loose["Statement"][0]["Condition"]
    clients.iam.update_assume_role_policy(RoleName=role["role_name"], PolicyDocument=json.dumps(loose))
    clients.iam.untag_role(RoleName=role["role_name"], TagKeys=["creatorcloud:component"])
    clients.iam.tag_role(RoleName=role["role_name"], Tags=[{"Key": "owner", "Value": "someone"}])
    aws.reset_calls()
    made, after = ensure(clients, role)
    assert sorted(writes(aws)) == ["TagRole", "UntagRole", "UpdateAssumeRolePolicy"]
    assert after["tags"] == TAGS
    assert ensure(clients, role)[0] == []


def test_an_inline_policy_not_ours_is_left_alone_and_reported(aws, clients, created):
    foreign = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    clients.iam.put_role_policy(
        RoleName=created["role_name"], PolicyName="debugging", PolicyDocument=json.dumps(foreign)
    )
    aws.reset_calls()
    made, after = ensure(clients, desired())
    assert made == []
    assert aws.calls()["writes"] == 0
    assert after["unmanaged_policies"] == ["debugging"]
    assert sorted(clients.iam.list_role_policies(RoleName=created["role_name"])["PolicyNames"]) == [
        "creatorcloud-creator1-profile",
        "debugging",
    ]


def test_a_refused_write_names_what_had_changed(aws, clients):
    # The emulator validates policy documents like IAM does: a statement with an unknown Effect is refused.
    role = desired()
    role["policy"]["Statement"][0]["Effect"] = "Perhaps"
    with pytest.raises(ConvergeError) as failure:
        ensure(clients, role)
    assert "could not put the inline policy creatorcloud-creator1-profile" in failure.value.message
    assert failure.value.changes == ["create IAM role creatorcloud-creator1-profile"]


# Least privilege of the generated documents


@pytest.mark.parametrize("spec", [PROFILE, POST_CONFIRMATION], ids=["profile", "post-confirmation"])
def test_generated_policies_have_no_wildcard_but_the_log_streams(spec):
    role = desired(spec)
    function = f"creatorcloud-creator1-{spec['name']}"
    log_streams = rf"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{function}:log-stream:\*"
    assert policy_wildcards(role["policy"], [log_streams]) == []
    assert [(element, value) for _sid, element, value in policy_wildcards(role["policy"])] == [
        ("Resource", log_streams.replace("\\", ""))
    ]
    assert policy_wildcards(role["assume_role_policy"]) == []


def test_every_function_of_the_api_role_catalogue_gets_a_least_privilege_policy():
    catalogue = api_catalogue()
    for spec in catalogue:
        role = desired(spec)
        log_streams = rf"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{role['role_name']}:log-stream:\*"
        assert policy_wildcards(role["policy"], [log_streams]) == [], spec["name"]
        services = ("logs", "dynamodb", "cognito-idp", "ivschat")
        assert all(action.split(":")[0] in services for action in granted(role["policy"]))


def test_profile_policy_grants_exactly_its_spec():
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/creatorcloud-creator1-profile"
    table_and_indexes = [
        USERS_TABLE_ARN,
        f"{USERS_TABLE_ARN}/index/email-index",
        f"{USERS_TABLE_ARN}/index/username-index",
    ]
    assert granted(desired()["policy"]) == {
        "logs:CreateLogStream": [group, f"{group}:log-stream:*"],
        "logs:PutLogEvents": [group, f"{group}:log-stream:*"],
        **{action: sorted(table_and_indexes) for action in PROFILE["tables"][0]["actions"]},
        **{action: [POOL_ARN] for action in PROFILE["user_pool_actions"]},
    }


def test_post_confirmation_may_only_put_items_in_the_users_table():
    grants = granted(desired(POST_CONFIRMATION)["policy"])
    assert grants["dynamodb:PutItem"] == [USERS_TABLE_ARN]
    assert sorted(grants) == ["dynamodb:PutItem", "logs:CreateLogStream", "logs:PutLogEvents"]


def test_trust_is_lambda_for_the_creators_account_only():
    [statement] = desired()["assume_role_policy"]["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def test_statements_are_sorted_and_named():
    statements = desired()["policy"]["Statement"]
    assert [statement["Sid"] for statement in statements] == ["Logs", "TableUsers", "UserPool"]
    assert all(statement["Action"] == sorted(statement["Action"]) for statement in statements)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"tables": [{"name": "Users", "actions": ["dynamodb:GetItem"], "indexes": ["age-index"]}]},
            "no index 'age-index'",
        ),
        ({"tables": [{"name": "Orders", "actions": ["dynamodb:GetItem"]}]}, "table 'Orders' is not one of"),
        ({"tables": [{"name": "Users", "actions": ["dynamodb:*"]}]}, "lists 'dynamodb:\\*'"),
        ({"tables": [{"name": "Users", "actions": ["s3:GetObject"]}]}, "lists 's3:GetObject'"),
        ({"user_pool_actions": ["cognito-idp:Admin*"]}, "user_pool_actions lists"),
    ],
)
def test_a_spec_asking_for_too_much_is_refused_with_the_function_named(change, message):
    with pytest.raises(FunctionRoleError, match=f"function profile: .*{message}"):
        desired({**PROFILE, **change})


def test_user_pool_actions_need_a_pool():
    with pytest.raises(FunctionRoleError, match="function profile: user_pool_actions are set"):
        desired_function_role(CREATOR, PROFILE, ACCOUNT, REGION, TABLES, None, TAGS)


def test_the_role_carries_the_creator_and_component_tags_besides_the_users():
    role = desired_function_role(CREATOR, PROFILE, ACCOUNT, REGION, TABLES, POOL_ARN, {"team": "video"})
    assert role["tags"] == {**TAGS, "team": "video"}


def test_chat_may_act_on_its_room_only_and_the_review_only_puts_messages():
    catalogue = {spec["name"]: spec for spec in api_catalogue()}
    chat = granted(desired(catalogue["chat"])["policy"])
    for action in ("ivschat:CreateChatToken", "ivschat:DeleteMessage", "ivschat:DisconnectUser"):
        assert chat[action] == [ROOM_ARN]
    assert sorted(action for action in chat if action.startswith("ivschat:")) == [
        "ivschat:CreateChatToken",
        "ivschat:DeleteMessage",
        "ivschat:DisconnectUser",
    ]
    review = granted(desired(catalogue["chat-review"])["policy"])
    assert sorted(review) == ["dynamodb:PutItem", "logs:CreateLogStream", "logs:PutLogEvents"]
    assert review["dynamodb:PutItem"] == [MESSAGES_TABLE_ARN]


@pytest.mark.parametrize(
    ("room_actions", "room_arn", "message"),
    [
        (["ivschat:*"], ROOM_ARN, "room_actions lists 'ivschat:\\*'"),
        (["ivs:GetChannel"], ROOM_ARN, "room_actions lists 'ivs:GetChannel'"),
        (["ivschat:CreateChatToken"], None, "room_actions are set but there is no chat room ARN"),
    ],
)
def test_room_actions_are_single_ivschat_actions_on_a_known_room(room_actions, room_arn, message):
    with pytest.raises(FunctionRoleError, match=f"function profile: {message}"):
        desired_function_role(
            CREATOR, {**PROFILE, "room_actions": room_actions}, ACCOUNT, REGION, TABLES, POOL_ARN, TAGS, room_arn
        )
