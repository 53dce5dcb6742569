# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lambda's UpdateFunctionCode changes the architecture, per account, as in AWS; CodeSha256 is base64(SHA-256)."""

import base64
import hashlib
import io
import json
import zipfile

import pytest

from . import clients_in_accounts

FUNCTION = "creatorcloud-creator1-profile"


def handler_zip(text):
    """A deployment zip with one module."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", text)
    return buffer.getvalue()


@pytest.fixture
def lambda_pair(aws_client):
    """Lambda clients in two accounts, each with FUNCTION (x86_64) and the role it runs as."""
    pairs = zip(clients_in_accounts(aws_client, "lambda"), clients_in_accounts(aws_client, "iam"), strict=True)
    clients = []
    for client, iam in pairs:
        trust = {
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ]
        }
        role = iam.create_role(RoleName=FUNCTION, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
        client.create_function(
            FunctionName=FUNCTION,
            Runtime="python3.12",
            Role=role["Arn"],
            Handler="handler.handler",
            Code={"ZipFile": handler_zip("def handler(event, context): return 1\n")},
            Architectures=["x86_64"],
        )
        clients.append(client)
    return clients


def test_update_function_code_sets_the_architecture_in_that_account_only(lambda_pair):
    first, second = lambda_pair
    code = handler_zip("def handler(event, context): return 2\n")
    answer = first.update_function_code(FunctionName=FUNCTION, ZipFile=code, Architectures=["arm64"])
    assert answer["Architectures"] == ["arm64"]
    configuration = first.get_function(FunctionName=FUNCTION)["Configuration"]
    assert configuration["Architectures"] == ["arm64"]
    assert configuration["CodeSha256"] == base64.b64encode(hashlib.sha256(code).digest()).decode()
    assert second.get_function(FunctionName=FUNCTION)["Configuration"]["Architectures"] == ["x86_64"]


def test_update_function_code_without_architectures_keeps_it(lambda_pair):
    first, _second = lambda_pair
    first.update_function_code(FunctionName=FUNCTION, ZipFile=handler_zip("x = 3\n"))
    assert first.get_function(FunctionName=FUNCTION)["Configuration"]["Architectures"] == ["x86_64"]


def test_a_dry_run_changes_nothing(lambda_pair):
    first, _second = lambda_pair
    before = first.get_function(FunctionName=FUNCTION)["Configuration"]
    first.update_function_code(
        FunctionName=FUNCTION, ZipFile=handler_zip("x = 4\n"), Architectures=["arm64"], DryRun=True
    )
    after = first.get_function(FunctionName=FUNCTION)["Configuration"]
    assert after["Architectures"] == ["x86_64"]
    assert after["CodeSha256"] == before["CodeSha256"]
