# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped S3 bucket calls: one exception type for a module to catch.

A bucket setting that was never configured reads as None, not as an error.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["OperationAborted"])
# A new bucket can answer NoSuchBucket for a moment to calls that reach another S3 host.
_RETRY_NEW_BUCKET = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["OperationAborted", "NoSuchBucket"])


class AnsibleS3Error(AnsibleAWSError):
    pass


class S3ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(
            [
                "NoSuchBucketPolicy",
                "ServerSideEncryptionConfigurationNotFoundError",
                "OwnershipControlsNotFoundError",
                "NoSuchPublicAccessBlockConfiguration",
                "NoSuchTagSet",
                "NoSuchLifecycleConfiguration",
            ]
        )


@S3ErrorHandler.common_error_handler("find the bucket")
@_RETRY
def bucket_exists(client, bucket):
    """True for a bucket of this account, False when there is none; 403 (another account's) raises."""
    try:
        client.head_bucket(Bucket=bucket)
        return True
    except is_boto3_error_code(["404", "NoSuchBucket", "NotFound"]):
        return False


@S3ErrorHandler.common_error_handler("create the bucket")
@_RETRY
def create_bucket(client, bucket, region):
    request = dict(Bucket=bucket, ObjectOwnership="BucketOwnerEnforced")
    if region != "us-east-1":  # us-east-1 refuses its own name as LocationConstraint
        request["CreateBucketConfiguration"] = {"LocationConstraint": region}
    client.create_bucket(**request)


@S3ErrorHandler.list_error_handler("read the bucket's public access block")
@_RETRY
def get_public_access_block(client, bucket):
    return client.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]


@S3ErrorHandler.common_error_handler("block public access to the bucket")
@_RETRY_NEW_BUCKET
def put_public_access_block(client, bucket, configuration):
    client.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=configuration)


@S3ErrorHandler.list_error_handler("read the bucket's object ownership")
@_RETRY
def get_ownership_controls(client, bucket):
    return client.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]


@S3ErrorHandler.common_error_handler("enforce the bucket's object ownership")
@_RETRY_NEW_BUCKET
def put_ownership_controls(client, bucket, controls):
    client.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls)


@S3ErrorHandler.list_error_handler("read the bucket's default encryption")
@_RETRY
def get_encryption(client, bucket):
    return client.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]


@S3ErrorHandler.common_error_handler("set the bucket's default encryption")
@_RETRY_NEW_BUCKET
def put_encryption(client, bucket, configuration):
    client.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=configuration)


@S3ErrorHandler.common_error_handler("read the bucket's versioning")
@_RETRY
def get_versioning(client, bucket):
    versioning = client.get_bucket_versioning(Bucket=bucket)
    return {key: versioning[key] for key in ("Status", "MFADelete") if key in versioning}


@S3ErrorHandler.common_error_handler("turn on the bucket's versioning")
@_RETRY_NEW_BUCKET
def put_versioning(client, bucket, configuration):
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration=configuration)


@S3ErrorHandler.list_error_handler("read the bucket policy")
@_RETRY
def get_bucket_policy(client, bucket):
    """The policy document as a string, or None."""
    return client.get_bucket_policy(Bucket=bucket)["Policy"]


@S3ErrorHandler.common_error_handler("put the bucket policy")
@_RETRY_NEW_BUCKET
def put_bucket_policy(client, bucket, policy_json):
    client.put_bucket_policy(Bucket=bucket, Policy=policy_json)


@S3ErrorHandler.list_error_handler("read the bucket's tags", {})
@_RETRY
def get_bucket_tags(client, bucket):
    return boto3_tag_list_to_ansible_dict(client.get_bucket_tagging(Bucket=bucket)["TagSet"])


@S3ErrorHandler.common_error_handler("tag the bucket")
@_RETRY_NEW_BUCKET
def put_bucket_tags(client, bucket, tags):
    """Replace the bucket's whole tag set (S3 has no call that adds or removes one tag)."""
    client.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": ansible_dict_to_boto3_tag_list(tags)})


@S3ErrorHandler.list_error_handler("read the bucket's lifecycle rules")
@_RETRY
def get_lifecycle_rules(client, bucket):
    """The bucket's lifecycle rules, or None."""
    return client.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]


@S3ErrorHandler.common_error_handler("put the bucket's lifecycle rules")
@_RETRY_NEW_BUCKET
def put_lifecycle_rules(client, bucket, rules):
    client.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})


@S3ErrorHandler.common_error_handler("list the buckets")
@_RETRY
def list_buckets(client):
    """Every bucket of the account (S3 lists them in every region)."""
    return client.get_paginator("list_buckets").paginate().build_full_result().get("Buckets", [])


# The site publisher's object calls. S3 answers SlowDown when one prefix takes too many writes per second
# (a parallel upload of a whole site can reach that): botocore's retry mode waits it out (retries.py).
# DeleteObjects takes at most this many keys per request.
DELETE_BATCH_SIZE = 1000


@S3ErrorHandler.common_error_handler("list the objects of the site bucket")
def list_object_etags(client, bucket):
    """Every key with its ETag, from one paginated ListObjectsV2 (1,000 keys a page); None if there is no bucket."""
    etags = {}
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                etags[item["Key"]] = item["ETag"]
    except is_boto3_error_code("NoSuchBucket"):
        return None
    return etags


@S3ErrorHandler.common_error_handler("read the site manifest")
def get_object_body(client, bucket, key):
    """The body of one object, or None when there is no such key."""
    try:
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except is_boto3_error_code(["NoSuchKey", "404"]):
        return None


@S3ErrorHandler.common_error_handler("upload a file of the site")
def put_object(client, bucket, key, body, content_type, cache_control):
    """Upload one object with its headers; returns the ETag S3 gave it."""
    response = client.put_object(
        Bucket=bucket, Key=key, Body=body, ContentType=content_type, CacheControl=cache_control
    )
    return response["ETag"]


@S3ErrorHandler.common_error_handler("remove files of the site")
def _delete_batch(client, bucket, keys):
    response = client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True})
    return response.get("Errors", [])


def delete_objects(client, bucket, keys):
    """Delete keys in batches of 1,000; raises AnsibleS3Error naming the keys S3 refused."""
    keys = list(keys)
    for start in range(0, len(keys), DELETE_BATCH_SIZE):
        errors = _delete_batch(client, bucket, keys[start : start + DELETE_BATCH_SIZE])
        if errors:
            refused = ", ".join(f"{error.get('Key')} ({error.get('Code')})" for error in errors)
            raise AnsibleS3Error(message=f"Failed to remove files of the site: S3 refused {refused}")
