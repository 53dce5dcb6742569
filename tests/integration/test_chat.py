# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chat slice on the emulator: roles config, account and chat for creator1.

The room, its logging configuration and log group are read back with boto3 inside the creator's
own account (by assuming the creator role there); the call log proves that no-op runs and check
mode write nothing, that a changed limit writes exactly one UpdateRoom, and that bad limits fail
before any write.
"""

import json

import pytest

PLAYBOOK = "tests/integration/playbooks/chat.yml"
CREATOR = "creator1"
REGION = "eu-central-1"
LOG_GROUP = f"/creatorcloud/{CREATOR}/chat"
# creator1's host_vars add its creator_tags to every resource.
TAGS = {"creatorcloud:creator": CREATOR, "creatorcloud:component": "chat", "cost-center": "creators-eu"}


def extra_vars(**variables):
    """Playbook arguments that set role variables (JSON, so numbers keep their types)."""
    return ("-e", json.dumps(variables))


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def facts_of(run):
    facts = {}
    for result in run.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


def module_result(run):
    [result] = run.results(CREATOR, action="creatorcloud.platform.chat")
    return result


@pytest.fixture
def account(creator1_account):
    """creator1's account without a chat: its id; an empty call log."""
    return creator1_account[0]


@pytest.fixture
def chatted(account, converged):
    """creator1 with its chat; returns the run, and leaves the call log empty."""
    return converged("creator1-chat", PLAYBOOK)


@pytest.fixture
def ivschat(account, creator_client):
    return creator_client(account, "ivschat")


def test_room_read_back(chatted, account, ivschat, creator_client):
    facts = facts_of(chatted)
    [summary] = ivschat.list_rooms(name=f"creatorcloud-{CREATOR}-chat")["rooms"]
    room = ivschat.get_room(identifier=summary["arn"])

    assert (facts["chat_room_arn"], facts["chat_room_id"]) == (room["arn"], room["id"])
    assert (room["maximumMessageLength"], room["maximumMessageRatePerSecond"]) == (500, 5)
    assert room["messageReviewHandler"] == {
        "uri": f"arn:aws:lambda:{REGION}:{account}:function:creatorcloud-{CREATOR}-chat-review",
        "fallbackResult": "DENY",
    }
    assert room["loggingConfigurationIdentifiers"] == [facts["chat_logging_configuration_arn"]]
    assert room["tags"] == TAGS

    logging = ivschat.get_logging_configuration(identifier=facts["chat_logging_configuration_arn"])
    assert logging["name"] == f"creatorcloud-{CREATOR}-chat-logs"
    assert logging["destinationConfiguration"] == {"cloudWatchLogs": {"logGroupName": LOG_GROUP}}
    assert logging["tags"] == TAGS

    [group] = creator_client(account, "logs").describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"]
    assert (group["logGroupName"], group["retentionInDays"]) == (LOG_GROUP, 30)


def test_second_run_writes_nothing(chatted, run_playbook, aws):
    run = run_playbook(PLAYBOOK)

    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert not run.changed(CREATOR)
    assert module_result(run)["changes"] == []
    assert writes(aws.calls()) == []
    assert facts_of(run)["chat_room_arn"] == facts_of(chatted)["chat_room_arn"]


def test_check_mode_on_a_fresh_account_writes_nothing(account, run_playbook, aws, ivschat):
    run = run_playbook(PLAYBOOK, "--check", "--diff")

    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"]
    assert result["changes"] == [
        f"create log group {LOG_GROUP}",
        f"keep the logs of {LOG_GROUP} for 30 days",
        f"create chat logging configuration creatorcloud-{CREATOR}-chat-logs",
        f"create chat room creatorcloud-{CREATOR}-chat",
    ]
    assert result["chat"]["room_arn"] == "(known after creation)"
    assert result["diff"]["before"]["room"] is None
    assert result["diff"]["after"]["room"]["maximumMessageRatePerSecond"] == 5
    assert writes(aws.calls()) == []
    assert ivschat.list_rooms()["rooms"] == []


def test_a_limit_change_updates_only_the_room(chatted, run_playbook, aws, ivschat):
    run = run_playbook(PLAYBOOK, *extra_vars(chat_max_messages_per_second=2, chat_max_message_length=300))

    assert run.returncode == 0, (run.failure_messages(CREATOR), module_result(run).get("exception"))
    assert writes(aws.calls()) == [("ivschat", "UpdateRoom")]
    room = ivschat.get_room(identifier=facts_of(chatted)["chat_room_arn"])
    assert (room["maximumMessageLength"], room["maximumMessageRatePerSecond"]) == (300, 2)
    assert room["messageReviewHandler"]["fallbackResult"] == "DENY"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"chat_max_message_length": 501}, "max_message_length 501 must be between 1 and 500"),
        ({"chat_max_messages_per_second": 0}, "max_messages_per_second 0 must be between 1 and 100"),
        ({"chat_log_retention_days": 31}, "log_retention_days 31 is not a retention CloudWatch Logs accepts"),
    ],
)
def test_bad_limits_fail_before_any_write(account, run_playbook, aws, variables, message):
    run = run_playbook(PLAYBOOK, *extra_vars(**variables))

    assert run.returncode != 0
    assert any(message in text and CREATOR in text for text in run.failure_messages(CREATOR))
    assert writes(aws.calls()) == []
