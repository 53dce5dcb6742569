# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""health_check.yml on two onboarded creators of the fleet inventory, each served by its local gateway.

The playbook reads only: the call log holds no write, in check mode or not. A creator broken
behind the collection's back fails for its host only, with every broken part named.
"""

import datetime

from inventories.fleet_fixtures import fleet_fixture  # noqa: F401  # pylint: disable=unused-import

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.health_check.health_check import (
    check_certificate,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.health_check.health_check import (
    compare_delegation,
)

CHECKS = ["site", "api", "certificate", "delegation", "alarms", "tables", "buckets"]
SUMMARY_TASK = "Summary of the fleet's health"


def health_results(run, creator):
    [result] = run.results(creator, action="creatorcloud.platform.health_check")
    return result


def summary_rows(run, host):
    """The fleet table printed once, by the first host of the play."""
    [printed] = [r for r in run.results(host, action="ansible.builtin.debug") if r["msg"][0].startswith("creator ")]
    return [row.split() for row in printed["msg"]]


def test_a_healthy_fleet_reads_only_and_a_broken_creator_fails_alone(fleet):
    fleet.onboard(["fan1", "fan2"])

    healthy = fleet.run("playbooks/health_check.yml", "-l", "fan1,fan2")
    check = fleet.run("playbooks/health_check.yml", "-l", "fan1,fan2", "--check")

    assert healthy.returncode == 0, [healthy.failure_messages(h) for h in ("fan1", "fan2")]
    result = health_results(healthy, "fan1")
    assert [c["check"] for c in result["checks"]] == CHECKS
    assert result["healthy"] is True
    assert result["lines"][0] == "fan1  site  ok  200, headers present"
    assert result["lines"][1] == "fan1  api  skipped  the creator has no HTTP API"
    assert result["lines"][5] == "fan1  tables  ok  point-in-time recovery on for 5 tables"
    # Locally the domain is never delegated: a warning, not a failure.
    assert {c["check"]: c["status"] for c in result["checks"]}["delegation"] == "warning"
    assert any("fan1: delegation:" in warning for warning in result["warnings"])
    assert summary_rows(healthy, "fan1") == [
        ["creator", *CHECKS, "verdict"],
        ["fan1", "ok", "skipped", "ok", "warning", "ok", "ok", "ok", "healthy"],
        ["fan2", "ok", "skipped", "ok", "warning", "ok", "ok", "ok", "healthy"],
    ]
    assert check.returncode == 0, check.stderr
    assert health_results(check, "fan2")["healthy"] is True
    assert fleet.aws.calls()["writes"] == 0

    close_to_expiry = fleet.run(
        "playbooks/health_check.yml", "-l", "fan1", "-e", "health_check_certificate_min_days=400"
    )

    assert close_to_expiry.failed("fan1") == 1
    certificate = health_results(close_to_expiry, "fan1")["checks"][2]
    assert certificate["status"] == "failed"
    assert certificate["message"].startswith("ISSUED, expires in ")
    assert certificate["message"].endswith(" days (at most 400)")

    # Break fan2: its home page, its bucket's versioning, an alarm that fires.
    s3 = fleet.client("fan2", "s3")
    [bucket] = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("creatorcloud-fan2-site-")]
    s3.delete_object(Bucket=bucket, Key="index.html")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    cloudwatch = fleet.client("fan2", "cloudwatch", region="us-east-1")
    cloudwatch.put_metric_alarm(
        AlarmName="creatorcloud-fan2-distribution-5xx",
        MetricName="5xxErrorRate",
        Namespace="AWS/CloudFront",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=5,
        ComparisonOperator="GreaterThanThreshold",
    )
    cloudwatch.set_alarm_state(
        AlarmName="creatorcloud-fan2-distribution-5xx", StateValue="ALARM", StateReason="test: fans see errors"
    )
    fleet.aws.reset_calls()

    broken = fleet.run("playbooks/health_check.yml", "-l", "fan1,fan2")

    assert broken.returncode == 2
    assert broken.failed("fan1") == 0
    assert broken.failed("fan2") == 1
    [message] = broken.failure_messages("fan2")
    assert message.startswith("creator fan2: health check failed: site: ")
    assert "answered 404, not 200" in message
    assert "alarms: in ALARM: creatorcloud-fan2-distribution-5xx" in message
    assert f"buckets: versioning off: {bucket}" in message
    assert summary_rows(broken, "fan1")[2] == [
        "fan2",
        "failed",
        "skipped",
        "ok",
        "warning",
        "failed",
        "ok",
        "failed",
        "FAILED",
    ]
    assert fleet.aws.calls()["writes"] == 0


def test_delegation_is_ok_when_the_parent_names_the_zone_servers_and_fails_when_it_names_others():
    zone = ["ns-1.awsdns-01.org.", "NS-2.awsdns-02.com"]

    assert compare_delegation("fan1.example", zone, ["ns-2.awsdns-02.com.", "ns-1.awsdns-01.org"])["status"] == "ok"
    assert compare_delegation("fan1.example", zone, [])["status"] == "warning"
    other = compare_delegation("fan1.example", zone, ["ns1.registrar.example"])
    assert other == {
        "check": "delegation",
        "status": "failed",
        "message": "the registrar delegates fan1.example to ns1.registrar.example, the zone has "
        "ns-1.awsdns-01.org, ns-2.awsdns-02.com",
    }
    assert compare_delegation("fan1.example", [], [])["status"] == "failed"


class CertificatesOf:
    """An ACM client that knows one list of certificates (no emulator can age a certificate)."""

    def __init__(self, certificates):
        self.certificates = certificates

    def get_paginator(self, operation):
        return self

    def paginate(self, **kwargs):
        return self

    def build_full_result(self):
        return {
            "CertificateSummaryList": [
                {"CertificateArn": c["CertificateArn"], "DomainName": "fan1.example"} for c in self.certificates
            ]
        }

    def describe_certificate(self, CertificateArn):  # noqa: N803  # boto3's parameter name
        return {"Certificate": next(c for c in self.certificates if c["CertificateArn"] == CertificateArn)}


def test_the_newest_issued_certificate_counts_and_a_missing_one_fails():
    now = datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC)
    old = {"CertificateArn": "arn:old", "Status": "ISSUED", "NotAfter": now + datetime.timedelta(days=10)}
    new = {"CertificateArn": "arn:new", "Status": "ISSUED", "NotAfter": now + datetime.timedelta(days=300)}
    expired = {"CertificateArn": "arn:gone", "Status": "EXPIRED", "NotAfter": now - datetime.timedelta(days=1)}

    assert (
        check_certificate(CertificatesOf([old, new]), "fan1.example", 21, now)["message"]
        == "ISSUED, expires in 300 days"
    )
    assert check_certificate(CertificatesOf([old]), "fan1.example", 21, now)["status"] == "failed"
    assert check_certificate(CertificatesOf([expired]), "fan1.example", 21, now)["message"] == (
        "no ISSUED certificate for fan1.example in us-east-1 (found: EXPIRED)"
    )
