# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped Route53 calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict


class AnsibleRoute53Error(AnsibleAWSError):
    pass


class Route53ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchHostedZone"])


def zone_id_of(zone_id):
    """The bare zone id (Route53 answers `/hostedzone/Z123`, its tagging API wants `Z123`)."""
    return zone_id.rsplit("/", 1)[-1]


@Route53ErrorHandler.common_error_handler("list the hosted zones")
def list_zones_named(client, name):
    """The hosted zones whose name is exactly `name` (with trailing dot), public and private."""
    zones = client.list_hosted_zones_by_name(DNSName=name, MaxItems="100")["HostedZones"]
    return [zone for zone in zones if zone["Name"].lower() == name.lower()]


@Route53ErrorHandler.common_error_handler("read the hosted zone")
def get_zone(client, zone_id):
    """The zone and its delegation set (the name servers for the registrar)."""
    return client.get_hosted_zone(Id=zone_id)


@Route53ErrorHandler.common_error_handler("create the hosted zone")
def create_zone(client, name, caller_reference, comment):
    return client.create_hosted_zone(
        Name=name, CallerReference=caller_reference, HostedZoneConfig={"Comment": comment, "PrivateZone": False}
    )


@Route53ErrorHandler.common_error_handler("list the records of the hosted zone")
def list_records(client, zone_id):
    paginator = client.get_paginator("list_resource_record_sets")
    return paginator.paginate(HostedZoneId=zone_id).build_full_result()["ResourceRecordSets"]


@Route53ErrorHandler.common_error_handler("change the records of the hosted zone")
def change_records(client, zone_id, changes, comment):
    return client.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Comment": comment, "Changes": changes}
    )["ChangeInfo"]


@Route53ErrorHandler.common_error_handler("list the tags of the hosted zone")
def list_zone_tags(client, zone_id):
    tag_set = client.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id_of(zone_id))
    return boto3_tag_list_to_ansible_dict(tag_set["ResourceTagSet"].get("Tags", []))


@Route53ErrorHandler.common_error_handler("tag the hosted zone")
def change_zone_tags(client, zone_id, to_set, to_remove):
    request = dict(ResourceType="hostedzone", ResourceId=zone_id_of(zone_id))
    if to_set:
        request["AddTags"] = ansible_dict_to_boto3_tag_list(to_set)
    if to_remove:
        request["RemoveTagKeys"] = list(to_remove)
    client.change_tags_for_resource(**request)
