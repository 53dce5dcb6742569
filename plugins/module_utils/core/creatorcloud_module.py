# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleAWSModule for CreatorCloud modules: our collection and the module in the user agent, one retry mode."""

try:
    import botocore.config

    HAS_BOTOCORE = True
except ImportError:
    HAS_BOTOCORE = False  # AnsibleAWSModule tells the user that boto3 and botocore are missing

import os

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.botocore_loader import share_data_loader
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.botocore_loader import shared_session
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import RETRY_CONFIG

CREATORCLOUD_COLLECTION_NAME = "creatorcloud.platform"
CREATORCLOUD_COLLECTION_VERSION = "0.1.0"
# amazon.aws's user agent (botocore.py's _get_user_agent_string), which a Config of our own replaces.
USER_AGENT = f"APN/1.0 Ansible/{ANSIBLE_VERSION} {CREATORCLOUD_COLLECTION_NAME}/{CREATORCLOUD_COLLECTION_VERSION}"


PLACEBO_VARIABLES = ("_ANSIBLE_PLACEBO_RECORD", "_ANSIBLE_PLACEBO_REPLAY")


def keys_only(connect):
    """The connection names its credentials as keys: no profile, and no placebo session to record or replay."""
    return (
        connect.get("aws_access_key_id")
        and connect.get("aws_secret_access_key")
        and not connect.get("profile_name")
        and not any(name in os.environ for name in PLACEBO_VARIABLES)
    )


class CreatorCloudModule(AnsibleAWSModule):
    """AnsibleAWSModule with the collection's name and version in the user agent."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)  # fails the module when boto3 or botocore is missing
        share_data_loader()
        set_collection_info(
            collection_name=CREATORCLOUD_COLLECTION_NAME,
            collection_version=CREATORCLOUD_COLLECTION_VERSION,
        )

    def client(self, service, retry_decorator=None, region=None, **extra_params):
        """A client with the management credentials, the collection's retry mode and user agent.

        With access keys given (as options or, through their fallbacks, as AWS_ACCESS_KEY_ID and
        AWS_SECRET_ACCESS_KEY) the client comes from the process's one boto3 session, like a creator
        session's: amazon.aws makes a new boto3 session per client, about 10 ms of handler registration,
        for each module run's STS client. With a profile, the default credential chain, or placebo
        recording (amazon.aws's test hook), amazon.aws makes it as always.
        """
        _region, _endpoint_url, connect = get_aws_connection_info(self)
        if retry_decorator is None and not extra_params and keys_only(connect):
            return self.client_with_keys(
                service,
                region,
                connect["aws_access_key_id"],
                connect["aws_secret_access_key"],
                connect.get("aws_session_token"),
            )
        extra_params["config"] = self.client_config(extra_params.get("config"))
        if region:
            extra_params["region"] = region
        return super().client(service, retry_decorator=retry_decorator, **extra_params)

    def client_with_keys(self, service, region, access_key, secret_key, session_token=None):
        """A client with these credentials from the process's one boto3 session (botocore_loader.shared_session).

        It has the module's connection options (endpoint, certificate checks, ``aws_config``), the collection's
        retry mode and user agent; `region` defaults to the module's.
        """
        module_region, endpoint_url, connect = get_aws_connection_info(self)
        return shared_session().client(
            service,
            region_name=region or module_region,
            endpoint_url=endpoint_url,
            verify=connect.get("verify"),
            config=self.client_config(connect.get("aws_config")),
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=session_token,
        )

    def client_config(self, extra=None):
        """botocore's Config for every client of this module, `extra` (the task's ``aws_config``) merged last.

        The user agent names the module, so CloudTrail (and the emulator's call log) can tell which
        slice made a call.
        """
        config = botocore.config.Config(
            user_agent=USER_AGENT,
            user_agent_extra=f"creatorcloud-module/{self.module_name}",
            **RETRY_CONFIG,
        )
        if extra:
            config = config.merge(
                extra if isinstance(extra, botocore.config.Config) else botocore.config.Config(**extra)
            )
        return config

    @property
    def module_name(self):
        """The module's short name (monitoring, not creatorcloud.platform.monitoring)."""
        return (self._name or "unknown").rsplit(".", 1)[-1]

    def fail_converge(self, subject, message, changes, exception=None):
        """Fail naming the subject (the creator), what went wrong and what the run had already changed."""
        text = f"{subject}: {message}"
        if changes:
            text += f" (already changed: {'; '.join(changes)})"
        if exception is not None:
            self.fail_json_aws(exception, msg=text, changes=changes)
        self.fail_json(msg=text, changes=changes)

    def fail_on_errors(self, subject, errors):
        """Fail before any AWS call when the input has `errors`, each naming a field and its value."""
        if errors:
            self.fail_json(msg=f"{subject}: " + "; ".join(errors), errors=errors)

    def run_converge(self, subject, run):
        """`run()` a slice's work and return its result; a failed call fails the module naming what had changed.

        A step that failed raises ConvergeError (with the `changes` already made); a service's error or a
        creator session that cannot be made is an AnsibleAWSError.
        """
        try:
            return run()
        except (ConvergeError, AnsibleAWSError) as e:
            return self.fail_converge(subject, e.message, getattr(e, "changes", []), e.exception)

    def exit_converged(self, changes, changed, before, after, **results):
        """Exit with the slice's `results`, the writes it made (or planned, in check mode) and the diff of its state."""
        self.exit_json(changed=changed, changes=changes.made, diff=dict(before=before, after=after), **results)
