# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by every test: the emulator, AWS clients on it, and the call log."""

import os
import sys
from pathlib import Path

import boto3
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / ".collections"))

from creatorcloud_emulator import launcher  # noqa: E402

MANAGEMENT_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """A running emulator on a free port, for the whole test session (or per xdist worker)."""
    state = tmp_path_factory.mktemp("emulator")
    port = launcher.free_port()
    running = launcher.start(port, log_path=state / "emulator.log")
    yield running
    launcher.stop(running.pid)


@pytest.fixture
def aws(emulator):
    """A clean emulator: no resources in any account, an empty call log."""
    emulator.reset_state()
    return emulator


@pytest.fixture(scope="session")
def built_states():
    """What each saved state's set-up returned, by snapshot name (per xdist worker, as the emulator is)."""
    return {}


@pytest.fixture
def from_snapshot(aws, built_states):
    """`from_snapshot(name, build)`: the emulator in the state `build()` makes; what `build()` returned.

    The first test that asks for `name` runs `build()` on the clean emulator and saves the state under
    that name; every later one restores it, in milliseconds where the playbooks of `build()` take tens of
    seconds. `build()` must only change the emulator (nothing on disk), and `name` must say everything
    that makes the state (each variant its own name). The call log is empty afterwards.
    """

    def restored_or_built(name, build):
        if name in built_states:
            aws.restore_state(name)
        else:
            built_states[name] = build()
            aws.save_state(name)
            aws.reset_calls()
        return built_states[name]

    return restored_or_built


@pytest.fixture
def aws_client(aws):
    """`aws_client(service, region=..., **credentials)`: a boto3 client on the emulator."""

    def make(service, region="eu-central-1", **credentials):
        return boto3.client(
            service, region_name=region, endpoint_url=aws.endpoint_url, **(credentials or MANAGEMENT_CREDENTIALS)
        )

    return make


@pytest.fixture
def creator_client(aws_client):
    """`creator_client(account_id, service, region=...)`: a client inside a creator's account, as the modules act.

    Assumes the creator role there (in the emulator the assumed role's credentials select the account).
    """

    def make(account_id, service, region="eu-central-1"):
        credentials = aws_client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="test"
        )["Credentials"]
        return aws_client(
            service,
            region,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )

    return make


@pytest.fixture
def aws_env(aws):
    """Environment for a subprocess (ansible-playbook, ansible-inventory) that talks to the emulator."""
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="eu-central-1",
        CREATORCLOUD_AWS_ENDPOINT=aws.endpoint_url,
        ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
    )
    env.pop("AWS_PROFILE", None)
    return env


@pytest.fixture
def run_playbook(aws_env):
    """`run_playbook(playbook, *args, inventory=..., env=...)`: run ansible-playbook on the emulator."""
    from playbook_runner import run

    def runner(playbook, *args, inventory=None, env=None):
        return run(playbook, *args, inventory=inventory, env={**aws_env, **(env or {})})

    return runner


@pytest.fixture
def converged(run_playbook, from_snapshot):
    """`converged(name, playbook, *args)`: the emulator after a successful run of the playbook; that run.

    The run is made once per worker and saved as the snapshot `name` (see `from_snapshot`); its failure
    names each host's failed tasks.
    """

    def restored_or_run(name, playbook, *args):
        def build():
            run = run_playbook(playbook, *args)
            failures = {host: run.failure_messages(host) for host in run.stats if run.failed(host)}
            assert run.returncode == 0, (failures, run.stderr[-2000:])
            return run

        return from_snapshot(name, build)

    return restored_or_run


@pytest.fixture
def organization(converged, aws):
    """The emulated organization with its creator OUs (bootstrap_organization.yml); the call log is empty."""
    converged("organization", "playbooks/bootstrap_organization.yml")
    return aws


@pytest.fixture
def creator1_account(organization, converged):
    """creator1's account and key and nothing else yet: (account id, key ARN); the call log is empty.

    The organization is bootstrapped and the tables playbook runs with no tables: roles config,
    account (the key) and an empty tables slice, so a slice's test starts from a bare account.
    """
    run = converged("creator1-account", "tests/integration/playbooks/tables.yml", "-e", '{"tables_seed": []}')
    facts = {}
    for result in run.results("creator1", action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts["account_id"], facts["account_kms_key_arn"]
