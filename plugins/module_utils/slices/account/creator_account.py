# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's member account: find or create it, place it in its OU path, tag it.

Private to the creator_account module. The plan reads everything and decides every
action; check mode stops after the plan, a real run applies it in order, each write through
:class:`Changes`. A failing step raises :class:`CreatorAccountError` with what had already changed.
"""

import time

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import organizations as orgs
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import creator_role_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import CREATOR_TAG
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import plan_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_after
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.organizational_units import ensure_ou_path
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.organizational_units import path_of
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.organizational_units import read_ou_path

POLL_SECONDS = 5

CREATE_FAILURE_ADVICE = {
    "EMAIL_ALREADY_EXISTS": "the e-mail address is already used by another AWS account; choose another creator "
    "e-mail, or invite that account into the organization",
    "ACCOUNT_LIMIT_EXCEEDED": "the organization has reached its account quota; ask AWS for a higher "
    "'Default maximum number of accounts' in Service Quotas (AWS Organizations)",
    "INVALID_EMAIL": "AWS rejected the e-mail address; check creator_email",
    "CONCURRENT_ACCOUNT_MODIFICATION": "another change to the organization ran at the same time; run again",
    "INTERNAL_FAILURE": "AWS could not create the account; run again later",
}


class CreatorAccountError(ConvergeError):
    """A step of the account failed; `changes` lists what the run had already changed."""


def desired_tags(creator, tags):
    merged = dict(tags or {})
    merged[CREATOR_TAG] = creator
    return merged


def describe_for_result(account, ou_path, ou_id, tags, role_name):
    """The account as the module returns it (snake_case keys)."""
    if account is None:
        return {}
    account_id = account.get("Id")
    return {
        "account_id": account_id,
        "arn": account.get("Arn"),
        "name": account.get("Name"),
        "email": account.get("Email"),
        "status": account.get("Status"),
        "ou_path": ou_path,
        "ou_id": ou_id,
        "role_arn": creator_role_arn(account_id, role_name) if account_id else None,
        "tags": tags,
    }


class CreatorAccount:
    """The converge of one creator's account. `desired` holds the module's parameters."""

    def __init__(self, client, desired, check_mode, sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.desired = desired
        self.check_mode = check_mode
        self.changes = Changes(check_mode)
        self.warnings = []
        self._sleep = sleep
        self._clock = clock

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after)."""
        with self.changes.reporting_failures():
            return self._converge()

    def _converge(self):
        tags = desired_tags(self.desired["creator"], self.desired["tags"])
        account = orgs.find_account_by_email(self.client, self.desired["email"])
        ou_path = read_ou_path(self.client, self.desired["ou_path"])
        if account is None:
            before, current_tags, current_parent = {}, {}, ou_path.root_id
        else:
            current_tags = orgs.list_tags(self.client, account["Id"])
            self._refuse_foreign_account(account, current_tags)
            current_parent = orgs.list_parents(self.client, account["Id"])[0]["Id"]
            current_path = path_of(self.client, current_parent, ou_path.known_paths())
            before = describe_for_result(account, current_path, current_parent, current_tags, self.desired["role_name"])
            self._warn_on_name(account)

        target_ou_id = ou_path.leaf_id or ensure_ou_path(self.client, ou_path, self.changes)
        if account is None:
            account = self._create_account(tags)
            current_tags = tags  # CreateAccount sets them
        if current_parent != target_ou_id:
            self._move(account, current_parent, target_ou_id, ou_path.path)
        self._tag(account, current_tags, tags)

        after = describe_for_result(
            account, ou_path.path, target_ou_id, self._tags_after(current_tags, tags), self.desired["role_name"]
        )
        return bool(self.changes.made), before, after

    def _refuse_foreign_account(self, account, tags):
        owner = tags.get(CREATOR_TAG)
        if owner and owner != self.desired["creator"]:
            raise CreatorAccountError(
                f"account {account['Id']} with e-mail {self.desired['email']} belongs to creator {owner!r}, "
                f"not {self.desired['creator']!r}; give each creator its own e-mail address",
                self.changes.made,
            )

    def _warn_on_name(self, account):
        if account.get("Name") != self.desired["account_name"]:
            self.warnings.append(
                f"account {account['Id']} is named {account.get('Name')!r}, not {self.desired['account_name']!r}; "
                "AWS Organizations cannot rename an account: change it in the account's own settings"
            )

    def _create_account(self, tags):
        email, name = self.desired["email"], self.desired["account_name"]
        account_id = self.changes.make(f"create account {name} <{email}>", self._created_account_id, email, name, tags)
        if self.check_mode:
            return {"Name": name, "Email": email, "Status": "ACTIVE"}
        return orgs.describe_account(self.client, account_id)

    def _created_account_id(self, email, name, tags):
        """Start the account's creation, or find it started by an interrupted run, and wait until it is done."""
        status = self._pending_request(name) or self._step(
            orgs.create_account, email, name, self.desired["role_name"], tags
        )
        return self._wait_for_account(status)

    def _pending_request(self, name):
        """A creation of this account still in progress from an interrupted run."""
        pending = orgs.list_create_account_requests_in_progress(self.client)
        return next((request for request in pending if request.get("AccountName") == name), None)

    def _wait_for_account(self, status):
        deadline = self._clock() + self.desired["wait_timeout"]
        while status["State"] == "IN_PROGRESS":
            if self._clock() >= deadline:
                raise CreatorAccountError(
                    f"account creation {status['Id']} for {self.desired['email']} was still in progress after "
                    f"{self.desired['wait_timeout']} seconds; run again to go on waiting for it",
                    self.changes.made
                    + [f"started creating account {self.desired['account_name']} <{self.desired['email']}>"],
                )
            self._sleep(POLL_SECONDS)
            status = self._step(orgs.describe_create_account_status, status["Id"])
        if status["State"] == "FAILED":
            reason = status.get("FailureReason", "UNKNOWN")
            advice = CREATE_FAILURE_ADVICE.get(reason, "see the AWS Organizations console for details")
            raise CreatorAccountError(
                f"AWS could not create the account for {self.desired['email']}: {reason}: {advice}", self.changes.made
            )
        return status["AccountId"]

    # In check mode a planned account has no id yet: .get, as the calls are not made.
    def _move(self, account, source_id, target_id, ou_path):
        description = f"move account into organizational unit {ou_path}"
        self.changes.make(description, self._step, orgs.move_account, account.get("Id"), source_id, target_id)

    def _tag(self, account, current, desired):
        to_set, to_remove = plan_tags(current, desired, self.desired["purge_tags"])
        if to_set:
            description = f"tag account: set {', '.join(sorted(to_set))}"
            self.changes.make(description, self._step, orgs.tag_resource, account.get("Id"), to_set)
        if to_remove:
            description = f"tag account: remove {', '.join(to_remove)}"
            self.changes.make(description, self._step, orgs.untag_resource, account.get("Id"), to_remove)

    def _tags_after(self, current, desired):
        return tags_after(current, *plan_tags(current, desired, self.desired["purge_tags"]))

    def _step(self, call, *args):
        """`call(client, *args)`; a refused call fails with the reason AWS Organizations gave and what to do."""
        try:
            return call(self.client, *args)
        except orgs.AnsibleOrganizationsError as e:
            reason = _constraint_reason(e.exception)
            message = e.message
            if reason == "ACCOUNT_NUMBER_LIMIT_EXCEEDED":
                message += ": " + CREATE_FAILURE_ADVICE["ACCOUNT_LIMIT_EXCEEDED"]
            elif reason:
                message += f": {reason}"
            raise CreatorAccountError(message, self.changes.made, exception=e.exception) from e


def _constraint_reason(exception):
    response = getattr(exception, "response", None) or {}
    if response.get("Error", {}).get("Code") != "ConstraintViolationException":
        return None
    return response.get("Reason") or response.get("Error", {}).get("Reason")
