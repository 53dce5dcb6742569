# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error-wrapped Resource Groups Tagging API calls: the tags of many resources in one paged read.

A slice whose desired state includes the tags of dozens of resources of one type (the alarms)
reads them all here with one GetResources per 100 resources, instead of one ListTagsForResource
per resource. GetResources lists tagged resources only: a resource that it does not list has no tags.
"""

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# The most resources GetResources returns per page.
PAGE_SIZE = 100


class AnsibleTaggingError(AnsibleAWSError):
    pass


class TaggingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleTaggingError


@TaggingErrorHandler.common_error_handler("read the tags of the resources")
def tags_by_arn(client, resource_types, tags=None):
    """{ARN: {key: value}} of the client's region's resources of `resource_types` ("cloudwatch:alarm", or a list).

    `tags` ({key: value}) keeps only the resources that carry each of them.
    """
    types = [resource_types] if isinstance(resource_types, str) else list(resource_types)
    request = dict(ResourceTypeFilters=types, ResourcesPerPage=PAGE_SIZE)
    if tags:
        request["TagFilters"] = [{"Key": key, "Values": [value]} for key, value in tags.items()]
    found = {}
    for page in client.get_paginator("get_resources").paginate(**request):
        for resource in page.get("ResourceTagMappingList", []):
            found[resource["ResourceARN"]] = boto3_tag_list_to_ansible_dict(resource.get("Tags", []))
    return found
