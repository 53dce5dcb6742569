# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for the site's certificate, with answers the emulator cannot give, forced with botocore's Stubber.

moto issues a certificate at once, with its DNS validation records; ACM takes minutes, publishes the
records a few seconds after the request, and fails or times out a validation that cannot succeed. moto
also never refuses a request for a quota or a missing permission. These tests stub exactly those answers;
everything else is tested on the emulator in tests/integration.
"""

from datetime import UTC
from datetime import datetime

import boto3
import pytest
from botocore.stub import Stubber
from fake_clock import FakeClock

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import POLL_SECONDS
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import ensure_certificate
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.certificate import wait_until_issued

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0e1f2a3b-4c5d-6e7f-8a9b-0c1d2e3f4a5b"
NAME_SERVERS = ["ns-1.awsdns-01.com", "ns-2.awsdns-02.net"]
PENDING = {"arn": ARN, "status": "PENDING_VALIDATION", "names": ["creator1.example", "www.creator1.example"]}
RECORD = {"Name": "_a1.creator1.example.", "Type": "CNAME", "Value": "_b2.acm-validations.aws."}


@pytest.fixture
def client():
    return boto3.client("acm", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


@pytest.fixture
def stub(client):
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def described(status, records=True, **extra):
    options = [
        {"DomainName": name, **({"ResourceRecord": RECORD} if records else {})}
        for name in ("creator1.example", "www.creator1.example")
    ]
    certificate = {
        "CertificateArn": ARN,
        "DomainName": "creator1.example",
        "SubjectAlternativeNames": ["creator1.example", "www.creator1.example"],
        "Status": status,
        "Type": "AMAZON_ISSUED",
        "CreatedAt": datetime(2026, 11, 25, tzinfo=UTC),
        "DomainValidationOptions": options,
        **extra,
    }
    return {"Certificate": certificate}


def expect_describe(stub, *answers):
    for answer in answers:
        stub.add_response("describe_certificate", answer, {"CertificateArn": ARN})


def test_waits_until_issued(client, stub):
    clock = FakeClock()
    expect_describe(stub, described("PENDING_VALIDATION"), described("PENDING_VALIDATION"), described("ISSUED"))

    after = wait_until_issued(client, Changes(False), PENDING, 600, NAME_SERVERS, clock.sleep, clock)

    assert after["status"] == "ISSUED"
    assert clock.sleeps == [POLL_SECONDS, POLL_SECONDS]


def test_an_issued_certificate_is_not_polled(client, stub):
    issued = dict(PENDING, status="ISSUED")

    assert wait_until_issued(client, Changes(False), issued, 600, NAME_SERVERS, None, None) == issued


def test_a_timeout_names_the_name_servers_and_what_was_changed(client, stub):
    clock = FakeClock()
    changes = Changes(False)
    changes.made.append("create hosted zone creator1.example")
    expect_describe(stub, *[described("PENDING_VALIDATION")] * 4)

    with pytest.raises(ConvergeError) as failure:
        wait_until_issued(client, changes, PENDING, 3 * POLL_SECONDS, NAME_SERVERS, clock.sleep, clock)

    message = failure.value.message
    assert f"certificate {ARN} for creator1.example and www.creator1.example is still PENDING_VALIDATION" in message
    assert "ns-1.awsdns-01.com, ns-2.awsdns-02.net" in message
    assert "Set them at the registrar, then run again" in message
    assert failure.value.changes == ["create hosted zone creator1.example"]


def test_a_failed_validation_says_acm_will_not_issue_it(client, stub):
    expect_describe(stub, described("FAILED", FailureReason="CAA_ERROR"))

    with pytest.raises(ConvergeError) as failure:
        wait_until_issued(client, Changes(False), PENDING, 600, NAME_SERVERS, None, lambda: 0)

    assert f"certificate {ARN} is FAILED (CAA_ERROR): ACM will not issue it" in failure.value.message


def test_a_new_certificate_waits_for_its_validation_records(client, stub):
    clock = FakeClock()
    stub.add_response("request_certificate", {"CertificateArn": ARN})
    expect_describe(stub, described("PENDING_VALIDATION", records=False), described("PENDING_VALIDATION"))
    changes = Changes(False)
    request = {
        "domain": "creator1.example",
        "creator": "creator1",
        "account_id": "123456789012",
        "tags": {"creatorcloud:creator": "creator1"},
        "purge_tags": True,
    }

    after = ensure_certificate(client, changes, None, request, clock.sleep, clock)

    assert after["arn"] == ARN
    assert [record["Name"] for record in after["validation_records"]] == ["_a1.creator1.example."]
    assert changes.made == ["request certificate for creator1.example and www.creator1.example"]
    assert len(clock.sleeps) == 1


def test_a_refused_request_names_the_change_and_what_to_do(client, stub):
    stub.add_client_error("request_certificate", "LimitExceededException", "too many certificates")
    changes = Changes(False)
    changes.made.append("create hosted zone creator1.example")
    request = {"domain": "creator1.example", "creator": "creator1", "account_id": "123456789012", "tags": {}}

    with pytest.raises(ConvergeError) as failure:
        ensure_certificate(client, changes, None, request, None, None)

    assert failure.value.message == (
        "could not request certificate for creator1.example and www.creator1.example: "
        "the creator's account reached an AWS quota: raise it in Service Quotas"
    )
    assert failure.value.changes == ["create hosted zone creator1.example"]
    assert failure.value.exception.response["Error"]["Code"] == "LimitExceededException"


class FailingModule:
    """What fail_converge needs of an AnsibleAWSModule: it records the failure and stops."""

    def fail_json_aws(self, exception, msg, **kwargs):
        self.failure = dict(exception=exception, msg=msg, **kwargs)
        raise SystemExit(1)

    def fail_json(self, msg, **kwargs):
        self.fail_json_aws(None, msg, **kwargs)


def test_the_module_failure_names_the_creator_the_change_and_what_was_already_changed(client, stub):
    stub.add_client_error("request_certificate", "AccessDeniedException", "not allowed")
    changes = Changes(False)
    changes.made.append("create hosted zone creator1.example")
    request = {"domain": "creator1.example", "creator": "creator1", "account_id": "123456789012", "tags": {}}
    with pytest.raises(ConvergeError) as failure:
        ensure_certificate(client, changes, None, request, None, None)
    module = FailingModule()

    with pytest.raises(SystemExit):
        error = failure.value
        CreatorCloudModule.fail_converge(module, "creator creator1", error.message, error.changes, error.exception)

    assert module.failure["msg"] == (
        "creator creator1: could not request certificate for creator1.example and www.creator1.example: "
        "the role assumed in the creator's account may not do this: check its policies and the service control "
        "policies of the creator's OU (already changed: create hosted zone creator1.example)"
    )
    assert module.failure["changes"] == ["create hosted zone creator1.example"]
    assert module.failure["exception"].response["Error"]["Code"] == "AccessDeniedException"
