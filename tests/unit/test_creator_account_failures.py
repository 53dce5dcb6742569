# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures of account creation that the emulator cannot produce, forced with botocore's Stubber.

moto always creates an account at once and never answers FAILED, a quota error,
throttling or a creation left IN_PROGRESS by an interrupted run; these tests stub
exactly those answers. Everything else about the account is tested on the emulator
in tests/integration.
"""

import boto3
import pytest
from botocore.stub import Stubber
from fake_clock import FakeClock

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.account.creator_account import CreatorAccount
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.account.creator_account import (
    CreatorAccountError,
)

ROOT = "r-abcd"
OU = "ou-abcd-11111111"
DESIRED = {
    "creator": "creator1",
    "email": "aws+creator1@agency.example",
    "account_name": "Creator One",
    "ou_path": "creators",
    "tags": {},
    "purge_tags": True,
    "role_name": "OrganizationAccountAccessRole",
    "wait_timeout": 60,
}


@pytest.fixture
def client():
    return boto3.client("organizations", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


@pytest.fixture
def stub(client):
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def expect_new_account_reads(stub):
    stub.add_response("list_accounts", {"Accounts": []})
    stub.add_response(
        "list_roots", {"Roots": [{"Id": ROOT, "Name": "Root", "Arn": "arn:aws:organizations::1:root/o/r"}]}
    )
    stub.add_response("list_organizational_units_for_parent", {"OrganizationalUnits": [{"Id": OU, "Name": "creators"}]})


def expect_existing_account_reads(stub, parent):
    """creator1's account found by its e-mail, tagged as creator1's, in `parent`."""
    stub.add_response(
        "list_accounts",
        {"Accounts": [{"Id": "111122223333", "Email": DESIRED["email"], "Name": "Creator One", "Status": "ACTIVE"}]},
    )
    stub.add_response("list_roots", {"Roots": [{"Id": ROOT}]})
    stub.add_response("list_organizational_units_for_parent", {"OrganizationalUnits": [{"Id": OU, "Name": "creators"}]})
    stub.add_response("list_tags_for_resource", {"Tags": [{"Key": "creatorcloud:creator", "Value": "creator1"}]})
    stub.add_response("list_parents", {"Parents": [parent]})


def status(state, **extra):
    return {"CreateAccountStatus": {"Id": "car-1", "AccountName": "Creator One", "State": state, **extra}}


def converge(client, clock=None, **desired):
    clock = clock or FakeClock()
    return CreatorAccount(client, {**DESIRED, **desired}, check_mode=False, sleep=clock.sleep, clock=clock).converge()


@pytest.mark.parametrize(
    ("reason", "advice"),
    [
        ("EMAIL_ALREADY_EXISTS", "already used by another AWS account"),
        ("ACCOUNT_LIMIT_EXCEEDED", "account quota"),
        ("SOMETHING_NEW", "see the AWS Organizations console"),
    ],
)
def test_a_failed_creation_names_the_reason_and_what_to_do(client, stub, reason, advice):
    expect_new_account_reads(stub)
    stub.add_response("list_create_account_status", {"CreateAccountStatuses": []})
    stub.add_response("create_account", status("IN_PROGRESS"))
    stub.add_response("describe_create_account_status", status("FAILED", FailureReason=reason))

    with pytest.raises(CreatorAccountError) as error:
        converge(client)

    assert f"AWS could not create the account for aws+creator1@agency.example: {reason}" in error.value.message
    assert advice in error.value.message


def test_the_account_quota_is_a_clear_error(client, stub):
    expect_new_account_reads(stub)
    stub.add_response("list_create_account_status", {"CreateAccountStatuses": []})
    stub.add_client_error(
        "create_account",
        "ConstraintViolationException",
        "You have exceeded the allowed number of AWS accounts.",
        response_meta={},
        modeled_fields={"Reason": "ACCOUNT_NUMBER_LIMIT_EXCEEDED"},
    )

    with pytest.raises(CreatorAccountError) as error:
        converge(client)

    assert error.value.message.startswith("Failed to create the account: ")
    assert "Default maximum number of accounts" in error.value.message
    assert error.value.changes == []


def test_a_creation_that_outlasts_the_wait_says_to_run_again(client, stub):
    expect_new_account_reads(stub)
    stub.add_response("list_create_account_status", {"CreateAccountStatuses": []})
    stub.add_response("create_account", status("IN_PROGRESS"))
    stub.add_response("describe_create_account_status", status("IN_PROGRESS"))
    stub.add_response("describe_create_account_status", status("IN_PROGRESS"))
    clock = FakeClock()

    with pytest.raises(CreatorAccountError) as error:
        converge(client, clock, wait_timeout=10)

    assert "still in progress after 10 seconds; run again" in error.value.message
    assert clock.sleeps == [5, 5]


def test_an_interrupted_creation_is_waited_for_not_repeated(client, stub):
    expect_new_account_reads(stub)
    stub.add_response(
        "list_create_account_status", {"CreateAccountStatuses": [status("IN_PROGRESS")["CreateAccountStatus"]]}
    )
    stub.add_response("describe_create_account_status", status("SUCCEEDED", AccountId="111122223333"))
    stub.add_response(
        "describe_account",
        {"Account": {"Id": "111122223333", "Name": "Creator One", "Email": DESIRED["email"], "Status": "ACTIVE"}},
    )
    stub.add_response(
        "move_account", {}, {"AccountId": "111122223333", "SourceParentId": ROOT, "DestinationParentId": OU}
    )

    changed, before, after = converge(client)

    assert changed is True
    assert before == {}
    assert after["account_id"] == "111122223333"


def test_a_concurrent_modification_is_waited_out(client, stub, monkeypatch):
    """Two changes of the organization racing: the consistency retry tries again (the emulator never races).

    Throttling is botocore's to retry, which a Stubber bypasses: tests/integration/test_throttling.py has it.
    """
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    stub.add_client_error("list_accounts", "ConcurrentModificationException", "Another change is in progress")
    stub.add_client_error("list_accounts", "ConcurrentModificationException", "Another change is in progress")
    expect_existing_account_reads(stub, parent={"Id": OU, "Type": "ORGANIZATIONAL_UNIT"})

    changed, before, after = converge(client)

    assert changed is False
    assert before == after


def test_a_refused_tag_after_a_move_reports_the_move(client, stub):
    """The move was made: the failure lists it, and only it (the old list dropped its last entry)."""
    expect_existing_account_reads(stub, parent={"Id": ROOT, "Type": "ROOT"})
    stub.add_response(
        "move_account", {}, {"AccountId": "111122223333", "SourceParentId": ROOT, "DestinationParentId": OU}
    )
    stub.add_client_error("tag_resource", "AccessDeniedException", "not allowed")

    with pytest.raises(CreatorAccountError) as error:
        converge(client, tags={"tier": "small"})

    assert error.value.changes == ["move account into organizational unit creators"]
    assert error.value.message == "Failed to tag the account"
    assert error.value.exception.response["Error"]["Message"] == "not allowed"  # the module's failure shows it
