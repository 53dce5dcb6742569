# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""onboard.yml end to end on the emulator: create, converge again without a write, check mode, diff."""

MANAGEMENT_ACCOUNT = "123456789012"
CREATORS = ("creator1", "creator2")


def accounts_by_email(aws_client):
    orgs = aws_client("organizations", region="us-east-1")
    return {a["Email"]: a for a in orgs.list_accounts()["Accounts"]}


def ou_path_of(aws_client, account_id):
    orgs = aws_client("organizations", region="us-east-1")
    names = []
    child = account_id
    while True:
        parent = orgs.list_parents(ChildId=child)["Parents"][0]
        if parent["Type"] == "ROOT":
            return "/".join(reversed(names))
        names.append(orgs.describe_organizational_unit(OrganizationalUnitId=parent["Id"])["OrganizationalUnit"]["Name"])
        child = parent["Id"]


def tags_of(aws_client, account_id):
    orgs = aws_client("organizations", region="us-east-1")
    return {t["Key"]: t["Value"] for t in orgs.list_tags_for_resource(ResourceId=account_id)["Tags"]}


def test_check_mode_on_a_new_creator_plans_the_account_and_writes_nothing(organization, run_playbook, aws_client):
    run = run_playbook("playbooks/onboard.yml", "--check", "--diff", "-l", "creator1")

    assert run.returncode == 0, run.stderr
    [result] = run.results("creator1", action="creatorcloud.platform.creator_account")
    assert result["changed"] is True
    assert result["changes"] == [
        "create account Creator One <aws+creator1@agency.example>",
        "move account into organizational unit creators/eu",
    ]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["ou_path"] == "creators/eu"
    assert result["account"]["account_id"] is None
    assert organization.calls()["writes"] == 0
    assert "aws+creator1@agency.example" not in accounts_by_email(aws_client)


def inventory_parses(calls):
    """How often the inventory plugin read the organization: each parse starts with one DescribeOrganization."""
    return sum(1 for call in calls["calls"] if call["operation"] == "DescribeOrganization")


def test_onboard_creates_each_account_in_its_ou_and_a_second_run_writes_nothing(organization, run_playbook, aws_client):
    organization.reset_calls()
    first = run_playbook("playbooks/onboard.yml")

    assert first.returncode == 0, first.stderr
    accounts = accounts_by_email(aws_client)
    for creator, ou_path, cost_center in (
        ("creator1", "creators/eu", "creators-eu"),
        ("creator2", "creators/us", "creators-us"),
    ):
        assert [r["changed"] for r in first.results(creator, action="creatorcloud.platform.creator_account")] == [True]
        account = accounts[f"aws+{creator}@agency.example"]
        assert account["Status"] == "ACTIVE"
        assert ou_path_of(aws_client, account["Id"]) == ou_path
        assert tags_of(aws_client, account["Id"]) == {"creatorcloud:creator": creator, "cost-center": cost_center}
        [result] = first.results(creator, action="creatorcloud.platform.creator_account")
        assert result["account"]["account_id"] == account["Id"]
        assert result["account"]["role_arn"] == f"arn:aws:iam::{account['Id']}:role/OrganizationAccountAccessRole"
    organizations_calls = [c for c in organization.calls()["calls"] if c["service"] == "organizations"]
    assert {c["account"] for c in organizations_calls} == {MANAGEMENT_ACCOUNT}
    assert inventory_parses(organization.calls()) == 2  # at the start, and refreshed after the new accounts

    organization.reset_calls()
    second = run_playbook("playbooks/onboard.yml")

    assert second.returncode == 0, second.stderr
    assert [second.changed(creator) for creator in CREATORS] == [0, 0]
    calls = organization.calls()
    assert calls["writes"] == 0, [c for c in calls["calls"] if c["kind"] == "write"]
    assert inventory_parses(calls) == 1  # no account changed: no refresh
    assert len(accounts_by_email(aws_client)) == 3

    organization.reset_calls()
    check = run_playbook("playbooks/onboard.yml", "--check", "--diff")
    assert [check.changed(creator) for creator in CREATORS] == [0, 0]
    assert organization.calls()["writes"] == 0


def test_a_changed_ou_path_and_tags_move_and_retag_exactly_that_account(organization, run_playbook, aws_client):
    assert run_playbook("playbooks/onboard.yml", "-l", "creator1").returncode == 0
    organization.reset_calls()

    run = run_playbook(
        "playbooks/onboard.yml",
        "-l",
        "creator1",
        "--diff",
        "-e",
        "creator_ou_path=creators/eu/vip",
        "-e",
        '{"creator_tags": {"tier": "vip"}}',
    )

    assert run.returncode == 0, run.stderr
    [result] = run.results("creator1", action="creatorcloud.platform.creator_account")
    assert result["changes"] == [
        "create organizational unit creators/eu/vip",
        "move account into organizational unit creators/eu/vip",
        "tag account: set tier",
        "tag account: remove cost-center",
    ]
    assert result["diff"]["before"]["ou_path"] == "creators/eu"
    assert result["diff"]["after"]["ou_path"] == "creators/eu/vip"
    account_id = result["account"]["account_id"]
    assert ou_path_of(aws_client, account_id) == "creators/eu/vip"
    assert tags_of(aws_client, account_id) == {"creatorcloud:creator": "creator1", "tier": "vip"}
    writes = [
        c["operation"]
        for c in organization.calls()["calls"]
        if c["kind"] == "write" and c["service"] == "organizations"
    ]
    assert writes == ["CreateOrganizationalUnit", "MoveAccount", "TagResource", "UntagResource"]


def test_an_e_mail_that_belongs_to_another_creator_is_refused(organization, run_playbook):
    assert run_playbook("playbooks/onboard.yml", "-l", "creator1").returncode == 0
    organization.reset_calls()

    run = run_playbook("playbooks/onboard.yml", "-l", "creator2", "-e", "creator_email=aws+creator1@agency.example")

    assert run.failed("creator2") == 1
    [message] = run.failure_messages("creator2")
    assert "belongs to creator 'creator1', not 'creator2'" in message
    assert organization.calls()["writes"] == 0


def test_onboard_runs_by_its_collection_name(organization, run_playbook):
    run = run_playbook("creatorcloud.platform.onboard", "--check", "-l", "creator2")

    assert run.returncode == 0, run.stderr
    [result] = run.results("creator2", action="creatorcloud.platform.creator_account")
    assert result["changes"][0] == "create account Creator Two <aws+creator2@agency.example>"
