# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A creator's Lambda functions, run in-process from the repository's files/backend as Lambda would run them.

The function's configuration comes from the emulated Lambda (GetFunctionConfiguration, read
again after `config_ttl` seconds): its Handler is imported from files/backend and called with
the event and a context like Lambda's, under the function's Environment plus what Lambda adds
(AWS_REGION, the function's name and memory) and, so that the backend's boto3 reaches the
emulator without any change, AWS_ENDPOINT_URL and the credentials of the function's execution
role, assumed from the creator's account as Lambda assumes it. What the local stack changes of a
function's own environment (payments.py: a payment function's Stripe base and site URL) is a
function `environment` of the deployed variables; the deployed configuration is never written.
"""

import datetime
import importlib
import json
import logging
import os
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from creatorcloud_gateway.collection import creator_session
from creatorcloud_gateway.creator_access import AWS_ERRORS
from creatorcloud_gateway.creator_access import RENEW_BEFORE
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_access import describe_aws_error

BACKEND_DIR = Path(__file__).resolve().parents[2] / "files" / "backend"
# The environment variables of an STS credentials' fields.
CREDENTIAL_VARIABLES = {
    "AWS_ACCESS_KEY_ID": "AccessKeyId",
    "AWS_SECRET_ACCESS_KEY": "SecretAccessKey",
    "AWS_SESSION_TOKEN": "SessionToken",
}

log = logging.getLogger("creatorcloud_gateway")


class FunctionError(Exception):
    """The function could not be run, raised, or returned something Lambda cannot serialize."""


@dataclass(frozen=True)
class FunctionConfig:
    """What running a function needs from its configuration."""

    function_name: str
    function_arn: str
    handler: str
    environment: dict
    memory_size: int
    timeout: int
    role: str

    @property
    def region(self):
        """The function's region, from its ARN."""
        return self.function_arn.split(":")[3]

    @classmethod
    def from_configuration(cls, configuration):
        """The FunctionConfig of a GetFunctionConfiguration answer."""
        return cls(
            function_name=configuration["FunctionName"],
            function_arn=configuration["FunctionArn"],
            handler=configuration["Handler"],
            environment=dict((configuration.get("Environment") or {}).get("Variables") or {}),
            memory_size=int(configuration.get("MemorySize") or 128),
            timeout=int(configuration.get("Timeout") or 3),
            role=configuration.get("Role", ""),
        )


class LambdaContext:
    """The context object Lambda's Python runtime passes to a handler."""

    def __init__(self, config, clock=time.monotonic):
        self.function_name = config.function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = config.function_arn
        # The runtime takes it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE, so a string.
        self.memory_limit_in_mb = str(config.memory_size)
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{config.function_name}"
        self.log_stream_name = f"{datetime.date.today():%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self._clock = clock
        self._deadline = clock() + config.timeout

    def get_remaining_time_in_millis(self):
        """Milliseconds left before the function's Timeout (not enforced: the call runs in-process)."""
        return max(0, int((self._deadline - self._clock()) * 1000))


@contextmanager
def applied_environment(variables):
    """os.environ with `variables` set (and nothing else of the function's), restored afterwards."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class BackendProcess:
    """The backend package imported into this process, its handlers called one at a time.

    One per process, whatever the number of gateways in it: os.environ and the backend's cached
    boto3 clients are process-wide, so calls are serialized and the clients are dropped whenever
    the credentials or the endpoint they were made with change.
    """

    def __init__(self, backend_dir):
        self.backend_dir = str(backend_dir)
        self._lock = threading.Lock()
        self._clients_identity = None

    def call(self, config, variables, event, context):
        """The handler's result for `event`, run under `variables`; FunctionError when it raises."""
        with self._lock:
            if self.backend_dir not in sys.path:
                sys.path.insert(0, self.backend_dir)
            with applied_environment(variables):
                self._forget_clients_made_for_others(variables)
                handler = self._handler(config)
                try:
                    return handler(event, context)
                except Exception as e:  # a function's error is the caller's 500, never the gateway's crash
                    log.exception("function %s raised", config.function_name)
                    raise FunctionError(f"{config.function_name} raised {type(e).__name__}") from e

    def _handler(self, config):
        module_name, _dot, attribute = config.handler.rpartition(".")
        try:
            return getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as e:
            log.exception("cannot import the handler of %s", config.function_name)
            raise FunctionError(f"Cannot import {config.handler} of {config.function_name}: {e}") from e

    def _forget_clients_made_for_others(self, variables):
        identity = (variables.get("AWS_ACCESS_KEY_ID"), variables.get("AWS_ENDPOINT_URL"))
        if identity == self._clients_identity:
            return
        aws_clients = importlib.import_module("creatorcloud_backend.aws_clients")
        aws_clients.forget_clients()
        # The sessions hold the credentials they resolved first; the next call makes new ones.
        aws_clients._session.cache_clear()  # pylint: disable=protected-access
        self._clients_identity = identity


BACKEND = BackendProcess(BACKEND_DIR)


class LambdaFunctions:
    """The creator's functions: their configuration (per ARN, re-read after `config_ttl`) and their runs."""

    def __init__(self, access, config_ttl, backend=BACKEND, clock=time.monotonic, environment=None):
        self.access = access
        self.config_ttl = config_ttl
        self.backend = backend
        # The function's Environment as it runs locally (default: as deployed).
        self.local_environment = environment or (lambda variables: variables)
        self._clock = clock
        self._lock = threading.Lock()
        self._configs = {}
        self._credentials = {}

    def configuration(self, function_arn):
        """The function's configuration, read at most once per `config_ttl` seconds."""
        with self._lock:
            cached = self._configs.get(function_arn)
            if cached is None or self._clock() - cached[1] >= self.config_ttl:
                cached = (self._read_configuration(function_arn), self._clock())
                self._configs[function_arn] = cached
            return cached[0]

    def invoke(self, function_arn, event):
        """Run the function with `event` as Lambda would; its result, round-tripped through JSON like Lambda's."""
        config = self.configuration(function_arn)
        variables = {
            **self.local_environment(config.environment),
            "AWS_REGION": config.region,
            "AWS_DEFAULT_REGION": config.region,
            "AWS_LAMBDA_FUNCTION_NAME": config.function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{config.function_name}",
            "_HANDLER": config.handler,
            "AWS_ENDPOINT_URL": self.access.endpoint_url,
            **self._role_credentials(config),
        }
        result = self.backend.call(config, variables, json.loads(json.dumps(event)), LambdaContext(config))
        try:
            return json.loads(json.dumps(result))
        except (TypeError, ValueError) as e:
            raise FunctionError(f"{config.function_name} returned a result that is not JSON: {e}") from e

    def _read_configuration(self, function_arn):
        try:
            client = self.access.client("lambda", function_arn.split(":")[3])
            return FunctionConfig.from_configuration(client.get_function_configuration(FunctionName=function_arn))
        except AWS_ERRORS as e:
            raise FunctionError(
                f"Cannot read function {function_arn} of creator {self.access.creator} ({describe_aws_error(e)}): "
                f"run ansible-playbook playbooks/onboard.yml -l {self.access.creator}."
            ) from e

    def _role_credentials(self, config):
        """The execution role's credentials as environment variables, renewed before they expire."""
        with self._lock:
            credentials = self._credentials.get(config.role)
            expiration = (credentials or {}).get("Expiration")
            if credentials is None or (expiration and expiration - datetime.datetime.now(datetime.UTC) < RENEW_BEFORE):
                credentials = self._assume(config)
                self._credentials[config.role] = credentials
        return {variable: credentials[field] for variable, field in CREDENTIAL_VARIABLES.items()}

    def _assume(self, config):
        try:
            return self.access.client("sts").assume_role(
                RoleArn=config.role, RoleSessionName=creator_session.role_session_name(self.access.creator)
            )["Credentials"]
        except AWS_ERRORS as e:
            raise SiteUnavailable(
                f"Cannot run function {config.function_name} of creator {self.access.creator}: failed to assume its "
                f"execution role {config.role} ({describe_aws_error(e)})."
            ) from e
