# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creatorcloud.platform.aws_organizations inventory, run through ansible-inventory on the emulator."""

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_INVENTORY = REPO / ".venv" / "bin" / "ansible-inventory"
TAG_KEY = "creatorcloud:creator"
MANAGEMENT_ACCOUNT_ID = "123456789012"
# amazon.aws releases without ansible-collections/amazon.aws#2864 pass the deprecated `disable_lookups`
# when they template options (ansible-collections/amazon.aws#2786): their warning, not ours.
KNOWN_UPSTREAM_WARNINGS = (
    "Passing `disable_lookups` to `template` is deprecated",
    "Deprecation warnings can be disabled",
)
ENDPOINT_FROM_ENV = "{{ lookup('env', 'CREATORCLOUD_AWS_ENDPOINT') | default('http://127.0.0.1:4566', true) }}"


class Organization:
    """An organization in the emulator, built with the management account's boto3 client."""

    def __init__(self, client):
        self.client = client
        client.create_organization(FeatureSet="ALL")
        self.root_id = client.list_roots()["Roots"][0]["Id"]
        self.ou_ids = {"": self.root_id}

    def add_ou(self, path):
        """Create the OU at `path` ('creators/eu'), its parent must exist."""
        parent_path, name = path.rpartition("/")[::2]
        ou = self.client.create_organizational_unit(ParentId=self.ou_ids[parent_path], Name=name)
        self.ou_ids[path] = ou["OrganizationalUnit"]["Id"]
        return self.ou_ids[path]

    def add_account(self, name, ou_path="", tags=None):
        """Create a member account, move it to `ou_path` and tag it; return its id."""
        request = self.client.create_account(AccountName=name, Email=f"{name}@creators.example.com")
        request_id = request["CreateAccountStatus"]["Id"]
        status = self.client.describe_create_account_status(CreateAccountRequestId=request_id)
        account_id = status["CreateAccountStatus"]["AccountId"]
        if ou_path:
            self.client.move_account(
                AccountId=account_id, SourceParentId=self.root_id, DestinationParentId=self.ou_ids[ou_path]
            )
        if tags:
            self.tag(account_id, tags)
        return account_id

    def tag(self, account_id, tags):
        self.client.tag_resource(ResourceId=account_id, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@pytest.fixture
def org(aws_client):
    """An organization with OUs creators and creators/eu."""
    organization = Organization(aws_client("organizations", region="us-east-1"))
    organization.add_ou("creators")
    organization.add_ou("creators/eu")
    return organization


@pytest.fixture
def creators(org):
    """Creators alice (creators/eu), bob (creators), rita (root), and accounts that must stay out."""
    ids = {
        "alice": org.add_account("alice", "creators/eu", {TAG_KEY: "alice", "creatorcloud:tier": "large"}),
        "bob": org.add_account("bob", "creators", {TAG_KEY: "bob"}),
        "rita": org.add_account("rita", "", {TAG_KEY: "rita"}),
        "untagged": org.add_account("untagged", "creators"),
        "closed": org.add_account("closed", "creators/eu", {TAG_KEY: "closed"}),
    }
    org.client.close_account(AccountId=ids["closed"])
    # Even tagged, the management account is never a creator host.
    org.tag(MANAGEMENT_ACCOUNT_ID, {TAG_KEY: "management"})
    return ids


def write_inventory(directory, **options):
    """A `demo.aws_organizations.yml` whose endpoint comes from the environment, like inventories/local."""
    config = {"plugin": "creatorcloud.platform.aws_organizations", "endpoint_url": ENDPOINT_FROM_ENV, **options}
    path = Path(directory) / "demo.aws_organizations.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def ansible_inventory(env, path, *args):
    """Run ansible-inventory on the file; return the finished process."""
    return subprocess.run(
        [str(ANSIBLE_INVENTORY), "-i", str(path), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def warnings_of(stderr):
    """The warning lines of a run, without the known upstream deprecation."""
    lines = [line for line in stderr.splitlines() if "WARNING" in line]
    return [line for line in lines if not any(known in line for known in KNOWN_UPSTREAM_WARNINGS)]


def _plain(mapping):
    """Undo ansible-inventory's marking of untrusted strings: {'__ansible_unsafe': 's'} -> 's'."""
    return mapping["__ansible_unsafe"] if set(mapping) == {"__ansible_unsafe"} else mapping


def inventory_list(env, path, raw=False):
    """`ansible-inventory --list` as parsed JSON; fails the test on any warning of ours."""
    result = ansible_inventory(env, path, "--list")
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == [], result.stderr
    return json.loads(result.stdout) if raw else json.loads(result.stdout, object_hook=_plain)


def hosts_of(inventory, group):
    return set(inventory.get(group, {}).get("hosts", []))


def all_hosts(inventory):
    return set(inventory["_meta"]["hostvars"])


def test_tagged_active_member_accounts_become_hosts_named_by_slug(aws_env, tmp_path, creators):
    inventory = inventory_list(aws_env, write_inventory(tmp_path))

    assert all_hosts(inventory) == {"alice", "bob", "rita"}
    alice = inventory["_meta"]["hostvars"]["alice"]
    assert alice["account_id"] == creators["alice"]
    assert alice["account_name"] == "alice"
    assert alice["account_email"] == "alice@creators.example.com"
    assert alice["account_arn"].startswith("arn:aws:organizations::123456789012:account/o-")
    assert alice["account_arn"].endswith(f"/{creators['alice']}")
    assert alice["account_status"] == "ACTIVE"
    assert alice["account_joined_at"].startswith("20") and "T" in alice["account_joined_at"]
    assert alice["account_ou_path"] == "creators/eu"
    assert alice["account_ou_id"].startswith("ou-")
    assert alice["account_tags"] == {TAG_KEY: "alice", "creatorcloud:tier": "large"}
    assert alice["account_role_arn"] == f"arn:aws:iam::{creators['alice']}:role/OrganizationAccountAccessRole"
    assert not {"name", "tags"} & set(alice)
    rita = inventory["_meta"]["hostvars"]["rita"]
    assert rita["account_ou_path"] == ""
    assert rita["account_ou_id"].startswith("r-")


def test_values_from_aws_are_never_templated(aws_env, tmp_path, org):
    org.add_account("mallory", "creators", {TAG_KEY: "mallory", "note": "{{ lookup('env', 'HOME') }}"})

    inventory = inventory_list(aws_env, write_inventory(tmp_path), raw=True)

    mallory = inventory["_meta"]["hostvars"]["mallory"]
    assert mallory["account_name"] == {"__ansible_unsafe": "mallory"}
    assert mallory["account_tags"]["note"] == {"__ansible_unsafe": "{{ lookup('env', 'HOME') }}"}


def test_management_untagged_and_closed_accounts_are_left_out(aws_env, tmp_path, creators, aws_client):
    states = {
        account["Id"]: account.get("State") or account["Status"]
        for account in aws_client("organizations", region="us-east-1").list_accounts()["Accounts"]
    }
    assert states[creators["closed"]] == "SUSPENDED"

    inventory = inventory_list(aws_env, write_inventory(tmp_path))

    ids = {hostvars["account_id"] for hostvars in inventory["_meta"]["hostvars"].values()}
    assert MANAGEMENT_ACCOUNT_ID not in ids
    assert creators["untagged"] not in ids
    assert creators["closed"] not in ids
    assert not {"management", "closed", "untagged"} & all_hosts(inventory)


def test_ou_groups_nest_and_every_creator_is_in_creators(aws_env, tmp_path, creators):
    path = write_inventory(tmp_path)
    inventory = inventory_list(aws_env, path)

    assert hosts_of(inventory, "creators") == {"alice", "bob", "rita"}
    assert hosts_of(inventory, "ou_creators") == {"bob"}
    assert hosts_of(inventory, "ou_creators_eu") == {"alice"}
    assert "ou_creators_eu" in inventory["ou_creators"]["children"]
    assert {"creators", "ou_creators"} <= set(inventory["all"]["children"])

    graph = ansible_inventory(aws_env, path, "--graph")
    assert graph.returncode == 0, graph.stderr
    lines = [line.strip() for line in graph.stdout.splitlines()]
    assert lines.index("|  |--@ou_creators_eu:") > lines.index("|--@ou_creators:")
    assert "|  |  |--alice" in lines
    assert "rita" not in {host for group in inventory if group.startswith("ou_") for host in hosts_of(inventory, group)}


def test_role_name_creator_tag_key_and_include_ou_paths(aws_env, tmp_path, org, creators):
    org.add_account("carol", "creators/eu", {"team:slug": "carol"})

    path = write_inventory(
        tmp_path, creator_tag_key="team:slug", role_name="CreatorDeploy", include_ou_paths=["/creators/eu"]
    )

    inventory = inventory_list(aws_env, path)

    assert all_hosts(inventory) == {"carol"}
    assert inventory["_meta"]["hostvars"]["carol"]["account_role_arn"].endswith(":role/CreatorDeploy")


def test_include_ou_paths_matches_whole_path_segments(aws_env, tmp_path, org, creators):
    org.add_ou("creators/europe")
    org.add_account("dora", "creators/europe", {TAG_KEY: "dora"})

    inventory = inventory_list(aws_env, write_inventory(tmp_path, include_ou_paths=["creators/eu"]))

    assert all_hosts(inventory) == {"alice"}


def test_keyed_groups_groups_and_compose(aws_env, tmp_path, creators):
    path = write_inventory(
        tmp_path,
        strict=True,
        keyed_groups=[
            {"key": "account_tags['creatorcloud:tier'] | default('small')", "prefix": "tier"},
            {"key": "account_ou_path or 'root'", "prefix": "path", "parent_group": "by_path"},
        ],
        groups={"europe": "account_ou_path is match('creators/eu')"},
        compose={"ansible_connection": "'local'", "creator_bucket": "account_name ~ '-' ~ account_id"},
    )

    inventory = inventory_list(aws_env, path)

    assert hosts_of(inventory, "tier_large") == {"alice"}
    assert hosts_of(inventory, "tier_small") == {"bob", "rita"}
    assert hosts_of(inventory, "europe") == {"alice"}
    assert hosts_of(inventory, "path_creators_eu") == {"alice"}
    assert hosts_of(inventory, "path_root") == {"rita"}
    assert {"path_creators", "path_creators_eu", "path_root"} == set(inventory["by_path"]["children"])
    bob = inventory["_meta"]["hostvars"]["bob"]
    assert bob["ansible_connection"] == "local"
    assert bob["creator_bucket"] == f"bob-{creators['bob']}"


def test_accounts_with_a_bad_or_taken_slug_are_left_out_with_a_warning(aws_env, tmp_path, org, creators):
    twin = org.add_account("alice-twin", "creators", {TAG_KEY: "alice"})
    bad = org.add_account("bad", "creators", {TAG_KEY: "Not A Slug"})

    result = ansible_inventory(aws_env, write_inventory(tmp_path), "--list")

    assert result.returncode == 0, result.stderr
    message = " ".join(result.stderr.split())
    assert f"Accounts {creators['alice']} and {twin} both carry {TAG_KEY}=alice" in message, result.stderr
    assert f"The {TAG_KEY} tag of account {bad} 'Not A Slug' is not a valid creator slug" in message
    inventory = json.loads(result.stdout, object_hook=_plain)
    assert all_hosts(inventory) == {"alice", "bob", "rita"}
    assert inventory["_meta"]["hostvars"]["alice"]["account_id"] == creators["alice"]


def test_cached_accounts_are_not_listed_again_until_the_cache_is_flushed(aws, aws_env, tmp_path, org, creators):
    path = write_inventory(
        tmp_path, cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache")
    )
    first = inventory_list(aws_env, path)
    org.add_account("newcomer", "creators", {TAG_KEY: "newcomer"})
    aws.reset_calls()

    cached = inventory_list(aws_env, path)

    assert cached == first
    assert aws.calls()["calls"] == []
    flushed = ansible_inventory(aws_env, path, "--list", "--flush-cache")
    assert "newcomer" in json.loads(flushed.stdout, object_hook=_plain)["_meta"]["hostvars"]


def test_strict_compose_error_fails_the_source(aws_env, tmp_path, creators):
    path = write_inventory(tmp_path, strict=True, compose={"x": "account_no_such_var.upper()"})

    result = ansible_inventory(aws_env, path, "--list")

    assert "account_no_such_var" in result.stderr
    assert json.loads(result.stdout)["_meta"]["hostvars"] == {}


def test_more_than_a_page_of_accounts_with_only_read_calls_and_no_call_per_parent(aws, aws_env, tmp_path, org):
    slugs = {f"creator{n:02d}" for n in range(25)}
    for slug in slugs:
        org.add_account(slug, "creators/eu", {TAG_KEY: slug})
    path = write_inventory(tmp_path)
    aws.reset_calls()

    inventory = inventory_list(aws_env, path)

    assert all_hosts(inventory) == slugs
    assert hosts_of(inventory, "ou_creators_eu") == slugs
    log = aws.calls()
    assert log["writes"] == 0, log["calls"]
    operations = Counter(call["operation"] for call in log["calls"] if call["service"] == "organizations")
    assert operations["ListParents"] == 0
    assert operations["ListTagsForResource"] == 25
    # root, creators, creators/eu: one listing of child OUs each, and accounts in pages of 20 (25 -> 2 pages).
    assert operations["ListAccountsForParent"] == 4
    assert operations["ListOrganizationalUnitsForParent"] == 3
    assert sum(operations.values()) <= 25 + 10, operations
    assert log["reads"] == sum(operations.values()), "only Organizations is called"
    print(f"calls for 25 creator accounts: {dict(operations)}, total {log['reads']} reads, {log['writes']} writes")


def test_outside_an_organization_the_error_says_so(aws, aws_env, tmp_path):
    result = ansible_inventory(aws_env, write_inventory(tmp_path), "--list")

    message = " ".join(result.stderr.split())
    assert "not the management account of an AWS Organization" in message, result.stderr
    assert "AWSOrganizationsNotInUseException" in message
    assert json.loads(result.stdout)["_meta"]["hostvars"] == {}
