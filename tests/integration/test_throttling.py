# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throttled AWS: the slices converge while the emulator throttles a third of all calls, and a call that
stays throttled is tried as often as botocore's retry mode says, not again around it (one retry layer).

The emulator answers throttled calls in each service's protocol (tools/creatorcloud_emulator/faults.py).
"""

import json
import time

import boto3
import pytest
import yaml
from botocore.config import Config
from playbook_runner import REPO

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import dynamodb
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import MAX_ATTEMPTS
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import RETRY_CONFIG

PLAYBOOK = "tests/integration/playbooks/api.yml"
CREATOR = "creator1"
REGION = "eu-central-1"
# As test_api.py: the playbook runs no chat role, so chat's functions stay out.
HOST_FEATURES = yaml.safe_load((REPO / f"inventories/local/host_vars/{CREATOR}.yml").read_text())["creator_features"]
WITHOUT_CHAT = ("-e", json.dumps({"creator_features": [f for f in HOST_FEATURES if f != "chat"]}))
NO_FUNCTIONS = ("-e", json.dumps({"api_functions": []}))


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls if call["kind"] == "write"]


def test_the_api_converges_while_a_third_of_all_calls_are_throttled(organization, converged, run_playbook, aws):
    # The same state as test_api.py's `prepared`: account, user pool and tables, no API yet.
    converged("creator1-api-prepared", PLAYBOOK, *WITHOUT_CHAT, *NO_FUNCTIONS)
    aws.throttle(3)
    run = run_playbook(PLAYBOOK, *WITHOUT_CHAT)
    throttled = aws.stop_throttling()
    calls = aws.calls()["calls"]

    assert run.returncode == 0, (run.failure_messages(CREATOR), run.stderr[-2000:])
    assert run.changed(CREATOR) > 0
    assert throttled == sum(1 for call in calls if call.get("throttled")) == len(calls) // 3
    # JSON (logs, dynamodb, cognito), Query (iam, sts) and REST-JSON (lambda, apigateway) were all throttled.
    assert {"logs", "dynamodb", "iam", "lambda", "apigateway"} <= {c["service"] for c in calls if c.get("throttled")}

    aws.reset_calls()
    again = run_playbook(PLAYBOOK, *WITHOUT_CHAT)
    assert again.returncode == 0 and again.changed(CREATOR) == 0
    assert writes(aws.calls()["calls"]) == []


def test_a_call_that_stays_throttled_is_tried_max_attempts_times_in_all(aws, monkeypatch):
    client = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=aws.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(**RETRY_CONFIG),
    )
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # botocore's and AWSRetry's backoff
    aws.throttle(1, operations=["DescribeTable"])

    with pytest.raises(dynamodb.AnsibleDynamoDBError) as excinfo:
        dynamodb.describe_table(client, f"creatorcloud-{CREATOR}-users")

    assert aws.stop_throttling() == MAX_ATTEMPTS  # AWSRetry (11 tries) around botocore (11) made 121
    assert "ThrottlingException" in str(excinfo.value.exception)
