# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IVS: stream keys, recording configurations and tags, on top of moto's channels."""

from copy import deepcopy

from moto.core.responses import ActionResult
from moto.core.responses import EmptyResult
from moto.ivs import models
from moto.ivs import responses
from moto.ivs import urls
from moto.ivs.exceptions import ResourceNotFoundException
from moto.moto_api._internal import mock_random

from .common import ConflictException
from .common import MotoUrls
from .common import ServiceQuotaExceededException
from .common import TaggedResources
from .common import TagResponses
from .common import ValidationException
from .common import check_pattern
from .common import check_range
from .common import paginate
from .common import route
from .common import use_backend

NAME_PATTERN = r"[a-zA-Z0-9-_]{0,128}"
BUCKET_PATTERN = r"[a-z0-9-.]{3,63}"
THUMBNAIL_DEFAULTS = {"recordingMode": "INTERVAL", "targetIntervalSeconds": 60, "storage": ["SEQUENTIAL"]}
RENDITION_DEFAULTS = {"renditionSelection": "ALL"}
NEW_OPERATIONS = (
    "CreateStreamKey",
    "GetStreamKey",
    "ListStreamKeys",
    "DeleteStreamKey",
    "BatchGetStreamKey",
    "CreateRecordingConfiguration",
    "GetRecordingConfiguration",
    "ListRecordingConfigurations",
    "DeleteRecordingConfiguration",
)


class IVSBackend(MotoUrls, TaggedResources, models.IVSBackend):
    """moto's IVS backend with stream keys, recording configurations and tags."""

    urls_module = urls.__name__

    def __init__(self, region_name, account_id):
        super().__init__(region_name, account_id)
        self.stream_keys = {}
        self.recording_configurations = {}

    def _new_arn(self, resource_type):
        resource_id = mock_random.get_random_string(12)
        return f"arn:{self.partition}:ivs:{self.region_name}:{self.account_id}:{resource_type}/{resource_id}"

    def create_channel(self, **kwargs):
        """moto's channel, with its stream key stored; AWS rejects an unknown recording configuration."""
        self._check_recording_configuration(kwargs.get("recording_configuration_arn"))
        channel = super().create_channel(**kwargs)[0]
        channel["tags"] = dict(channel["tags"] or {})
        return channel, self.create_stream_key(channel["arn"], channel["tags"])

    def update_channel(self, **kwargs):
        self._check_recording_configuration(kwargs.get("recording_configuration_arn"))
        return super().update_channel(**kwargs)

    def delete_channel(self, arn):
        super().delete_channel(arn)
        self.stream_keys = {key_arn: key for key_arn, key in self.stream_keys.items() if key["channelArn"] != arn}

    def _check_recording_configuration(self, arn):
        if arn:
            self.get_recording_configuration(arn)

    def create_stream_key(self, channel_arn, tags):
        self._find_channel(channel_arn)
        if any(key["channelArn"] == channel_arn for key in self.stream_keys.values()):
            raise ServiceQuotaExceededException("A channel can have only 1 stream key")
        secret = f"{mock_random.get_random_string(12)}_{mock_random.get_random_string(12)}"
        key = {
            "arn": self._new_arn("stream-key"),
            "channelArn": channel_arn,
            "tags": dict(tags or {}),
            "value": f"sk_{self.region_name}_{secret}",
        }
        self.stream_keys[key["arn"]] = key
        return key

    def get_stream_key(self, arn):
        if arn not in self.stream_keys:
            raise ResourceNotFoundException(f"Resource: {arn} not found")
        return self.stream_keys[arn]

    def list_stream_keys(self, channel_arn, max_results=None, next_token=None):
        self._find_channel(channel_arn)
        check_range("maxResults", max_results, 1, 50)
        keys = [key for key in self.stream_keys.values() if key["channelArn"] == channel_arn]
        return paginate(keys, max_results, next_token, 50, channel_arn=channel_arn)

    def batch_get_stream_key(self, arns):
        found = [self.stream_keys[arn] for arn in arns if arn in self.stream_keys]
        errors = [
            {"arn": arn, "code": "ResourceNotFoundException", "message": f"Resource: {arn} not found"}
            for arn in arns
            if arn not in self.stream_keys
        ]
        return found, errors

    def delete_stream_key(self, arn):
        self.get_stream_key(arn)
        del self.stream_keys[arn]

    def create_recording_configuration(self, request):
        """A recording configuration from CreateRecordingConfiguration's members, with AWS's defaults."""
        _validate_recording_configuration(request)
        configuration = {
            "arn": self._new_arn("recording-configuration"),
            "name": request.get("name", ""),
            "destinationConfiguration": request["destinationConfiguration"],
            "state": "ACTIVE",
            "tags": dict(request.get("tags") or {}),
            "thumbnailConfiguration": {**deepcopy(THUMBNAIL_DEFAULTS), **request.get("thumbnailConfiguration", {})},
            "recordingReconnectWindowSeconds": request.get("recordingReconnectWindowSeconds", 0),
            "renditionConfiguration": {**RENDITION_DEFAULTS, **request.get("renditionConfiguration", {})},
        }
        self.recording_configurations[configuration["arn"]] = configuration
        return configuration

    def get_recording_configuration(self, arn):
        if arn not in self.recording_configurations:
            raise ResourceNotFoundException(f"Resource: {arn} not found")
        return self.recording_configurations[arn]

    def list_recording_configurations(self, max_results=None, next_token=None):
        check_range("maxResults", max_results, 1, 100)
        return paginate(self.recording_configurations.values(), max_results, next_token, 100)

    def delete_recording_configuration(self, arn):
        self.get_recording_configuration(arn)
        if any(channel["recordingConfigurationArn"] == arn for channel in self.channels):
            raise ConflictException(f"Recording configuration {arn} is used by a channel")
        del self.recording_configurations[arn]

    def _find_tagged(self, arn):
        resources = [*self.channels, *self.stream_keys.values(), *self.recording_configurations.values()]
        for resource in resources:
            if resource["arn"] == arn:
                return resource
        raise ResourceNotFoundException(f"Resource: {arn} not found")


def _validate_recording_configuration(request):
    check_pattern("name", request.get("name"), NAME_PATTERN)
    s3 = request.get("destinationConfiguration", {}).get("s3")
    if not s3:
        raise ValidationException("destinationConfiguration must have an s3 destination", "destinationConfiguration")
    check_pattern("destinationConfiguration.s3.bucketName", s3.get("bucketName"), BUCKET_PATTERN)
    check_range("recordingReconnectWindowSeconds", request.get("recordingReconnectWindowSeconds"), 0, 300)
    interval = request.get("thumbnailConfiguration", {}).get("targetIntervalSeconds")
    check_range("thumbnailConfiguration.targetIntervalSeconds", interval, 1, 60)


class IVSResponse(TagResponses, responses.IVSResponse):
    """moto's IVS responses plus the operations above; parameters are parsed from the service model."""

    def __init__(self):
        super().__init__()
        self.automated_parameter_parsing = True

    @property
    def _tags_backend(self):
        return self.ivs_backend

    def create_stream_key(self):
        key = self.ivs_backend.create_stream_key(self._get_param("channelArn"), self._get_param("tags"))
        return ActionResult({"streamKey": key})

    def get_stream_key(self):
        return ActionResult({"streamKey": self.ivs_backend.get_stream_key(self._get_param("arn"))})

    def list_stream_keys(self):
        keys, next_token = self.ivs_backend.list_stream_keys(
            self._get_param("channelArn"), self._get_param("maxResults"), self._get_param("nextToken")
        )
        return ActionResult({"streamKeys": keys, "nextToken": next_token})

    def batch_get_stream_key(self):
        keys, errors = self.ivs_backend.batch_get_stream_key(self._get_param("arns"))
        return ActionResult({"streamKeys": keys, "errors": errors})

    def delete_stream_key(self):
        self.ivs_backend.delete_stream_key(self._get_param("arn"))
        return EmptyResult()

    def create_recording_configuration(self):
        configuration = self.ivs_backend.create_recording_configuration(self.params)
        return ActionResult({"recordingConfiguration": configuration})

    def get_recording_configuration(self):
        configuration = self.ivs_backend.get_recording_configuration(self._get_param("arn"))
        return ActionResult({"recordingConfiguration": configuration})

    def list_recording_configurations(self):
        configurations, next_token = self.ivs_backend.list_recording_configurations(
            self._get_param("maxResults"), self._get_param("nextToken")
        )
        return ActionResult({"recordingConfigurations": configurations, "nextToken": next_token})

    def delete_recording_configuration(self):
        self.ivs_backend.delete_recording_configuration(self._get_param("arn"))
        return EmptyResult()


def register():
    """Build IVSBackend for IVS and answer its requests with IVSResponse."""
    use_backend(models.ivs_backends, IVSBackend)
    extra_paths = [f"{{0}}/{operation}$" for operation in NEW_OPERATIONS] + ["{0}/tags/(?P<resourceArn>.+)$"]
    route([urls.url_paths], responses.IVSResponse, IVSResponse, extra_paths)
