# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the additions: wiring into moto, errors, validation, tags and pagination."""

import importlib
import re

from moto import backend_index
from moto import backends
from moto.core.exceptions import InvalidToken
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.core.responses import EmptyResult
from moto.utilities.paginator import Paginator

# Services that moto does not have, by name: their BackendDicts (see register_service).
_NEW_SERVICES = {}


class MotoUrls:
    """Mixin for backend classes defined outside moto: `urls_module` names the module with their urls.

    moto finds a backend's `url_bases` and `url_paths` next to the module that defines its class.
    """

    urls_module = ""

    @property
    def _url_module(self):
        return importlib.import_module(self.urls_module)


def use_backend(backend_dict, backend_cls):
    """Make moto build `backend_cls` (a subclass of its own backend) for every account and region."""
    backend_dict.backend = backend_cls
    backend_dict.clear()  # nothing is stored before the server starts; drop backends of the old class


def route(url_paths_dicts, base_cls, response_cls, extra_paths=()):
    """Send the requests that moto dispatches to `base_cls` to its subclass `response_cls`, plus new paths."""
    for url_paths in url_paths_dicts:
        for path, handler in url_paths.items():
            if getattr(handler, "__self__", None) is base_cls and handler.__name__ == "dispatch":
                url_paths[path] = response_cls.dispatch
        url_paths.update(dict.fromkeys(extra_paths, response_cls.dispatch))


def register_service(name, backend_dict, url_base):
    """Serve a service that moto lacks: its hosts map to `name`, and `name` to `backend_dict`."""
    if not _NEW_SERVICES:
        backends.get_backend = _get_backend
    _NEW_SERVICES[name] = backend_dict
    patterns = backend_index.backend_url_patterns
    patterns[:] = [(service, pattern) for service, pattern in patterns if service != name]
    patterns.insert(0, (name, re.compile(url_base)))


def _get_backend(name, _moto_get_backend=backends.get_backend):
    """moto's get_backend, which also knows the services added by register_service."""
    if name in _NEW_SERVICES:
        return _NEW_SERVICES[name]
    return _moto_get_backend(name)


class AwsError(ServiceException):
    """An error serialized from the service model: status code and members come from its shape."""

    @property
    def exception_message(self):
        """The message, for services (IVS) whose error shapes call it exceptionMessage."""
        return self.message


class ValidationException(AwsError):
    code = "ValidationException"

    def __init__(self, message, field=None):
        super().__init__(message)
        self.reason = "FIELD_VALIDATION_FAILED" if field else "OTHER"
        self.field_list = [{"name": field, "message": message}] if field else []


class ResourceNotFoundException(AwsError):
    code = "ResourceNotFoundException"

    def __init__(self, message, resource_id=None, resource_type=None):
        super().__init__(message)
        self.resource_id = resource_id
        self.resource_type = resource_type


class ConflictException(AwsError):
    code = "ConflictException"


class ServiceQuotaExceededException(AwsError):
    code = "ServiceQuotaExceededException"


def _invalid(field, value, constraint):
    return ValidationException(
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}", field
    )


def check_pattern(field, value, pattern):
    """Raise ValidationException unless `value` (when given) matches `pattern` entirely."""
    if value is not None and not re.fullmatch(pattern, value):
        raise _invalid(field, value, f"Member must satisfy regular expression pattern: {pattern}")


def check_range(field, value, low, high):
    """Raise ValidationException unless `value` (when given) is within low..high."""
    if value is not None and not low <= value <= high:
        raise _invalid(field, value, f"Member must have value between {low} and {high}, inclusive")


def check_enum(field, values, allowed):
    """Raise ValidationException unless every one of `values` is in `allowed`."""
    for value in values or ():
        if value not in allowed:
            raise _invalid(field, value, f"Member must satisfy enum value set: [{', '.join(allowed)}]")


def paginate(items, max_results, next_token, default_max, unique_attribute="arn", error_cls=None, **filters):
    """One page of `items` and the token of the next one; a token only fits the same filters.

    A token that does not fit raises `error_cls` (default ValidationException).
    """
    try:
        paginator = Paginator(
            max_results=max_results,
            max_results_default=default_max,
            starting_token=next_token,
            unique_attribute=unique_attribute,
            param_values_to_check=filters,
        )
        return paginator.paginate(list(items))
    except InvalidToken:
        raise (error_cls or ValidationException)("The pagination token is invalid or expired") from None


class TaggedResources:
    """Tag operations for backends whose resources are dicts with their own `tags`.

    The backend implements `_find_tagged(arn)`, which returns the resource or raises.
    """

    def _find_tagged(self, arn):
        raise NotImplementedError

    def tag_resource(self, resource_arn, tags):
        self._find_tagged(resource_arn)["tags"].update(tags or {})

    def untag_resource(self, resource_arn, tag_keys):
        tags = self._find_tagged(resource_arn)["tags"]
        for key in tag_keys or ():
            tags.pop(key, None)

    def list_tags_for_resource(self, resource_arn):
        return dict(self._find_tagged(resource_arn)["tags"])


class TagResponses:
    """TagResource, UntagResource and ListTagsForResource answered from `_tags_backend` (a TaggedResources)."""

    @property
    def _tags_backend(self):
        raise NotImplementedError

    def tag_resource(self):
        self._tags_backend.tag_resource(self._get_param("resourceArn"), self._get_param("tags"))
        return EmptyResult()

    def untag_resource(self):
        self._tags_backend.untag_resource(self._get_param("resourceArn"), self._get_param("tagKeys"))
        return EmptyResult()

    def list_tags_for_resource(self):
        return ActionResult({"tags": self._tags_backend.list_tags_for_resource(self._get_param("resourceArn"))})
