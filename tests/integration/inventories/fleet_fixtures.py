# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `fleet` fixture: the small creators of inventories/fleet onboarded, each served by its local gateway.

A test module gets it by importing `fleet_fixture` (its function name, so that the import does
not shadow the argument's name). The fleet inventory reads each gateway's state file from
$CREATORCLOUD_GATEWAY_STATE_DIR, which `Fleet.run` sets, to check the site through it.
"""

from pathlib import Path

import pytest
from creatorcloud_gateway import launcher

INVENTORY = Path(__file__).resolve().parent / "fleet"
CREATORS = ("fan1", "fan2", "fan3", "fan4", "fan5", "fan6")


class Fleet:
    """Onboarded creators of the fleet inventory, their gateways and a playbook runner for them."""

    def __init__(self, aws, run_playbook, creator_client, from_snapshot, state_dir):
        self.aws = aws
        self._run_playbook = run_playbook
        self._creator_client = creator_client
        self._from_snapshot = from_snapshot
        self.state_dir = state_dir
        self.gateways = []
        self.accounts = {}

    def run(self, playbook, *args):
        """Run a playbook on the fleet inventory, with the gateways' state for the health check."""
        env = {"CREATORCLOUD_GATEWAY_STATE_DIR": str(self.state_dir)}
        return self._run_playbook(playbook, *args, inventory=INVENTORY, env=env)

    def onboard(self, creators):
        """Bootstrap the organization, onboard `creators`, serve each through a gateway; empty the call log.

        The onboarded fleet is a snapshot: a later test of this worker that onboards the same creators
        starts from it without running the playbooks again.
        """
        self.accounts = self._from_snapshot(f"fleet-{'-'.join(creators)}", lambda: self._onboarded(creators))
        for creator in creators:
            gateway = launcher.start(creator, launcher.free_port(), endpoint_url=self.aws.endpoint_url)
            gateway.save(self.state_dir / f"{creator}.json")
            self.gateways.append(gateway)
        self.aws.reset_calls()
        return self

    def _onboarded(self, creators):
        """Run the playbooks that onboard `creators`; their accounts, {account id: creator}."""
        assert self.run("playbooks/bootstrap_organization.yml").returncode == 0
        onboarded = self.run("playbooks/onboard.yml", "-l", ",".join(creators))
        assert onboarded.returncode == 0, {creator: onboarded.failure_messages(creator) for creator in creators}
        return {
            result["account"]["account_id"]: creator
            for creator in creators
            for result in onboarded.results(creator, action="creatorcloud.platform.creator_account")
        }

    def account_of(self, creator):
        """The account id of an onboarded creator."""
        return next(account for account, name in self.accounts.items() if name == creator)

    def client(self, creator, service, region="eu-central-1"):
        """A boto3 client inside the creator's account."""
        return self._creator_client(self.account_of(creator), service, region)

    def stop(self):
        """Stop the gateways this fleet started, each by its pid."""
        for gateway in self.gateways:
            launcher.stop(gateway.pid)


@pytest.fixture(name="fleet")
def fleet_fixture(aws, run_playbook, creator_client, from_snapshot, tmp_path):
    """A `Fleet` to onboard; its gateways stop after the test."""
    fleet = Fleet(aws, run_playbook, creator_client, from_snapshot, tmp_path)
    yield fleet
    fleet.stop()
