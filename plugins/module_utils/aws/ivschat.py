# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped IVS Chat calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

# The ivschat client has no paginators: list calls follow nextToken by hand.
_PAGE_SIZE = 50


class AnsibleIvsChatError(AnsibleAWSError):
    pass


class IvsChatErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleIvsChatError


def _page(call, **request):
    return call(**request)


def _all_pages(call, key, **request):
    """Every item of a list call whose answer carries `key` and a nextToken."""
    items, token = [], None
    while True:
        answer = _page(call, maxResults=_PAGE_SIZE, **request, **({"nextToken": token} if token else {}))
        items.extend(answer.get(key, []))
        token = answer.get("nextToken")
        if not token:
            return items


@IvsChatErrorHandler.common_error_handler("list the chat rooms")
def list_rooms(client, name):
    """The summaries of the rooms named `name` (names need not be unique)."""
    return _all_pages(client.list_rooms, "rooms", name=name)


@IvsChatErrorHandler.common_error_handler("read the chat room")
def get_room(client, arn):
    return client.get_room(identifier=arn)


@IvsChatErrorHandler.common_error_handler("create the chat room")
def create_room(client, request):
    return client.create_room(**request)


@IvsChatErrorHandler.common_error_handler("update the chat room")
def update_room(client, request):
    return client.update_room(**request)


@IvsChatErrorHandler.common_error_handler("list the chat logging configurations")
def list_logging_configurations(client):
    """The summaries of every logging configuration of the account in the region."""
    return _all_pages(client.list_logging_configurations, "loggingConfigurations")


@IvsChatErrorHandler.common_error_handler("create the chat logging configuration")
def create_logging_configuration(client, request):
    return client.create_logging_configuration(**request)


@IvsChatErrorHandler.common_error_handler("update the chat logging configuration")
def update_logging_configuration(client, request):
    return client.update_logging_configuration(**request)


@IvsChatErrorHandler.common_error_handler("tag the chat resource")
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=tags)


@IvsChatErrorHandler.common_error_handler("untag the chat resource")
def untag_resource(client, arn, tag_keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(tag_keys))
