# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The auth slice on the emulator: roles config, account and auth for creator1 and creator2.

Every property is read back with boto3 inside the creator's own account (by assuming the creator
role there); the call log proves no-op runs and check mode write nothing, and that a changed
setting writes exactly the one resource it belongs to.
"""

import json

import pytest
import yaml
from playbook_runner import REPO

PLAYBOOK = "tests/integration/playbooks/auth.yml"
CREATORS = ("creator1", "creator2")
MANAGEMENT_ACCOUNT = "123456789012"
HOST_VARS = {
    creator: yaml.safe_load((REPO / f"inventories/local/host_vars/{creator}.yml").read_text()) for creator in CREATORS
}
CREATES = [
    "CreateUserPool",
    "SetUserPoolMfaConfig",
    "CreateUserPoolClient",
    "CreateGroup",
    "CreateGroup",
    "CreateGroup",
    "CreateGroup",
    "CreateGroup",
    "AdminCreateUser",
    "AdminAddUserToGroup",
]


@pytest.fixture
def onboarded(organization, converged):
    """Both creators onboarded up to their sign-in; returns the run, and leaves the call log empty."""
    return converged("auth-onboarded", PLAYBOOK)


@pytest.fixture
def in_account(creator_client):
    """`in_account(account_id)`: a cognito-idp client inside that account (assumed creator role)."""
    return lambda account_id: creator_client(account_id, "cognito-idp")


def module_result(run, creator, module="auth"):
    [result] = run.results(creator, action=f"creatorcloud.platform.{module}")
    return result


def account_of(run, creator):
    return module_result(run, creator, "creator_account")["account"]["account_id"]


def exported_facts(run, creator):
    """The host facts that the roles exported."""
    facts = {}
    for result in run.results(creator, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


def writes(calls):
    return [call for call in calls["calls"] if call["kind"] == "write"]


def assert_pool(cognito, facts, creator):
    [summary] = cognito.list_user_pools(MaxResults=60)["UserPools"]
    assert (summary["Id"], summary["Name"]) == (facts["auth_user_pool_id"], f"creatorcloud-{creator}-users")
    pool = cognito.describe_user_pool(UserPoolId=summary["Id"])["UserPool"]
    assert facts["auth_issuer"] == f"https://cognito-idp.eu-central-1.amazonaws.com/{summary['Id']}"
    assert facts["auth_jwks_url"] == f"{facts['auth_issuer']}/.well-known/jwks.json"
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 12,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]}
    assert pool["UserAttributeUpdateSettings"] == {"AttributesRequireVerificationBeforeUpdate": ["email"]}
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    # The api slice's function, named before it exists (the api role runs after the auth role).
    account_id = facts["auth_user_pool_arn"].split(":")[4]
    trigger = f"arn:aws:lambda:eu-central-1:{account_id}:function:creatorcloud-{creator}-post-confirmation"
    assert pool["LambdaConfig"] == {"PostConfirmation": trigger}
    assert pool["UserPoolTags"] == {
        "creatorcloud:creator": creator,
        "creatorcloud:component": "auth",
        **HOST_VARS[creator]["creator_tags"],
    }
    mfa = cognito.get_user_pool_mfa_config(UserPoolId=summary["Id"])
    assert (mfa["MfaConfiguration"], mfa["SoftwareTokenMfaConfiguration"]) == ("OPTIONAL", {"Enabled": True})


def assert_client(cognito, facts, creator):
    domain = HOST_VARS[creator]["creator_domain"]
    [summary] = cognito.list_user_pool_clients(UserPoolId=facts["auth_user_pool_id"])["UserPoolClients"]
    assert (summary["ClientId"], summary["ClientName"]) == (facts["auth_client_id"], f"creatorcloud-{creator}-website")
    client = cognito.describe_user_pool_client(UserPoolId=facts["auth_user_pool_id"], ClientId=summary["ClientId"])
    client = client["UserPoolClient"]
    assert "ClientSecret" not in client
    assert sorted(client["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert (client["AccessTokenValidity"], client["IdTokenValidity"], client["RefreshTokenValidity"]) == (60, 60, 30)
    assert client["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    sites = [f"https://{domain}", f"https://www.{domain}"]
    assert sorted(client["CallbackURLs"]) == sorted(
        f"{site}{path}" for site in sites for path in ("/", "/account.html")
    )
    assert sorted(client["LogoutURLs"]) == [f"{site}/" for site in sites]
    assert (client["AllowedOAuthFlows"], client["AllowedOAuthFlowsUserPoolClient"]) == (["code"], True)
    assert sorted(client["AllowedOAuthScopes"]) == ["email", "openid", "profile"]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    assert (client["PreventUserExistenceErrors"], client["EnableTokenRevocation"]) == ("ENABLED", True)


def assert_groups_and_admins(cognito, pool_id, admins):
    groups = cognito.list_groups(UserPoolId=pool_id)["Groups"]
    assert {group["GroupName"]: group["Precedence"] for group in groups} == {
        "admin": 0,
        "moderator": 5,
        "door": 7,
        "premium": 10,
        "member": 20,
    }
    members = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="admin")["Users"]
    emails = [{a["Name"]: a["Value"] for a in user["Attributes"]}["email"] for user in members]
    assert sorted(emails) == sorted(admins)
    assert {user["UserStatus"] for user in members} == {"FORCE_CHANGE_PASSWORD"}


def test_check_mode_on_new_creators_plans_the_sign_in_and_writes_nothing(organization, run_playbook):
    run = run_playbook(PLAYBOOK, "--check", "--diff")

    assert run.returncode == 0, run.stderr
    for creator in CREATORS:
        assert module_result(run, creator)["skipped"] is True
        plans = [r["msg"] for r in run.results(creator, action="ansible.builtin.debug") if r.get("changed")]
        assert any(f"creates the user pool creatorcloud-{creator}-users" in plan for plan in plans)
        assert exported_facts(run, creator)["auth_user_pool_id"] == ""
    assert writes(organization.calls()) == []


def test_the_sign_in_converges_in_each_creators_own_account(organization, run_playbook, in_account):
    run = run_playbook(PLAYBOOK)

    assert run.returncode == 0, run.stderr
    calls = organization.calls()
    accounts = {}
    for creator in CREATORS:
        account_id = accounts[creator] = account_of(run, creator)
        facts = exported_facts(run, creator)
        result = module_result(run, creator)
        assert result["auth"]["user_pool_id"] == facts["auth_user_pool_id"]
        assert result["auth"]["admins_invited"] == HOST_VARS[creator]["creator_admins"]
        assert result["diff"]["before"]["user_pool"] is None
        cognito = in_account(account_id)
        assert_pool(cognito, facts, creator)
        assert_client(cognito, facts, creator)
        assert_groups_and_admins(cognito, facts["auth_user_pool_id"], HOST_VARS[creator]["creator_admins"])
        creates = [
            c["operation"] for c in writes(calls) if c["account"] == account_id and c["service"] == "cognito-idp"
        ]
        assert sorted(creates) == sorted(CREATES)
    assert accounts["creator1"] != accounts["creator2"]
    cognito_writes = [c for c in writes(calls) if c["service"] == "cognito-idp"]
    assert {c["account"] for c in cognito_writes} == set(accounts.values())
    assert in_account(MANAGEMENT_ACCOUNT).list_user_pools(MaxResults=60)["UserPools"] == []


def test_a_second_run_and_check_mode_write_nothing(onboarded, run_playbook, organization):
    again = run_playbook(PLAYBOOK)

    assert again.returncode == 0, again.stderr
    assert [again.changed(creator) for creator in CREATORS] == [0, 0]
    assert [module_result(again, creator)["changes"] for creator in CREATORS] == [[], []]
    assert [module_result(again, creator)["auth"]["admins_invited"] for creator in CREATORS] == [[], []]
    assert writes(organization.calls()) == []

    organization.reset_calls()
    check = run_playbook(PLAYBOOK, "--check", "--diff")

    assert check.returncode == 0, check.stderr
    assert [check.changed(creator) for creator in CREATORS] == [0, 0]
    assert writes(organization.calls()) == []


def test_a_shorter_access_token_updates_exactly_the_app_client(onboarded, run_playbook, organization, in_account):
    account_id = account_of(onboarded, "creator1")
    facts = exported_facts(onboarded, "creator1")
    lifetimes = json.dumps({"auth_token_lifetimes": {"access_minutes": 15, "id_minutes": 60, "refresh_days": 30}})

    plan = run_playbook(PLAYBOOK, "-l", "creator1", "-e", lifetimes, "--check", "--diff")
    assert writes(organization.calls()) == []
    applied = run_playbook(PLAYBOOK, "-l", "creator1", "-e", lifetimes)

    assert applied.returncode == 0, applied.stderr
    for run in (plan, applied):
        result = module_result(run, "creator1")
        assert result["changes"] == ["update app client creatorcloud-creator1-website: AccessTokenValidity"]
        assert result["diff"]["before"]["app_client"]["access_token_minutes"] == 60
        assert result["diff"]["after"]["app_client"]["access_token_minutes"] == 15
    assert [(c["operation"], c["account"]) for c in writes(organization.calls())] == [
        ("UpdateUserPoolClient", account_id)
    ]
    client = in_account(account_id).describe_user_pool_client(
        UserPoolId=facts["auth_user_pool_id"], ClientId=facts["auth_client_id"]
    )["UserPoolClient"]
    assert (client["AccessTokenValidity"], client["IdTokenValidity"], client["RefreshTokenValidity"]) == (15, 60, 30)
    assert client["TokenValidityUnits"]["AccessToken"] == "minutes"


def test_another_post_confirmation_trigger_updates_the_pool_with_all_its_settings(
    onboarded, run_playbook, organization, in_account
):
    account_id = account_of(onboarded, "creator1")
    pool_id = exported_facts(onboarded, "creator1")["auth_user_pool_id"]
    function = f"arn:aws:lambda:eu-central-1:{account_id}:function:creatorcloud-creator1-signup-hook"

    run = run_playbook(PLAYBOOK, "-l", "creator1", "-e", f"auth_post_confirmation_lambda_arn={function}")

    assert run.returncode == 0, run.stderr
    assert module_result(run, "creator1")["changes"] == ["update user pool creatorcloud-creator1-users: LambdaConfig"]
    assert [c["operation"] for c in writes(organization.calls())] == ["UpdateUserPool"]
    pool = in_account(account_id).describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["LambdaConfig"] == {"PostConfirmation": function}
    # UpdateUserPool resets what it is not sent: the rest of the configuration went with it.
    assert (pool["DeletionProtection"], pool["Policies"]["PasswordPolicy"]["MinimumLength"]) == ("ACTIVE", 12)
    assert pool["MfaConfiguration"] == "OPTIONAL"


def test_each_admin_is_invited_once(onboarded, run_playbook, organization, in_account):
    account_id = account_of(onboarded, "creator1")
    pool_id = exported_facts(onboarded, "creator1")["auth_user_pool_id"]
    admins = [*HOST_VARS["creator1"]["creator_admins"], "second-ops@agency.example"]

    run = run_playbook(PLAYBOOK, "-l", "creator1", "-e", json.dumps({"creator_admins": admins}))

    assert run.returncode == 0, run.stderr
    assert module_result(run, "creator1")["auth"]["admins_invited"] == ["second-ops@agency.example"]
    assert [c["operation"] for c in writes(organization.calls())] == ["AdminCreateUser", "AdminAddUserToGroup"]
    assert_groups_and_admins(in_account(account_id), pool_id, admins)


def test_an_admin_left_out_of_the_group_is_added_without_a_second_invitation(
    onboarded, run_playbook, organization, in_account
):
    """As if the last run stopped right after AdminCreateUser."""
    account_id = account_of(onboarded, "creator1")
    pool_id = exported_facts(onboarded, "creator1")["auth_user_pool_id"]
    cognito = in_account(account_id)
    [admin] = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="admin")["Users"]
    cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username=admin["Username"], GroupName="admin")
    organization.reset_calls()

    run = run_playbook(PLAYBOOK, "-l", "creator1")

    assert run.returncode == 0, run.stderr
    assert module_result(run, "creator1")["auth"]["admins_invited"] == []
    assert [c["operation"] for c in writes(organization.calls())] == ["AdminAddUserToGroup"]
    assert_groups_and_admins(cognito, pool_id, HOST_VARS["creator1"]["creator_admins"])


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"creator_admins": ["ops-at-agency.example"]}, "admins[0] 'ops-at-agency.example' is not a valid e-mail"),
        (
            {"auth_token_lifetimes": {"access_minutes": 2, "id_minutes": 60, "refresh_days": 30}},
            "token_lifetimes.access_minutes 2 is out of range: AWS allows 5 to 1440",
        ),
    ],
    ids=["malformed-admin-email", "access-token-too-short"],
)
def test_bad_input_fails_before_any_write(onboarded, run_playbook, organization, extra, expected):
    run = run_playbook(PLAYBOOK, "-l", "creator1", "-e", json.dumps(extra))

    assert run.failed("creator1") == 1
    [message] = run.failure_messages("creator1")
    assert message.startswith("creator creator1: ")
    assert expected in message
    assert writes(organization.calls()) == []
    assert not [c for c in organization.calls()["calls"] if c["service"] == "cognito-idp"]
