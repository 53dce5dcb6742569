# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Boto3 clients inside a creator's member account, by assuming the creator role there.

Management credentials never touch a creator's resources: every client a slice module
uses comes from :class:`CreatorSession`, which assumes
``arn:<partition>:iam::<account_id>:role/<role_name>`` with a session name that names the
creator, and builds regional and us-east-1 clients with the module's own connection options
(endpoint, certificate checks, ``aws_config``) and the collection's retry mode.

It is the one way a slice holds its clients: each (service, region) is made once per session, with
the role's credentials, from the process's one boto3 session (CreatorCloudModule.client_with_keys).
amazon.aws's ``module.client()`` makes a new boto3 session for each client, and a session costs
about 60 ms of handler registration before its first call; a creator's run makes about 40 clients.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"
GLOBAL_REGION = "us-east-1"


def creator_session_argument_spec():
    """Options every module that acts inside a creator's account takes."""
    return dict(
        account_id=dict(type="str", required=True),
        creator=dict(type="str", required=True),
        role_name=dict(type="str", default=DEFAULT_ROLE_NAME),
        external_id=dict(type="str", no_log=True),
    )


def creator_role_arn(account_id, role_name, partition="aws"):
    """The ARN of the role that CreatorCloud assumes in a creator's account."""
    return f"arn:{partition}:iam::{account_id}:role/{role_name}"


def role_session_name(creator):
    """A session name that shows up in CloudTrail as the creator it acted for (2-64 chars)."""
    return f"creatorcloud-{creator}"[:64]


class AnsibleCreatorSessionError(AnsibleAWSError):
    pass


class CreatorSessionErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCreatorSessionError


@CreatorSessionErrorHandler.common_error_handler("assume the creator role")
# A new account's role can take a few seconds to become assumable: retry AccessDenied briefly.
@ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["AccessDenied"], retries=3, delay=2)
def _assume_role(sts, **kwargs):
    return sts.assume_role(**kwargs)["Credentials"]


class CreatorSession:
    """Clients inside one creator's account, from the module's management connection."""

    def __init__(self, module, account_id, creator, role_name=DEFAULT_ROLE_NAME, external_id=None):
        self._module = module
        self.account_id = account_id
        self.creator = creator
        self.role_arn = creator_role_arn(account_id, role_name)
        self._credentials = None
        self._external_id = external_id
        self._clients = {}

    @classmethod
    def from_params(cls, module):
        """A session for the account and creator named by the module's parameters."""
        params = module.params
        return cls(module, params["account_id"], params["creator"], params["role_name"], params["external_id"])

    def credentials(self):
        """Temporary credentials of the creator role, assumed once per module run."""
        if self._credentials is None:
            request = dict(RoleArn=self.role_arn, RoleSessionName=role_session_name(self.creator))
            if self._external_id:
                request["ExternalId"] = self._external_id
            sts = self._module.client("sts")
            try:
                self._credentials = _assume_role(sts, **request)
            except AnsibleCreatorSessionError as e:
                raise AnsibleCreatorSessionError(
                    message=f"Cannot act in the account of creator {self.creator}: failed to assume {self.role_arn}. "
                    "Check that the account exists, that the role is there and trusts the management account, "
                    "and that the external id matches.",
                    exception=e.exception,
                ) from e
        return self._credentials

    def client(self, service, region=None):
        """The client of `service` in the creator's account; region defaults to the module's region."""
        region = region or get_aws_connection_info(self._module)[0]
        key = (service, region)
        if key not in self._clients:
            credentials = self.credentials()
            self._clients[key] = self._module.client_with_keys(
                service,
                region,
                credentials["AccessKeyId"],
                credentials["SecretAccessKey"],
                credentials["SessionToken"],
            )
        return self._clients[key]

    def global_client(self, service):
        """A client in us-east-1, where ACM certificates for CloudFront and its metrics live."""
        return self.client(service, region=GLOBAL_REGION)
