# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped S3 object and CloudFront invalidation calls of the site publisher.

Private to the frontend module. They raise the collection's one exception type per service,
``AnsibleS3Error`` and ``AnsibleCloudFrontError`` from the s3 and cloudfront module_utils, which
hold the bucket and distribution calls of the website module.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws.cloudfront import CloudFrontErrorHandler
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws.s3 import AnsibleS3Error
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws.s3 import S3ErrorHandler

# S3 answers SlowDown when one prefix takes too many writes per second (a parallel upload of a whole
# site can reach that): botocore's retry mode waits it out (retries.py).

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
