# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Clients inside one creator's member account, found the way the playbooks find it.

The account is the ACTIVE member account of the organization tagged
`creatorcloud:creator=<slug>`; the gateway acts in it only through the creator role
(`OrganizationAccountAccessRole`), like every slice module, so it can read nothing of
another creator's account.
"""

import datetime
import threading

import boto3
import botocore.config
import botocore.exceptions
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from creatorcloud_gateway.collection import creator_session
from creatorcloud_gateway.collection import naming
from creatorcloud_gateway.collection import organizations

# The emulator's placeholder keys of the management account (inventories/local), not secrets.
MANAGEMENT_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
GLOBAL_REGION = "us-east-1"
# A page load must not hang on an emulator that is down: fail fast, with a message.
CLIENT_CONFIG = botocore.config.Config(
    connect_timeout=2, read_timeout=15, retries={"mode": "standard", "max_attempts": 3}
)
# Assumed credentials are renewed this long before they expire.
RENEW_BEFORE = datetime.timedelta(minutes=5)
AWS_ERRORS = (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError, AnsibleAWSError)


class SiteUnavailable(Exception):
    """The creator's site cannot be served now; the message names the creator and what to do."""


def describe_aws_error(error):
    """One line for an AWS failure: the wrapped botocore error when there is one."""
    cause = getattr(error, "exception", None) or error
    return f"{error}: {cause}" if cause is not error else str(error)


class CreatorAccess:
    """Clients in one creator's account by assuming the creator role from the management account."""

    def __init__(self, creator, endpoint_url, role_name=creator_session.DEFAULT_ROLE_NAME):
        self.creator = creator
        self.endpoint_url = endpoint_url
        self.role_name = role_name
        # Requests are served in threads; boto3 sessions are not thread-safe, so clients are made
        # from this session only under the lock.
        self._session = boto3.session.Session()
        self._lock = threading.Lock()
        self._account_id = None
        self._credentials = None
        self._clients = {}

    def management_client(self, service):
        """A client of the organization's management account (only Organizations and STS are used)."""
        return self._session.client(
            service,
            region_name=GLOBAL_REGION,
            endpoint_url=self.endpoint_url,
            config=CLIENT_CONFIG,
            **MANAGEMENT_CREDENTIALS,
        )

    @property
    def account_id(self):
        """The creator's member account id, looked up once: an account never changes its id."""
        with self._lock:
            if self._account_id is None:
                self._account_id = self._find_account_id()
            return self._account_id

    def forget_account(self):
        """Find the account again on the next call (after the emulator was restarted, for one)."""
        with self._lock:
            self._account_id = None
            self._credentials = None
            self._clients.clear()

    def client(self, service, region=GLOBAL_REGION):
        """A client inside the creator's account, with credentials renewed before they expire."""
        account_id = self.account_id
        with self._lock:
            if self._credentials is None or self._expires_soon(self._credentials):
                self._credentials = self._assume_role(account_id)
                self._clients.clear()
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self._session.client(
                    service,
                    region_name=region,
                    endpoint_url=self.endpoint_url,
                    config=CLIENT_CONFIG,
                    aws_access_key_id=self._credentials["AccessKeyId"],
                    aws_secret_access_key=self._credentials["SecretAccessKey"],
                    aws_session_token=self._credentials["SessionToken"],
                )
            return self._clients[key]

    def _find_account_id(self):
        orgs = self.management_client("organizations")
        try:
            for account in organizations.list_accounts(orgs):
                if account["Status"] != "ACTIVE":
                    continue
                if organizations.list_tags(orgs, account["Id"]).get(naming.CREATOR_TAG) == self.creator:
                    return account["Id"]
        except AWS_ERRORS as e:
            raise SiteUnavailable(
                f"Cannot look up the account of creator {self.creator} in AWS Organizations at "
                f"{self.endpoint_url} ({describe_aws_error(e)}). Start the emulator (make aws-up) and "
                "bootstrap the organization (playbooks/bootstrap_organization.yml)."
            ) from e
        raise SiteUnavailable(
            f"No ACTIVE member account is tagged {naming.CREATOR_TAG}={self.creator}: onboard the creator first "
            f"(ansible-playbook playbooks/onboard.yml -l {self.creator})."
        )

    def _assume_role(self, account_id):
        role_arn = creator_session.creator_role_arn(account_id, self.role_name)
        try:
            return self.management_client("sts").assume_role(
                RoleArn=role_arn, RoleSessionName=creator_session.role_session_name(self.creator)
            )["Credentials"]
        except AWS_ERRORS as e:
            raise SiteUnavailable(
                f"Cannot act in the account of creator {self.creator}: failed to assume {role_arn} "
                f"({describe_aws_error(e)})."
            ) from e

    @staticmethod
    def _expires_soon(credentials):
        expiration = credentials.get("Expiration")
        if expiration is None:
            return False
        return expiration - datetime.datetime.now(datetime.UTC) < RENEW_BEFORE
