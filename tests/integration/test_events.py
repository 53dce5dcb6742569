# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The events slice on the emulator: creator1's ticket signing key and declared events, read back in its account.

The call log proves that check mode and a second run write nothing, and that a changed event writes one
UpdateItem of only its differing fields; the signing key is searched for in the whole output of a -vvv run.
"""

import json

import pytest

PLAYBOOK = "tests/integration/playbooks/events.yml"
CREATOR = "creator1"
SECRET = f"creatorcloud/{CREATOR}/tickets"
EVENTS_TABLE = f"creatorcloud-{CREATOR}-events"
FEATURES = ["website", "auth", "events"]
TAGS = {"creatorcloud:creator": CREATOR, "creatorcloud:component": "events", "cost-center": "creators-eu"}
SHOW = {
    "id": "release-show",
    "title": "Album release show",
    "description": "The new record, live.",
    "start": "2027-03-12T20:00",
    "end": "2027-03-12T23:00",
    "doors": "2027-03-12T19:00",
    "time_zone": "Europe/Berlin",
    "location": "Columbiahalle, Berlin",
    "price": 2500,
    "capacity": 300,
}
MEETUP = {
    "id": "fan-meetup",
    "title": "Fan meet-up",
    "start": "2027-04-02T15:00",
    "end": "2027-04-02T17:00",
    "time_zone": "Europe/Berlin",
    "location": "Café Lindenblatt, Berlin",
    "price": 0,
    "capacity": 40,
}


def extra_vars(**variables):
    """Playbook arguments that set variables (JSON, so lists and numbers keep their types)."""
    return ("-e", json.dumps(variables))


@pytest.fixture
def tabled(creator1_account, converged):
    """creator1's account with its tables and Tickets, no events yet: the account id; the call log is empty."""
    converged("creator1-events-tables", PLAYBOOK, *extra_vars(creator_features=FEATURES, events_test_tables_only=True))
    return creator1_account[0]


@pytest.fixture
def run_events(tabled, run_playbook):
    """`run_events(*args, events=[SHOW, MEETUP], **variables)`: the playbook with the events feature on."""

    def runner(*args, events=(SHOW, MEETUP), **variables):
        variables = {"creator_features": FEATURES, "creator_events": list(events), **variables}
        return run_playbook(PLAYBOOK, *args, *extra_vars(**variables))

    return runner


@pytest.fixture
def dynamodb(tabled, creator_client):
    """A DynamoDB client inside creator1's account."""
    return creator_client(tabled, "dynamodb")


@pytest.fixture
def converged_events(run_events, aws):
    """creator1's events made by a first run; the call log is empty."""
    run = run_events()
    assert run.returncode == 0, run.failure_messages(CREATOR)
    aws.reset_calls()
    return run


def module_result(run):
    [result] = run.results(CREATOR, action="creatorcloud.platform.events")
    return result


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


def event_row(dynamodb, event_id):
    item = dynamodb.get_item(TableName=EVENTS_TABLE, Key={"eventId": {"S": event_id}}, ConsistentRead=True)["Item"]
    return {key: int(value["N"]) if "N" in value else value["S"] for key, value in item.items()}


def test_first_run_makes_the_key_and_the_events(run_events, tabled, creator_client, dynamodb, aws):
    run = run_events("-vvv", "--diff")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changes"] == [
        f"create the ticket signing key in secret {SECRET}",
        "create event release-show",
        "create event fan-meetup",
    ]
    assert sorted(writes(aws.calls())) == [
        ("dynamodb", "PutItem"),
        ("dynamodb", "PutItem"),
        ("secretsmanager", "CreateSecret"),
    ]
    show = event_row(dynamodb, "release-show")
    assert show == {
        "eventId": "release-show",
        "title": "Album release show",
        "description": "The new record, live.",
        "date": "2027-03-12",
        "timeZone": "Europe/Berlin",
        "doorsAt": "2027-03-12T19:00",
        "startsAt": "2027-03-12T20:00",
        "endsAt": "2027-03-12T23:00",
        # Berlin is UTC+1 in March before the clocks change.
        "startsAtUtc": "2027-03-12T19:00:00+00:00",
        "endsAtUtc": "2027-03-12T22:00:00+00:00",
        "location": "Columbiahalle, Berlin",
        "price": 2500,
        "currency": "eur",
        "capacity": 300,
        "status": "on_sale",
        "ticketsAvailable": 300,
        "ticketsHeld": 0,
        "ticketsSold": 0,
    }
    assert event_row(dynamodb, "fan-meetup")["doorsAt"] == "2027-04-02T15:00"
    secrets = creator_client(tabled, "secretsmanager")
    secret = secrets.describe_secret(SecretId=SECRET)
    assert {tag["Key"]: tag["Value"] for tag in secret["Tags"]} == TAGS
    assert result["events"] == {"ticket_key_secret_arn": secret["ARN"], "event_ids": ["fan-meetup", "release-show"]}
    # The key never leaves the secret: not in the result, the diff or the -vvv output.
    key = json.loads(secrets.get_secret_value(SecretId=SECRET)["SecretString"])["signing_key"]
    assert len(key) == 44
    assert key not in json.dumps(run.output) and key not in run.stderr
    assert result["diff"]["before"] == {"ticket_key": {}, "events": {}}


def test_check_mode_plans_everything_and_writes_nothing(run_events, dynamodb, aws):
    run = run_events("--check", "--diff")
    assert run.returncode == 0, run.failure_messages(CREATOR)
    result = module_result(run)
    assert result["changed"] is True
    assert result["changes"][0] == f"create the ticket signing key in secret {SECRET}"
    assert result["events"]["ticket_key_secret_arn"] is None
    assert result["diff"]["after"]["events"]["release-show"]["ticketsAvailable"] == 300
    assert aws.calls()["writes"] == 0
    assert dynamodb.scan(TableName=EVENTS_TABLE)["Items"] == []


def test_a_second_run_and_check_mode_write_nothing(converged_events, run_events, aws):
    for args in (("--diff",), ("--check", "--diff")):
        run = run_events(*args)
        assert run.returncode == 0, run.failure_messages(CREATOR)
        result = module_result(run)
        assert (result["changed"], result["changes"]) == (False, [])
        assert result["diff"]["before"] == result["diff"]["after"]
        assert aws.calls()["writes"] == 0


def test_a_changed_event_writes_only_its_differing_fields_and_keeps_the_sales(
    converged_events, run_events, dynamodb, aws
):
    # GIVEN 20 tickets of the show are sold and 5 held
    dynamodb.update_item(
        TableName=EVENTS_TABLE,
        Key={"eventId": {"S": "release-show"}},
        UpdateExpression="SET ticketsAvailable = :a, ticketsHeld = :h, ticketsSold = :s",
        ExpressionAttributeValues={":a": {"N": "275"}, ":h": {"N": "5"}, ":s": {"N": "20"}},
    )
    aws.reset_calls()
    # WHEN the show moves to a bigger hall with a new title
    bigger = dict(SHOW, title="Album release show (moved)", capacity=500, location="Tempodrom, Berlin")
    run = run_events("--diff", events=[bigger, MEETUP])
    assert run.returncode == 0, run.failure_messages(CREATOR)
    # THEN one UpdateItem of the three fields, and the 200 new seats are available beside the sales
    assert module_result(run)["changes"] == ["update event release-show: title, location, capacity"]
    assert writes(aws.calls()) == [("dynamodb", "UpdateItem")]
    row = event_row(dynamodb, "release-show")
    assert (row["title"], row["location"], row["capacity"]) == ("Album release show (moved)", "Tempodrom, Berlin", 500)
    assert (row["ticketsAvailable"], row["ticketsHeld"], row["ticketsSold"]) == (475, 5, 20)


def test_a_capacity_below_the_tickets_taken_fails_before_any_write(converged_events, run_events, dynamodb, aws):
    dynamodb.update_item(
        TableName=EVENTS_TABLE,
        Key={"eventId": {"S": "fan-meetup"}},
        UpdateExpression="SET ticketsAvailable = :a, ticketsSold = :s",
        ExpressionAttributeValues={":a": {"N": "10"}, ":s": {"N": "30"}},
    )
    aws.reset_calls()
    run = run_events(events=[dict(SHOW, title="Renamed"), dict(MEETUP, capacity=25)])
    assert run.returncode != 0
    message = " ".join(run.failure_messages(CREATOR))
    assert "creator creator1" in message
    assert "events 'fan-meetup' capacity 25 is below the 30 tickets already sold or held" in message
    assert aws.calls()["writes"] == 0
    assert event_row(dynamodb, "release-show")["title"] == "Album release show"


BAD_EVENTS = [
    ({"start": "next friday"}, "events[0].start 'next friday' is not a date and time"),
    ({"end": "2027-02-30T23:00"}, "events[1].end '2027-02-30T23:00' is not a date and time"),
    ({"end": "2027-03-12T18:00"}, "events[2].end '2027-03-12T18:00' must be after its start '2027-03-12T20:00'"),
    ({"price": -500}, "events[3].price -500 must be a whole number of cents"),
    ({"capacity": 0}, "events[4].capacity 0 must be a whole number of tickets from 1"),
    ({"time_zone": "Berlin"}, "events[5].time_zone 'Berlin' is not a time zone"),
    ({"id": "Release Show"}, "events[6].id 'Release Show' must be 1 to 63 lower-case letters"),
]


def test_bad_input_fails_before_any_write_naming_each_field_and_value(run_events, aws):
    # One run with seven bad events: the module reports every problem at once (ids made unique but the bad one).
    events = [{**SHOW, "id": f"show-{index}", **change} for index, (change, unused) in enumerate(BAD_EVENTS)]
    run = run_events(events=events)
    assert run.returncode != 0
    message = " ".join(run.failure_messages(CREATOR))
    assert message.count(f"creator {CREATOR}: ") == 1
    for _change, expected in BAD_EVENTS:
        assert expected in message
    assert aws.calls()["writes"] == 0


def test_turning_the_feature_off_keeps_the_events_and_the_tickets_table(converged_events, run_events, dynamodb, aws):
    run = run_events(creator_features=["website", "auth"])
    assert run.returncode == 0, run.failure_messages(CREATOR)
    assert module_result(run).get("skipped") is True
    assert aws.calls()["writes"] == 0
    assert f"creatorcloud-{CREATOR}-tickets" in dynamodb.list_tables()["TableNames"]
    assert event_row(dynamodb, "release-show")["ticketsAvailable"] == 300
