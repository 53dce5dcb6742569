# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift: two resources of fan1 changed behind the collection's back.

update.yml --check --diff reports exactly those two for fan1 and nothing for fan2, without a
write; the next run repairs them; the run after writes nothing.
"""

from inventories.fleet_fixtures import fleet_fixture  # noqa: F401  # pylint: disable=unused-import

NO_BACKUP = ("-e", "update_backup=false")
LIMIT = ("-l", "fan1,fan2")
USERS_TABLE = "creatorcloud-fan1-users"
# The backup role verifies no table that the tables role converged in the same run (table_names []): the
# tables slice alone reports and repairs the PITR drift, and each table is read once per run.
SLICES_THAT_SEE_THE_DRIFT = [
    "creatorcloud.platform.tables",
    "creatorcloud.platform.website",
]


def the_distribution(fleet, creator):
    """(id, config, etag) of the creator's only distribution."""
    cloudfront = fleet.client(creator, "cloudfront", region="us-east-1")
    [summary] = cloudfront.list_distributions()["DistributionList"]["Items"]
    found = cloudfront.get_distribution_config(Id=summary["Id"])
    return cloudfront, summary["Id"], found["DistributionConfig"], found["ETag"]


def drift(fleet):
    """Raise fan1's price class and turn off the PITR of its Users table; return the price class it had."""
    cloudfront, distribution_id, config, etag = the_distribution(fleet, "fan1")
    price_class = config["PriceClass"]
    config["PriceClass"] = "PriceClass_All"
    cloudfront.update_distribution(Id=distribution_id, DistributionConfig=config, IfMatch=etag)
    fleet.client("fan1", "dynamodb").update_continuous_backups(
        TableName=USERS_TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    return price_class


def changed_results(run, creator):
    return {r["action"]: r for r in run.results(creator) if r.get("changed")}


def pitr_status(fleet):
    description = fleet.client("fan1", "dynamodb").describe_continuous_backups(TableName=USERS_TABLE)
    return description["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]


def test_check_mode_reports_exactly_the_drift_and_the_next_runs_repair_it_then_write_nothing(fleet):
    fleet.onboard(["fan1", "fan2"])
    price_class = drift(fleet)
    fleet.aws.reset_calls()

    plan = fleet.run("playbooks/update.yml", "--check", "--diff", *LIMIT, *NO_BACKUP)

    assert plan.returncode == 0, plan.stderr
    assert fleet.aws.calls()["writes"] == 0
    assert changed_results(plan, "fan2") == {}
    changed = changed_results(plan, "fan1")
    assert sorted(changed) == SLICES_THAT_SEE_THE_DRIFT
    assert changed["creatorcloud.platform.tables"]["changes"] == [
        f"turn on point-in-time recovery of table {USERS_TABLE}"
    ]
    [website_change] = changed["creatorcloud.platform.website"]["changes"]
    assert "distribution" in website_change
    website_diff = changed["creatorcloud.platform.website"]["diff"]
    assert website_diff["before"] != website_diff["after"]
    assert "PriceClass_All" in str(website_diff["before"])
    assert price_class in str(website_diff["after"])

    repair = fleet.run("playbooks/update.yml", *LIMIT, *NO_BACKUP)

    assert repair.returncode == 0, [repair.failure_messages(creator) for creator in ("fan1", "fan2")]
    assert the_distribution(fleet, "fan1")[2]["PriceClass"] == price_class
    assert pitr_status(fleet) == "ENABLED"
    assert set(changed_results(repair, "fan1")) == set(SLICES_THAT_SEE_THE_DRIFT)
    fleet.aws.reset_calls()

    again = fleet.run("playbooks/update.yml", *LIMIT, *NO_BACKUP)

    assert again.returncode == 0
    assert [again.changed(creator) for creator in ("fan1", "fan2")] == [0, 0]
    calls = fleet.aws.calls()
    assert calls["writes"] == 0, [c for c in calls["calls"] if c["kind"] == "write"]
