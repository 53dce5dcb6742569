# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped CloudFront calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict


class AnsibleCloudFrontError(AnsibleAWSError):
    pass


class CloudFrontErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudFrontError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchDistribution", "NoSuchOriginAccessControl", "NoSuchResponseHeadersPolicy"])


def _paginate(client, operation, key, **kwargs):
    """Every item of a CloudFront listing, page by page through Marker and NextMarker.

    boto3 has no paginator for some of them (ListResponseHeadersPolicies), so follow the markers here.
    """
    items, marker = [], None
    while True:
        request = dict(kwargs, Marker=marker) if marker else kwargs
        page = getattr(client, operation)(**request)[key]
        items.extend(page.get("Items") or [])
        marker = page.get("NextMarker")
        if not marker:
            return items


@CloudFrontErrorHandler.common_error_handler("list the distributions")
def list_distributions(client):
    return _paginate(client, "list_distributions", "DistributionList")


@CloudFrontErrorHandler.list_error_handler("read the distribution config")
def get_distribution_config(client, distribution_id):
    """(config, etag) of a distribution, or None when it is gone."""
    response = client.get_distribution_config(Id=distribution_id)
    return response["DistributionConfig"], response["ETag"]


@CloudFrontErrorHandler.common_error_handler("create the distribution")
def create_distribution(client, config, tags):
    return client.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": config,
            "Tags": {"Items": ansible_dict_to_boto3_tag_list(tags)},
        }
    )["Distribution"]


@CloudFrontErrorHandler.common_error_handler("update the distribution")
def update_distribution(client, distribution_id, config, etag):
    return client.update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig=config)["Distribution"]


@CloudFrontErrorHandler.common_error_handler("list the tags of the distribution")
def list_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(Resource=arn)["Tags"].get("Items") or [])


@CloudFrontErrorHandler.common_error_handler("tag the distribution")
def tag_resource(client, arn, tags):
    client.tag_resource(Resource=arn, Tags={"Items": ansible_dict_to_boto3_tag_list(tags)})


@CloudFrontErrorHandler.common_error_handler("untag the distribution")
def untag_resource(client, arn, keys):
    client.untag_resource(Resource=arn, TagKeys={"Items": list(keys)})


@CloudFrontErrorHandler.common_error_handler("list the origin access controls")
def list_origin_access_controls(client):
    return _paginate(client, "list_origin_access_controls", "OriginAccessControlList")


@CloudFrontErrorHandler.common_error_handler("create the origin access control")
def create_origin_access_control(client, config):
    return client.create_origin_access_control(OriginAccessControlConfig=config)["OriginAccessControl"]


@CloudFrontErrorHandler.common_error_handler("update the origin access control")
def update_origin_access_control(client, control_id, config):
    etag = client.get_origin_access_control_config(Id=control_id)["ETag"]
    return client.update_origin_access_control(Id=control_id, IfMatch=etag, OriginAccessControlConfig=config)[
        "OriginAccessControl"
    ]


@CloudFrontErrorHandler.common_error_handler("list the response headers policies")
def list_response_headers_policies(client):
    """The account's own (custom) policies, each as {Id, LastModifiedTime, ResponseHeadersPolicyConfig}."""
    summaries = _paginate(client, "list_response_headers_policies", "ResponseHeadersPolicyList", Type="custom")
    return [summary["ResponseHeadersPolicy"] for summary in summaries]


@CloudFrontErrorHandler.common_error_handler("create the response headers policy")
def create_response_headers_policy(client, config):
    return client.create_response_headers_policy(ResponseHeadersPolicyConfig=config)["ResponseHeadersPolicy"]


@CloudFrontErrorHandler.common_error_handler("update the response headers policy")
def update_response_headers_policy(client, policy_id, config):
    etag = client.get_response_headers_policy_config(Id=policy_id)["ETag"]
    return client.update_response_headers_policy(Id=policy_id, IfMatch=etag, ResponseHeadersPolicyConfig=config)[
        "ResponseHeadersPolicy"
    ]


@CloudFrontErrorHandler.common_error_handler("invalidate changed paths in the distribution")
def create_invalidation(client, distribution_id, paths, caller_reference):
    """One invalidation of `paths`; the same caller reference again returns the same invalidation."""
    response = client.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": list(paths)},
            "CallerReference": caller_reference,
        },
    )
    return response["Invalidation"]["Id"]
