# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monitoring role and module on the emulator, in an account the test picks.

The facts of the roles that monitoring watches (functions, tables, API, distribution,
certificate, channel, room) come as extra vars, which is much faster than onboarding a creator.
Topics, subscriptions, alarms and the dashboard are read back with boto3 inside the creator's
account; the call log proves that no-op runs and check mode write nothing, and that bad input
fails before any write.
"""

import json

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.converge import PENDING
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.monitoring.converge import Monitoring

PLAYBOOK = "tests/integration/playbooks/monitoring.yml"
CREATOR = "creator1"
ACCOUNT = "210987654321"
REGION = "eu-central-1"
TOPIC = f"creatorcloud-{CREATOR}-alerts"
OPERATIONS = "ops@agency.example"
# creator1's host_vars add its creator_tags to every resource.
TAGS = {"creatorcloud:creator": CREATOR, "creatorcloud:component": "monitoring", "cost-center": "creators-eu"}
FACTS = {
    "account_id": ACCOUNT,
    "creatorcloud_operations_email": OPERATIONS,
    "creator_alert_emails": ["Hello@creator1.example"],
    "api_functions_deployed": {
        "profile": {"function_name": f"creatorcloud-{CREATOR}-profile"},
        "shop": {"function_name": f"creatorcloud-{CREATOR}-shop"},
    },
    "tables_names": {"Users": f"creatorcloud-{CREATOR}-users"},
    "api_id": "abc123",
    "website_distribution_id": "E2EXAMPLE",
    "website_certificate_arn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/c1",
    "ivs_channel_arn": f"arn:aws:ivs:{REGION}:{ACCOUNT}:channel/ch1",
    "chat_room_arn": f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/r1",
}
REGIONAL_ALARMS = [
    f"creatorcloud-{CREATOR}-api-5xx-rate",
    f"creatorcloud-{CREATOR}-api-latency-p99",
    f"creatorcloud-{CREATOR}-lambda-profile-errors",
    f"creatorcloud-{CREATOR}-lambda-profile-throttles",
    f"creatorcloud-{CREATOR}-lambda-shop-errors",
    f"creatorcloud-{CREATOR}-lambda-shop-throttles",
    f"creatorcloud-{CREATOR}-table-users-throttles",
]
GLOBAL_ALARMS = [f"creatorcloud-{CREATOR}-cdn-5xx-rate", f"creatorcloud-{CREATOR}-certificate-expiry"]


def extra_vars(**variables):
    """Playbook arguments that set role variables (JSON, so numbers keep their types)."""
    return ("-e", json.dumps(variables))


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def module_result(run):
    [result] = run.results(CREATOR, action="creatorcloud.platform.monitoring")
    return result


def facts_of(run):
    facts = {}
    for result in run.results(CREATOR, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


@pytest.fixture
def key_arn(aws, creator_client):
    """The creator's KMS key in its region."""
    return creator_client(ACCOUNT, "kms").create_key(Description="creator key")["KeyMetadata"]["Arn"]


@pytest.fixture
def run_monitoring(run_playbook, key_arn):
    """`run_monitoring(*args, **facts)`: the playbook with FACTS updated by `facts`."""

    def run(*args, **facts):
        return run_playbook(PLAYBOOK, *args, *extra_vars(**{**FACTS, "account_kms_key_arn": key_arn, **facts}))

    return run


@pytest.fixture
def monitored(run_monitoring, aws):
    """creator1's monitoring applied once; returns the run, and leaves the call log empty."""
    run = run_monitoring()
    assert run.returncode == 0, run.failure_messages(CREATOR)
    aws.reset_calls()
    return run


def alarms_of(client):
    """The creator's alarms of one region by name."""
    return {
        alarm["AlarmName"]: alarm for alarm in client.describe_alarms(AlarmNamePrefix="creatorcloud-")["MetricAlarms"]
    }


def test_topics_are_encrypted_tagged_and_subscribed(monitored, key_arn, creator_client):
    for region, kms_key in ((REGION, key_arn), ("us-east-1", None)):
        client = creator_client(ACCOUNT, "sns", region)
        arn = f"arn:aws:sns:{region}:{ACCOUNT}:{TOPIC}"
        attributes = client.get_topic_attributes(TopicArn=arn)["Attributes"]
        assert attributes.get("KmsMasterKeyId") == kms_key
        tags = {tag["Key"]: tag["Value"] for tag in client.list_tags_for_resource(ResourceArn=arn)["Tags"]}
        assert tags == TAGS
        subscriptions = client.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        assert sorted((item["Protocol"], item["Endpoint"]) for item in subscriptions) == [
            ("email", "hello@creator1.example"),
            ("email", OPERATIONS),
        ]
    facts = facts_of(monitored)
    assert facts["monitoring_topic_arn"] == f"arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}"
    assert facts["monitoring_global_topic_arn"] == f"arn:aws:sns:us-east-1:{ACCOUNT}:{TOPIC}"


def test_alarms_follow_the_resources_with_tier_thresholds(monitored, creator_client):
    regional = alarms_of(creator_client(ACCOUNT, "cloudwatch"))
    global_alarms = alarms_of(creator_client(ACCOUNT, "cloudwatch", "us-east-1"))

    assert sorted(regional) == REGIONAL_ALARMS
    assert sorted(global_alarms) == GLOBAL_ALARMS
    assert facts_of(monitored)["monitoring_alarm_names"] == sorted(REGIONAL_ALARMS + GLOBAL_ALARMS)
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}"
    errors = regional[f"creatorcloud-{CREATOR}-lambda-profile-errors"]
    assert (errors["Namespace"], errors["MetricName"], errors["Statistic"]) == ("AWS/Lambda", "Errors", "Sum")
    assert errors["Dimensions"] == [{"Name": "FunctionName", "Value": f"creatorcloud-{CREATOR}-profile"}]
    assert (errors["Threshold"], errors["AlarmActions"], errors["OKActions"]) == (5.0, [topic], [topic])
    latency = regional[f"creatorcloud-{CREATOR}-api-latency-p99"]
    assert (latency["ExtendedStatistic"], latency["Threshold"]) == ("p99", 3000.0)
    rate = regional[f"creatorcloud-{CREATOR}-api-5xx-rate"]
    assert rate["Metrics"][0]["Expression"] == "IF(requests > 0, 100 * errors / requests, 0)"
    assert {query["Id"] for query in rate["Metrics"]} == {"result", "errors", "requests"}
    cdn = global_alarms[f"creatorcloud-{CREATOR}-cdn-5xx-rate"]
    assert cdn["Dimensions"] == [
        {"Name": "DistributionId", "Value": "E2EXAMPLE"},
        {"Name": "Region", "Value": "Global"},
    ]
    assert cdn["AlarmActions"] == [f"arn:aws:sns:us-east-1:{ACCOUNT}:{TOPIC}"]
    expiry = global_alarms[f"creatorcloud-{CREATOR}-certificate-expiry"]
    assert (expiry["ComparisonOperator"], expiry["Threshold"]) == ("LessThanThreshold", 30.0)
    tags = creator_client(ACCOUNT, "cloudwatch").list_tags_for_resource(ResourceARN=errors["AlarmArn"])["Tags"]
    assert {tag["Key"]: tag["Value"] for tag in tags} == TAGS


def test_dashboard_shows_every_part(monitored, creator_client):
    body = json.loads(
        creator_client(ACCOUNT, "cloudwatch").get_dashboard(DashboardName=f"creatorcloud-{CREATOR}")["DashboardBody"]
    )

    metrics = [tuple(metric[:2]) for widget in body["widgets"] for metric in widget["properties"]["metrics"]]
    for expected in [
        ("AWS/CloudFront", "Requests"),
        ("AWS/ApiGateway", "5xx"),
        ("AWS/ApiGateway", "Latency"),
        ("AWS/IVS", "ConcurrentViews"),
        ("AWS/IVSChat", "Deliveries"),
        (f"CreatorCloud/{CREATOR}", "Orders"),
    ]:
        assert expected in metrics


def test_second_run_writes_nothing(monitored, run_monitoring, aws):
    run = run_monitoring()

    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert not run.changed(CREATOR)
    assert module_result(run)["changes"] == []
    assert writes(aws.calls()) == []


def test_a_dropped_function_and_site_lose_their_alarms(monitored, run_monitoring, aws, creator_client):
    functions = {"profile": FACTS["api_functions_deployed"]["profile"]}
    run = run_monitoring(api_functions_deployed=functions, website_distribution_id="")

    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert sorted(writes(aws.calls())) == [
        ("monitoring", "DeleteAlarms"),
        ("monitoring", "DeleteAlarms"),
        ("monitoring", "PutDashboard"),
    ]
    regional = alarms_of(creator_client(ACCOUNT, "cloudwatch"))
    assert sorted(regional) == [name for name in REGIONAL_ALARMS if "-shop-" not in name]
    assert sorted(alarms_of(creator_client(ACCOUNT, "cloudwatch", "us-east-1"))) == [
        f"creatorcloud-{CREATOR}-certificate-expiry"
    ]


def test_a_dropped_address_is_unsubscribed_and_a_threshold_updated(monitored, run_monitoring, aws, creator_client):
    run = run_monitoring(creator_alert_emails=[], monitoring_thresholds={"api_latency_p99_ms": 1000})

    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert sorted(writes(aws.calls())) == [
        ("monitoring", "PutMetricAlarm"),
        ("sns", "Unsubscribe"),
        ("sns", "Unsubscribe"),
    ]
    assert f"update alarm creatorcloud-{CREATOR}-api-latency-p99: Threshold" in module_result(run)["changes"]
    client = creator_client(ACCOUNT, "sns")
    subscriptions = client.list_subscriptions_by_topic(TopicArn=f"arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}")
    assert [item["Endpoint"] for item in subscriptions["Subscriptions"]] == [OPERATIONS]


def test_check_mode_on_a_fresh_account_writes_nothing(run_monitoring, aws, creator_client):
    aws.reset_calls()
    run = run_monitoring("--check", "--diff")

    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"]
    assert result["changes"][:4] == [
        f"create topic {TOPIC} in {REGION}",
        f"subscribe hello@creator1.example to arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}",
        f"subscribe {OPERATIONS} to arn:aws:sns:{REGION}:{ACCOUNT}:{TOPIC}",
        f"create topic {TOPIC} in us-east-1",
    ]
    assert f"create dashboard creatorcloud-{CREATOR}" in result["changes"]
    assert result["diff"]["before"]["topics"] == {REGION: None, "us-east-1": None}
    assert sorted(result["diff"]["after"]["alarms"]) == sorted(REGIONAL_ALARMS + GLOBAL_ALARMS)
    assert writes(aws.calls()) == []
    assert creator_client(ACCOUNT, "cloudwatch").describe_alarms()["MetricAlarms"] == []


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"creator_alert_emails": ["not-an-address"]},
            "alert_emails[0] 'not-an-address' is not a valid e-mail address",
        ),
        ({"monitoring_thresholds": {"api_latency_p99_ms": "fast"}}, "api_latency_p99_ms"),
        ({"monitoring_thresholds": {"function_errors": 0}}, "thresholds.function_errors 0.0 must be a number above 0"),
    ],
)
def test_bad_input_fails_before_any_write(run_monitoring, aws, variables, message):
    aws.reset_calls()
    run = run_monitoring(**variables)

    assert run.returncode != 0
    assert any(message in text for text in run.failure_messages(CREATOR)), run.failure_messages(CREATOR)
    assert writes(aws.calls()) == []


def test_a_pending_subscription_is_reported_not_removed():
    """The emulator confirms e-mail subscriptions at once; AWS lists unconfirmed ones as PendingConfirmation."""
    desired = {"creator": CREATOR, "tags": {}, "region": REGION, "emails": [OPERATIONS]}
    monitoring = Monitoring({"regional": {"sns": None}}, desired, check_mode=False)
    topic = {"arn": "arn:topic", "subscriptions": {OPERATIONS: "arn:topic:1", "old@creator1.example": PENDING}}

    after = monitoring.ensure_subscriptions("regional", topic)

    assert after["subscriptions"] == topic["subscriptions"]
    assert monitoring.changes.made == []
    assert monitoring.pending_unwanted == ["old@creator1.example on arn:topic"]
