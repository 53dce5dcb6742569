# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped ACM calls: one exception type for a module to catch."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict


class AnsibleACMError(AnsibleAWSError):
    pass


class ACMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleACMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException"])


@ACMErrorHandler.common_error_handler("list the certificates")
def list_certificates(client, statuses):
    paginator = client.get_paginator("list_certificates")
    return paginator.paginate(CertificateStatuses=list(statuses)).build_full_result()["CertificateSummaryList"]


@ACMErrorHandler.common_error_handler("describe the certificate")
def describe_certificate(client, arn):
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@ACMErrorHandler.common_error_handler("request the certificate")
def request_certificate(client, domain, alternative_names, idempotency_token, tags):
    request = dict(
        DomainName=domain,
        SubjectAlternativeNames=list(alternative_names),
        ValidationMethod="DNS",
        IdempotencyToken=idempotency_token,
        Options={"CertificateTransparencyLoggingPreference": "ENABLED"},
    )
    if tags:  # ACM refuses an empty tag list
        request["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.request_certificate(**request)["CertificateArn"]


@ACMErrorHandler.common_error_handler("list the tags of the certificate")
def list_certificate_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(CertificateArn=arn).get("Tags", []))


@ACMErrorHandler.common_error_handler("tag the certificate")
def add_certificate_tags(client, arn, tags):
    client.add_tags_to_certificate(CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@ACMErrorHandler.common_error_handler("untag the certificate")
def remove_certificate_tags(client, arn, keys):
    client.remove_tags_from_certificate(CertificateArn=arn, Tags=[{"Key": key} for key in keys])
