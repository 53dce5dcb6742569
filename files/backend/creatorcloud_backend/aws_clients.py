# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""boto3 clients and tables, made on first use and kept for the life of the execution environment.

boto3 is imported on first use, not at import, so a cold start pays for it only when a route
touches AWS (GET /health does not).
"""

import functools

from creatorcloud_backend.settings import current_settings


@functools.cache
def _session(region):
    """One boto3 session per region: sessions are not thread-safe to create, clients are cheap from one."""
    import boto3  # pylint: disable=import-outside-toplevel

    return boto3.session.Session(region_name=region)


@functools.cache
def _client(service, region):
    """A cached client of the service in the region."""
    return _session(region).client(service)


@functools.cache
def table(name, region):
    """A cached DynamoDB Table resource."""
    return _session(region).resource("dynamodb").Table(name)


def cognito():
    """The Cognito user pools client of the function's region."""
    return _client("cognito-idp", current_settings().region)


def dynamodb():
    """The low-level DynamoDB client (transactions)."""
    return _client("dynamodb", current_settings().region)


def users_table():
    """The Users table (partition key userId)."""
    settings = current_settings()
    return table(settings.users_table, settings.region)


def ivschat():
    """The IVS Chat client of the function's region (the room is in the function's account and region)."""
    return _client("ivschat", current_settings().region)


def messages_table():
    """The Messages table (partition key streamId, sort key timestamp; GSI userId-index)."""
    settings = current_settings()
    return table(settings.messages_table, settings.region)


def forget_clients():
    """Drop the cached clients (the sessions, with their loaded service models, stay): tests call it between cases."""
    _client.cache_clear()
    table.cache_clear()
