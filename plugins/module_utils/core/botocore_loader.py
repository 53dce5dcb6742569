# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One botocore data loader per process, shared by every boto3 session that the process makes.

amazon.aws makes a new boto3 session for every client, and every new session parses botocore's JSON
data again: the endpoints, the partitions and each service's model, about 0.14 CPU-s a client. That
parsing was most of a no-op slice's cost. The loader caches what it parsed, so one loader for all
sessions parses each file once per process; loaded in the controller (:func:`load_slice_services`),
before the workers fork, it is parsed once per ansible-playbook run. What is loaded does not change:
the loader is keyed by ``AWS_DATA_PATH``, as botocore's own is.
"""

try:
    import boto3
    import botocore.session
    from botocore.loaders import create_loader

    HAS_BOTO3 = True
except ImportError:
    HAS_BOTO3 = False  # AnsibleAWSModule tells the user that boto3 and botocore are missing

# Every AWS service that a slice makes a client for (a unit test keeps this list complete).
SLICE_SERVICES = (
    "acm",
    "apigatewayv2",
    "backup",
    "cloudfront",
    "cloudwatch",
    "cognito-idp",
    "dynamodb",
    "iam",
    "ivs",
    "ivschat",
    "kms",
    "lambda",
    "logs",
    "organizations",
    "resourcegroupstaggingapi",
    "route53",
    "s3",
    "secretsmanager",
    "sns",
    "ssm",
    "sts",
)


class _SearchPaths(list):
    """boto3 appends its own data path to the loader of every session it makes: once is enough."""

    def append(self, path):
        if path not in self:
            super().append(path)


_LOADERS = {}


def shared_loader(search_path_string=None):
    """botocore's ``create_loader``, made once per ``AWS_DATA_PATH``."""
    loader = _LOADERS.get(search_path_string)
    if loader is None:
        loader = create_loader(search_path_string)
        loader._search_paths = _SearchPaths(loader.search_paths)  # pylint: disable=protected-access
        _LOADERS[search_path_string] = loader
    return loader


def share_data_loader():
    """Make every botocore session of this process use the shared loader."""
    if HAS_BOTO3:
        botocore.session.create_loader = shared_loader


_SESSIONS = []


def shared_session():
    """One boto3 session per process, for clients made with credentials of their own (CreatorSession's).

    A boto3 session costs about 60 ms of handler registration before its first client, and each module
    run made one; this one is made in the controller (load_slice_services) and every worker inherits it.
    Its own credentials are placeholders that no client uses.
    """
    if not _SESSIONS:
        share_data_loader()
        _SESSIONS.append(
            boto3.session.Session(aws_access_key_id="unused", aws_secret_access_key="unused", region_name="us-east-1")
        )
    return _SESSIONS[0]


def load_slice_services():
    """Parse the data of every service in SLICE_SERVICES into the shared loader, without any AWS call."""
    if not HAS_BOTO3:
        return
    session = shared_session()
    for service in SLICE_SERVICES:
        session.client(service)
