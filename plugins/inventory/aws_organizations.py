# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: aws_organizations
short_description: Creators of an AWS Organization as inventory hosts
version_added: 0.1.0
description:
  - Get one host per creator from the AWS Organization of the management account.
  - A creator is an C(ACTIVE) member account that carries the tag O(creator_tag_key); the tag's value, the
    creator's slug, is the host name.
  - The management account, untagged accounts and accounts that are not C(ACTIVE) (for example C(SUSPENDED)
    or C(PENDING_CLOSURE)) are left out.
  - An account whose tag value is not a valid slug (3 to 32 lower-case letters, digits and hyphens, starting
    with a letter), or whose slug an account that joined earlier already has, is left out with a warning.
  - Every creator is in the group C(creators) and in one group per organizational unit path, named C(ou_)
    followed by the path with C(/) replaced by C(_) (C(ou_creators), C(ou_creators_eu)); the group of a nested
    OU is a child of its parent OU's group. Accounts directly under the root are in no OU group.
  - The inventory file is a YAML configuration file and must end with C(aws_organizations.yml) or
    C(aws_organizations.yaml), for example C(creators.aws_organizations.yml).
notes:
  - AWS Organizations is a global service. The plugin calls it in O(region) when that is set (for example a
    C(cn-) region for the China partition), otherwise in C(us-east-1).
  - The credentials (or O(assume_role_arn)) must belong to the organization's management account and allow
    C(organizations:Describe*) and C(organizations:List*).
  - The plugin never assumes a role in a creator account; it only computes the role ARN (C(account_role_arn))
    that playbooks assume to act inside that account.
  - "Calls made: C(DescribeOrganization), C(ListRoots), C(ListOrganizationalUnitsForParent) and
    C(ListAccountsForParent) once per organizational unit walked (more for pages of 20), and
    C(ListTagsForResource) once per C(ACTIVE) member account in scope. No call per account to find its parent."
author:
  - CreatorCloud engineering (@creatorcloud)
extends_documentation_fragment:
  - inventory_cache
  - constructed
  - amazon.aws.boto3
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
  - amazon.aws.assume_role.plugins
options:
  plugin:
    description:
      - Token that ensures this is a configuration file for this plugin.
    type: str
    required: true
    choices: ['creatorcloud.platform.aws_organizations']
  creator_tag_key:
    description:
      - The account tag that marks a creator account; its value is the creator's slug and the host name.
    type: str
    default: 'creatorcloud:creator'
  role_name:
    description:
      - The IAM role that playbooks assume in each creator account, used to build C(account_role_arn).
    type: str
    default: OrganizationAccountAccessRole
  include_ou_paths:
    description:
      - Only list accounts in these organizational unit paths or below them, for example V(creators/eu).
      - A path is the names of the OUs from the root, separated by C(/); V(creators/eu) includes
        V(creators/eu/de) but not V(creators/europe). An empty string stands for the root, that is everything.
      - Subtrees outside these paths are not walked, so a narrow list also saves API calls.
      - When empty (the default), every account of the organization is considered.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
# creators.aws_organizations.yml: every creator of the organization, with the credentials
# of the management account from the environment or the instance profile.
plugin: creatorcloud.platform.aws_organizations

---

# The embedded default: the emulated AWS on loopback, its address from the environment.
plugin: creatorcloud.platform.aws_organizations
endpoint_url: "{{ lookup('env', 'CREATORCLOUD_AWS_ENDPOINT') | default('http://127.0.0.1:4566', true) }}"

---

# Only the European creators, through a read-only role in the management account,
# cached for an hour, with groups per tier tag and the host set up to run on the controller.
plugin: creatorcloud.platform.aws_organizations
assume_role_arn: arn:aws:iam::111122223333:role/CreatorCloudInventory
include_ou_paths:
  - creators/eu
role_name: CreatorCloudDeploy
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/creatorcloud/inventory
cache_timeout: 3600
strict: true
keyed_groups:
  # tier_small, tier_medium, tier_large from the account tag creatorcloud:tier
  - key: account_tags['creatorcloud:tier'] | default('small')
    prefix: tier
groups:
  # accounts that joined the organization by invitation rather than being created by it
  invited: account_email is not search('@creators\\.example\\.com$')
compose:
  ansible_connection: "'local'"
"""

from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import organizations as orgs
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import normalise_ou_path
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import creator_role_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import RETRY_CONFIG

PLUGIN_NAME = "creatorcloud.platform.aws_organizations"
DEFAULT_REGION = "us-east-1"
ACTIVE = "ACTIVE"
CREATORS_GROUP = "creators"
OU_GROUP_PREFIX = "ou_"
ACCESS_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException"})


@orgs.OrganizationsErrorHandler.common_error_handler("list the accounts of an organizational unit")
def list_accounts_for_parent(client, parent_id):
    """The accounts directly in a root or OU (ListAccountsForParent, all pages of at most 20)."""
    pages = client.get_paginator("list_accounts_for_parent").paginate(ParentId=parent_id)
    return pages.build_full_result()["Accounts"]


def join_ou_path(parent_path, name):
    """The path of an OU named `name` under `parent_path` ('' is the root)."""
    return f"{parent_path}/{name}" if parent_path else name


def _is_at_or_below(path, prefix):
    return prefix == "" or path == prefix or path.startswith(prefix + "/")


def ou_path_in_scope(path, scopes):
    """True when accounts at `path` are wanted: no scopes, or `path` is at or below one of them."""
    return not scopes or any(_is_at_or_below(path, scope) for scope in scopes)


def ou_path_worth_walking(path, scopes):
    """True when `path` is in scope or one of the scopes lies below it."""
    return ou_path_in_scope(path, scopes) or any(_is_at_or_below(scope, path) for scope in scopes)


def ou_group_names(ou_path):
    """The raw group names from the top OU down: 'creators/eu' -> ['ou_creators', 'ou_creators_eu']."""
    names = ou_path.split("/") if ou_path else []
    return [OU_GROUP_PREFIX + "_".join(names[: depth + 1]) for depth in range(len(names))]


def account_state(account):
    """The account's state: `State` in newer API versions, `Status` in older ones."""
    return account.get("State") or account.get("Status")


def partition_of(arn):
    """The partition of an ARN ('aws', 'aws-cn', 'aws-us-gov'), 'aws' when there is none."""
    return arn.split(":")[1] if arn and arn.startswith("arn:") else "aws"


def account_record(account, ou_path, ou_id, tags):
    """The cacheable record of an account: its Organizations fields, OU and tags, JSON-safe."""
    joined = account.get("JoinedTimestamp")
    return {
        **account,
        "JoinedTimestamp": joined.isoformat() if hasattr(joined, "isoformat") else joined,
        "OuPath": ou_path,
        "OuId": ou_id,
        "Tags": tags,
    }


def creator_host_vars(record, role_name):
    """The host variables of a creator account, all prefixed with `account_`."""
    return {
        "account_id": record["Id"],
        "account_name": record.get("Name"),
        "account_email": record.get("Email"),
        "account_arn": record.get("Arn"),
        "account_status": account_state(record),
        "account_joined_at": record.get("JoinedTimestamp"),
        "account_ou_path": record["OuPath"],
        "account_ou_id": record["OuId"],
        "account_tags": dict(record.get("Tags") or {}),
        "account_role_arn": creator_role_arn(record["Id"], role_name, partition_of(record.get("Arn"))),
    }


def walk_accounts(client, parent_id, ou_path, scopes):
    """Yield (ou_path, ou_id, account) below `parent_id`, skipping subtrees outside the scopes."""
    if ou_path_in_scope(ou_path, scopes):
        for account in list_accounts_for_parent(client, parent_id):
            yield ou_path, parent_id, account
    for ou in orgs.list_organizational_units(client, parent_id):
        child_path = join_ou_path(ou_path, ou["Name"])
        if ou_path_worth_walking(child_path, scopes):
            yield from walk_accounts(client, ou["Id"], child_path, scopes)


class NotManagementAccountError(orgs.AnsibleOrganizationsError):
    """The credentials' account is in no organization."""


def query_member_accounts(client, scopes):
    """Records of the ACTIVE member accounts in scope, with their OU path and tags.

    Walking the OU tree from the root finds each account's OU with two listings per OU,
    where ListAccounts would need a ListParents call per account; ListAccountsForParent
    returns the same account fields, so ListAccounts is not needed at all.
    """
    organization = orgs.find_organization(client)
    if organization is None:
        raise NotManagementAccountError(
            "The account of these credentials is not the management account of an AWS Organization "
            "(organizations:DescribeOrganization answered AWSOrganizationsNotInUseException); use credentials "
            "of the management account, or set assume_role_arn to a role in it"
        )
    management_account_id = organization["MasterAccountId"]
    records = {}
    for root in orgs.list_roots(client):
        for ou_path, ou_id, account in walk_accounts(client, root["Id"], "", scopes):
            account_id = account["Id"]
            if account_id in records or account_id == management_account_id or account_state(account) != ACTIVE:
                continue
            records[account_id] = account_record(account, ou_path, ou_id, orgs.list_tags(client, account_id))
    return list(records.values())


def failure_message(error):
    """What to tell the operator about an AnsibleOrganizationsError."""
    cause = error.exception
    code = getattr(cause, "response", {}).get("Error", {}).get("Code")
    if code in ACCESS_DENIED_CODES:
        return (
            f"Access denied to organizations:{cause.operation_name}; the {PLUGIN_NAME} inventory needs "
            f"organizations:List* and organizations:Describe* in the organization's management account: {cause}"
        )
    return str(error)


class InventoryModule(AWSInventoryBase):
    """Creators (tagged, active member accounts of an AWS Organization) as hosts."""

    NAME = PLUGIN_NAME
    INVENTORY_FILE_SUFFIXES = ("aws_organizations.yml", "aws_organizations.yaml")

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        result_was_cached, records = self.get_cached_result(path, cache)
        if not result_was_cached:
            records = self._query_or_fail()
        self._populate(records)
        self.update_cached_result(path, cache, records)

    def _query_or_fail(self):
        # The collection's one retry layer (core/retries.py): botocore retries throttling, nothing around it.
        client = self.client("organizations", region=self.get_option("region") or DEFAULT_REGION, config=RETRY_CONFIG)
        scopes = tuple(normalise_ou_path(path) for path in self.get_option("include_ou_paths"))
        try:
            return query_member_accounts(client, scopes)
        except orgs.AnsibleOrganizationsError as e:
            self.fail_aws(failure_message(e))

    def _populate(self, records):
        """Add a host per tagged creator account, in the order the accounts joined."""
        tag_key = self.get_option("creator_tag_key")
        role_name = self.get_option("role_name")
        hosts = {}
        for record in sorted(records, key=lambda r: (r.get("JoinedTimestamp") or "", r["Id"])):
            slug = (record.get("Tags") or {}).get(tag_key)
            if slug is None:
                continue
            problem = slug_error(f"The {tag_key} tag of account {record['Id']}", slug)
            if problem:
                self.warn(f"{problem}; the account is left out of the inventory")
                continue
            if slug in hosts:
                self.warn(
                    f"Accounts {hosts[slug]} and {record['Id']} both carry {tag_key}={slug}; "
                    f"only {hosts[slug]}, which joined first, is in the inventory"
                )
                continue
            hosts[slug] = record["Id"]
            self._add_creator(slug, creator_host_vars(record, role_name))

    def _add_creator(self, host, host_vars):
        """Add the host with its variables, its OU groups and the constructed groups and variables."""
        self.inventory.add_group(CREATORS_GROUP)
        self.inventory.add_host(host, group=CREATORS_GROUP)
        for name, value in host_vars.items():
            self.inventory.set_variable(host, name, value)
        self._add_to_ou_groups(host, host_vars["account_ou_path"])

        strict = self.get_option("strict")
        self._set_composite_vars(self.get_option("compose"), host_vars, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option("groups"), host_vars, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), host_vars, host, strict=strict)

    def _add_to_ou_groups(self, host, ou_path):
        """Put the host in the group of its OU, each OU group a child of its parent OU's group."""
        parent = None
        for raw_name in ou_group_names(ou_path):
            group = self.inventory.add_group(self._sanitize_group_name(raw_name))
            if parent:
                self.inventory.add_child(parent, group)
            parent = group
        if parent:
            self.inventory.add_child(parent, host)
