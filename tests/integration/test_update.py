# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""update.yml rolls the template out across the six creators of the fleet inventory in waves.

One test onboards the fleet once (the costly part) and then: a check-mode run limited to two
creators plans for exactly those, the named canary first, without a write; a real run in waves
of two, with fan3 failing its health check (an alarm in ALARM), stops after fan3's wave and its
report names fan3 and the reason. Each updated creator's tables are backed up before its converge
(role table_backup): the creators of the waves that ran have their backups, the others none.
"""

from inventories.fleet_fixtures import CREATORS
from inventories.fleet_fixtures import fleet_fixture  # noqa: F401  # pylint: disable=unused-import

ROLLOUT_PLAY = "Roll the template out, the canary first, then in waves"


def waves(run):
    """The hosts of each batch of the rollout play, in order."""
    return [
        sorted({host for task in play["tasks"] for host in task["hosts"]})
        for play in run.output["plays"]
        if play["play"]["name"] == ROLLOUT_PLAY
    ]


def reports(run):
    """Every report of the rollout that a wave printed, in order."""
    return [
        task["hosts"][host]["msg"]
        for play in run.output["plays"]
        for task in play["tasks"]
        if task["task"]["name"] == "Report of the rollout"
        for host in task["hosts"]
    ]


def fire_alarm(fleet, creator):
    """An alarm of the creator in ALARM, as the monitoring role would name it."""
    cloudwatch = fleet.client(creator, "cloudwatch")
    name = f"creatorcloud-{creator}-api-5xx"
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        MetricName="5xx",
        Namespace="AWS/ApiGateway",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="test: the API fails")
    return name


def test_a_rollout_plans_with_limit_and_check_and_stops_after_the_wave_that_fails(fleet):
    fleet.onboard(CREATORS)

    plan = fleet.run("playbooks/update.yml", "--check", "--diff", "-l", "fan2,fan5", "-e", "update_canary=fan5")

    assert plan.returncode == 0, plan.stderr
    assert waves(plan) == [["fan5"], ["fan2"]]
    assert fleet.aws.calls()["writes"] == 0
    assert plan.results("fan1") == []
    assert reports(plan)[-1] == ["fan5  planned  0 changes", "fan2  planned  0 changes"]
    assert [r.get("skipped") for r in plan.results("fan2", action="creatorcloud.platform.health_check")] == [True]

    alarm = fire_alarm(fleet, "fan3")
    rollout = fleet.run("playbooks/update.yml", "-e", "update_wave_size=2")

    assert rollout.returncode != 0
    assert waves(rollout) == [["fan1"], ["fan2", "fan3"]]
    for creator in ("fan1", "fan2", "fan3"):
        [backup] = rollout.results(creator, action="creatorcloud.platform.table_backup")
        assert backup["changed"] and backup["backups"], backup
    for creator in ("fan4", "fan5", "fan6"):
        assert rollout.results(creator, action="creatorcloud.platform.creator_account") == []
        assert rollout.results(creator, action="creatorcloud.platform.table_backup") == []
    assert [rollout.failed(creator) for creator in CREATORS] == [0, 0, 1, 0, 0, 0]
    [message] = rollout.failure_messages("fan3")
    assert message == f"creator fan3: update failed: health check: alarms: in ALARM: {alarm}"
    assert reports(rollout)[-1] == [
        "fan1  updated  0 changes",
        "fan2  updated  0 changes",
        f"fan3  failed  0 changes  health check: alarms: in ALARM: {alarm}",
        "not reached, the rollout stops after this wave: fan4, fan5, fan6",
    ]
