# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throttling on demand (faults.py): each protocol's throttling error as botocore's retry modes know it.

The clients here make one attempt only, so that the error itself reaches the test.
"""

import urllib.error

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries.standard import ThrottledRetryableChecker
from conftest import MANAGEMENT_CREDENTIALS

ONE_ATTEMPT = Config(retries={"mode": "standard", "total_max_attempts": 1})
REGION = "eu-central-1"
# (service, a read it can answer on an empty account, its parameters): one per protocol.
CALLS = [
    ("dynamodb", "list_tables", {}),  # JSON
    ("iam", "list_roles", {}),  # Query
    ("lambda", "list_functions", {}),  # REST-JSON
    ("apigatewayv2", "get_apis", {}),  # REST-JSON, another error code
    ("route53", "list_hosted_zones", {}),  # REST-XML
    ("s3", "list_buckets", {}),  # REST-XML, S3's own 503
]


@pytest.fixture
def client(aws_client):
    """`client(service)`: a management client on the emulator that makes one attempt per call."""
    return lambda service: aws_client(service, REGION, config=ONE_ATTEMPT, **MANAGEMENT_CREDENTIALS)


def is_throttling(error):
    """Whether botocore's standard and adaptive retry modes take `error` for throttling or a transient 5xx."""
    code = error.response["Error"]["Code"]
    status = error.response["ResponseMetadata"]["HTTPStatusCode"]
    return code in ThrottledRetryableChecker._THROTTLED_ERROR_CODES or status in (500, 502, 503, 504)


@pytest.mark.parametrize(("service", "operation", "params"), CALLS, ids=[c[0] for c in CALLS])
def test_each_protocol_answers_a_throttling_error_that_botocore_retries(aws, client, service, operation, params):
    aws.throttle(1)
    with pytest.raises(ClientError) as excinfo:
        getattr(client(service), operation)(**params)
    assert is_throttling(excinfo.value), excinfo.value.response
    assert aws.stop_throttling() == 1
    getattr(client(service), operation)(**params)  # answered again


def test_every_third_call_is_throttled_and_logged(aws, client):
    dynamodb = client("dynamodb")
    aws.throttle(3)
    outcomes = []
    for _call in range(9):
        try:
            dynamodb.list_tables()
            outcomes.append("ok")
        except ClientError as e:
            outcomes.append(e.response["Error"]["Code"])
    assert outcomes == ["ok", "ok", "ThrottlingException"] * 3
    assert aws.stop_throttling() == 3
    logged = [call.get("throttled", False) for call in aws.calls()["calls"]]
    assert logged == [False, False, True] * 3


def test_only_the_named_operations_are_throttled(aws, client):
    dynamodb = client("dynamodb")
    aws.throttle(1, operations=["DescribeTable"])
    dynamodb.list_tables()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.describe_table(TableName="Anything")
    assert excinfo.value.response["Error"]["Code"] == "ThrottlingException"
    assert aws.stop_throttling() == 1


def test_a_reset_stops_throttling(aws, client):
    aws.throttle(1)
    aws.reset_state()
    client("dynamodb").list_tables()


def test_a_rule_needs_a_positive_period(aws):
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        aws.throttle(0)
    assert excinfo.value.code == 400


def test_the_call_log_names_the_module_from_the_user_agent(aws, aws_client):
    """The collection's clients say which module made a call (creatorcloud_module.py): the benchmark counts by it."""
    tagged = Config(user_agent_extra="creatorcloud-module/tables")
    aws_client("dynamodb", REGION, config=tagged, **MANAGEMENT_CREDENTIALS).list_tables()
    aws_client("dynamodb", REGION, **MANAGEMENT_CREDENTIALS).list_tables()
    assert [call["module"] for call in aws.calls()["calls"]] == ["tables", None]
