# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Publish a built site to the creator's bucket: upload what changed, remove what is gone, invalidate the rest.

Private to the frontend module. Comparing costs one paginated ListObjectsV2 and one GetObject
of the site manifest (``.creatorcloud/site-manifest.json``), whatever the number of files.
The manifest also records the digest of the build's inputs (build_inputs.py): when it equals the
digest of this run's inputs and the bucket still shows every recorded ETag, the site is not even
built (`unchanged_publication`); anything else builds it and compares file by file.

Why a manifest and not the ETag: the site bucket is encrypted with the creator's KMS key
(SSE-KMS), and S3's ETag of an SSE-KMS object is not the MD5 of its content. The manifest,
written by the publisher at the end of every publication that changed something, records per
key the digest of what was uploaded (sha256 over Content-Type, Cache-Control and body, so new
headers alone are a change too) and the ETag S3 answered for that upload. A key is unchanged
when the local digest equals the recorded one and the listing still shows the recorded ETag:
an object edited or deleted by hand no longer shows that ETag, so it is uploaded again.

Order of a publication, so that a visitor never gets a page whose assets are missing and an
interrupted run is finished by the next one:

1. new and changed assets with content-hashed names (Cache-Control immutable), in parallel;
2. then the files that reference them: HTML pages, config.json, sitemap.xml, in parallel;
3. removal of the keys that are no longer part of the site, only keys the previous manifest
   lists or keys under one of the site's own top-level directories;
4. one CreateInvalidation of the changed and removed paths (a single ``/*`` above the threshold),
   with a CallerReference derived from the previous manifest's generation and the changed set,
   so a retried run does not invalidate twice;
5. the manifest, last: it is the commit point. A run that fails before it leaves the previous
   manifest in place, so the next run plans the same uploads, removals and invalidation again.
"""

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import as_completed
from typing import NamedTuple
from urllib.parse import quote

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cloudfront as cloudfront_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import s3 as s3_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws.cloudfront import AnsibleCloudFrontError
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws.s3 import AnsibleS3Error

MANIFEST_KEY = ".creatorcloud/site-manifest.json"
MANIFEST_FORMAT = 1
MANIFEST_CONTENT_TYPE = "application/json"
MANIFEST_CACHE_CONTROL = "no-cache"
INDEX_DOCUMENT = "index.html"
WILDCARD_PATH = "/*"
DEFAULT_INVALIDATION_THRESHOLD = 20
DEFAULT_MAX_WORKERS = 8
SHORT_DIGEST_LENGTH = 12
ASSETS_LABEL = "hashed assets"
DOCUMENTS_LABEL = "pages and other files"
BUILD_DIFF_KEY = MANIFEST_KEY + " (build inputs)"
RECORDED_BUILD = "recorded the build inputs of the published site in its manifest"


class PublishError(Exception):
    """A step failed; `changes` lists what the run had already changed."""

    def __init__(self, message, changes, exception=None):
        super().__init__(message)
        self.message = message
        self.changes = list(changes)
        self.exception = exception


class PublishPlan(NamedTuple):
    """Everything a publication will do, decided before the first write."""

    assets: list  # keys to upload first
    documents: list  # pages and the other files that may reference assets, uploaded after them
    removals: list
    unchanged: int
    unmanaged: list  # keys in the bucket that the publisher leaves alone
    invalidation_paths: list
    caller_reference: str
    digests: dict  # key -> digest of every file of the site
    kept: dict  # manifest entries of the unchanged keys
    generation: int  # of the manifest this publication writes
    before: dict
    after: dict
    build: str = None  # the digest of the build's inputs, recorded in the manifest
    record_build: bool = False  # the files are as published, but the manifest records other inputs

    @property
    def uploads(self):
        """Keys to upload, in upload order."""
        return self.assets + self.documents

    @property
    def changed(self):
        return bool(self.assets or self.documents or self.removals or self.record_build)


def file_digest(site_file):
    """sha256 over Content-Type, Cache-Control and body: new headers alone make a file changed."""
    digest = hashlib.sha256()
    for header in (site_file.content_type, site_file.cache_control):
        digest.update(header.encode("utf-8"))
        digest.update(b"\0")
    digest.update(site_file.body)
    return digest.hexdigest()


def is_asset(site_file):
    """A content-hashed asset (cached forever): pages reference it, so it goes up before them."""
    return "immutable" in site_file.cache_control


def manifest_entry(site_file, digest, etag):
    """What the manifest records of one uploaded file."""
    entry = {"digest": digest, "etag": etag}
    if is_asset(site_file):
        entry["immutable"] = True
    return entry


def parse_manifest(body):
    """The manifest's generation, build digest and entries; a missing, unreadable or foreign one counts as empty."""
    empty = {"generation": 0, "build": None, "files": {}}
    if body is None:
        return empty
    try:
        data = json.loads(body)
    except ValueError:
        return empty
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
        return empty
    generation = data.get("generation")
    build = data.get("build")
    entries = {key: entry for key, entry in data["files"].items() if isinstance(entry, dict)}
    return {
        "generation": generation if isinstance(generation, int) else 0,
        "build": build if isinstance(build, str) else None,
        "files": entries,
    }


def manifest_body(generation, entries, build=None):
    """The manifest as stored: stable JSON, so equal content gives equal bytes; `build` only when known."""
    document = {"format": MANIFEST_FORMAT, "generation": generation, "files": entries}
    if build:
        document["build"] = build
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")


def read_published_state(s3, bucket, check_mode):
    """The bucket's keys with their ETags, and the manifest: one listing and one GET (none on an empty bucket)."""
    listing = s3_api.list_object_etags(s3, bucket)
    if listing is None:
        if not check_mode:
            raise PublishError(f"the site bucket {bucket} does not exist; run role website first", [])
        # In check mode of a first onboarding, role website only plans the bucket.
        listing = {}
    body = s3_api.get_object_body(s3, bucket, MANIFEST_KEY) if MANIFEST_KEY in listing else None
    listing.pop(MANIFEST_KEY, None)
    return listing, parse_manifest(body)


def invalidation_paths(keys, threshold):
    """CloudFront paths of the keys (an index.html also as its directory), or one wildcard above `threshold`."""
    paths = set()
    for key in keys:
        paths.add("/" + quote(key))
        if key == INDEX_DOCUMENT or key.endswith("/" + INDEX_DOCUMENT):
            paths.add("/" + quote(key[: -len(INDEX_DOCUMENT)]))
    if len(paths) > threshold:
        return [WILDCARD_PATH]
    return sorted(paths)


def caller_reference(generation, digests, uploads, removals):
    """The same change from the same published state gives the same reference; a later change another one."""
    changed = {"generation": generation, "uploads": {key: digests[key] for key in uploads}, "removals": removals}
    encoded = json.dumps(changed, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return "creatorcloud-site-" + hashlib.sha256(encoded).hexdigest()[:40]


def owned_keys(files, listing, recorded):
    """Keys the publisher may remove: those the manifest lists, and those under the site's own directories."""
    directories = {key.split("/", 1)[0] + "/" for key in files if "/" in key}
    under_site = {key for key in listing if key.split("/", 1)[0] + "/" in directories}
    return set(recorded) | under_site


def published_version(key, listing, recorded):
    """How a published key shows in the diff: its recorded digest, or why there is none."""
    if key not in listing:
        return "missing"
    entry = recorded.get(key, {})
    if entry.get("etag") == listing[key] and entry.get("digest"):
        return entry["digest"][:SHORT_DIGEST_LENGTH]
    return "unrecorded (ETag " + listing[key].strip('"')[:SHORT_DIGEST_LENGTH] + ")"


def unchanged_publication(build_digest, listing, manifest):
    """The bucket holds exactly what the last publication of a build with these inputs uploaded.

    Then a build would give the recorded files, and nothing needs to be built or compared: every
    recorded key still shows its recorded ETag (nothing was edited or deleted by hand), and no
    stray key lies under one of the site's own directories (a full run would remove it).
    """
    recorded = manifest["files"]
    if not build_digest or manifest.get("build") != build_digest or not recorded:
        return False
    if any(listing.get(key) != entry.get("etag") for key, entry in recorded.items()):
        return False
    return not owned_keys(recorded, listing, recorded) - set(recorded)


def unchanged_plan(listing, manifest):
    """The plan of a publication that changes nothing, from the manifest alone."""
    recorded = manifest["files"]
    return PublishPlan(
        assets=[],
        documents=[],
        removals=[],
        unchanged=len(recorded),
        unmanaged=sorted(set(listing) - set(recorded)),
        invalidation_paths=[],
        caller_reference="",
        digests={key: entry.get("digest") for key, entry in recorded.items()},
        kept=dict(recorded),
        generation=manifest["generation"],
        before={},
        after={},
    )


def plan_publish(files, listing, manifest, invalidation_threshold, invalidate=True, build=None):
    """Decide every upload, removal and invalidation path from the site, the listing and the manifest.

    `build` is the digest of the inputs the files were built from: a publication records it, and
    when only the digest differs (a new version of the build code that renders the same bytes, a
    manifest from before digests) the plan writes the manifest alone, once, so the next run skips the build.
    """
    if MANIFEST_KEY in files:
        raise PublishError(f"the site must not contain {MANIFEST_KEY}: the publisher keeps its manifest there", [])
    recorded = manifest["files"]
    digests = {key: file_digest(site_file) for key, site_file in files.items()}

    def unchanged(key):
        entry = recorded.get(key, {})
        return entry.get("digest") == digests[key] and key in listing and listing[key] == entry.get("etag")

    uploads = sorted(key for key in files if not unchanged(key))
    kept = {key: recorded[key] for key in files if unchanged(key)}
    removals = sorted(owned_keys(files, listing, recorded) - set(files))
    published_before = set(listing) | set(recorded)
    # New keys were never served, so no edge location holds them; removed hashed assets are
    # referenced by no page any more: invalidating either would only cost paths.
    stale = [key for key in uploads if key in published_before]
    stale += [key for key in removals if not recorded.get(key, {}).get("immutable")]
    paths = invalidation_paths(stale, invalidation_threshold) if invalidate else []
    record_build = bool(build) and build != manifest.get("build") and not uploads and not removals
    before = {key: published_version(key, listing, recorded) for key in uploads + removals if key in published_before}
    after = {key: digests[key][:SHORT_DIGEST_LENGTH] for key in uploads}
    if record_build:
        before[BUILD_DIFF_KEY] = (manifest.get("build") or "unrecorded")[:SHORT_DIGEST_LENGTH]
        after[BUILD_DIFF_KEY] = build[:SHORT_DIGEST_LENGTH]
    return PublishPlan(
        assets=[key for key in uploads if is_asset(files[key])],
        documents=[key for key in uploads if not is_asset(files[key])],
        removals=removals,
        unchanged=len(kept),
        unmanaged=sorted(set(listing) - set(files) - set(removals)),
        invalidation_paths=paths,
        caller_reference=caller_reference(manifest["generation"], digests, uploads, removals),
        digests=digests,
        kept=kept,
        generation=manifest["generation"] + 1,
        before=before,
        after=after,
        build=build,
        record_build=record_build,
    )


def planned_changes(plan):
    """The changes a publication makes, in order, as the module reports them."""
    changes = []
    for label, keys in ((ASSETS_LABEL, plan.assets), (DOCUMENTS_LABEL, plan.documents)):
        if keys:
            changes.append(f"uploaded {label}: {len(keys)}")
    if plan.removals:
        changes.append(f"removed files: {len(plan.removals)}")
    if plan.invalidation_paths:
        changes.append(f"invalidated paths: {len(plan.invalidation_paths)}")
    if plan.record_build:
        changes.append(RECORDED_BUILD)
    return changes


class SitePublisher:
    """Applies a plan in order; `changes` records what is done, for the error of a later step."""

    def __init__(self, s3, cloudfront, bucket, distribution_id, max_workers=DEFAULT_MAX_WORKERS):
        self.s3 = s3
        self.cloudfront = cloudfront
        self.bucket = bucket
        self.distribution_id = distribution_id
        self.max_workers = max_workers
        self.changes = []

    def apply(self, files, plan):
        """Upload, remove, invalidate, then write the manifest. Returns the invalidation id or None."""
        if not plan.changed:
            return None
        etags = {}
        self._upload(files, plan.assets, ASSETS_LABEL, etags)
        self._upload(files, plan.documents, DOCUMENTS_LABEL, etags)
        self._remove(plan.removals)
        invalidation_id = self._invalidate(plan)
        entries = dict(plan.kept)
        entries.update({key: manifest_entry(files[key], plan.digests[key], etags[key]) for key in plan.uploads})
        self._write_manifest(manifest_body(plan.generation, entries, plan.build))
        if plan.record_build:
            self.changes.append(RECORDED_BUILD)
        return invalidation_id

    def _upload(self, files, keys, label, etags):
        """Upload keys in parallel; on a failure, wait for the uploads under way and report what went up."""
        if not keys:
            return
        with ThreadPoolExecutor(max_workers=min(self.max_workers, len(keys))) as pool:
            futures = {pool.submit(self._put, key, files[key]): key for key in keys}
            for future in as_completed(futures):
                try:
                    etags[futures[future]] = future.result()
                except AnsibleS3Error as e:
                    pool.shutdown(wait=True, cancel_futures=True)
                    uploaded = sum(1 for done in futures if not done.cancelled() and done.exception() is None)
                    if uploaded:
                        self.changes.append(f"uploaded {label}: {uploaded} of {len(keys)}")
                    raise PublishError(f"{e.message} {futures[future]}", self.changes, e.exception) from e
        self.changes.append(f"uploaded {label}: {len(keys)}")

    def _put(self, key, site_file):
        """Upload one file with its headers; returns its ETag."""
        return s3_api.put_object(
            self.s3, self.bucket, key, site_file.body, site_file.content_type, site_file.cache_control
        )

    def _remove(self, keys):
        if not keys:
            return
        try:
            s3_api.delete_objects(self.s3, self.bucket, keys)
        except AnsibleS3Error as e:
            raise PublishError(e.message, self.changes, e.exception) from e
        self.changes.append(f"removed files: {len(keys)}")

    def _invalidate(self, plan):
        if not (self.distribution_id and plan.invalidation_paths):
            return None
        try:
            invalidation_id = cloudfront_api.create_invalidation(
                self.cloudfront, self.distribution_id, plan.invalidation_paths, plan.caller_reference
            )
        except AnsibleCloudFrontError as e:
            raise PublishError(
                f"{e.message} {self.distribution_id}; the files are published, run again to invalidate them",
                self.changes,
                e.exception,
            ) from e
        self.changes.append(f"invalidated paths: {len(plan.invalidation_paths)}")
        return invalidation_id

    def _write_manifest(self, body):
        try:
            s3_api.put_object(self.s3, self.bucket, MANIFEST_KEY, body, MANIFEST_CONTENT_TYPE, MANIFEST_CACHE_CONTROL)
        except AnsibleS3Error as e:
            raise PublishError(
                f"{e.message} {MANIFEST_KEY}; run again to record the publication", self.changes, e.exception
            ) from e


def publish(s3, cloudfront, bucket, distribution_id, site, check_mode, invalidation_threshold, max_workers):
    """Plan the publication of `site` (a build_inputs.SiteBuild) and apply it unless in check mode.

    The site is built only when the published state does not already match its inputs; the
    build's own errors (SiteBuildError, OSError) pass through, raised before any write.
    """
    try:
        listing, manifest = read_published_state(s3, bucket, check_mode)
    except AnsibleS3Error as e:
        raise PublishError(f"{e.message} {bucket}", [], e.exception) from e
    if unchanged_publication(site.digest, listing, manifest):
        return publish_result(unchanged_plan(listing, manifest), [], None, site.built)
    files = site.files()
    plan = plan_publish(
        files, listing, manifest, invalidation_threshold, invalidate=bool(distribution_id), build=site.digest
    )
    invalidation_id = None
    if check_mode:
        changes = planned_changes(plan)
    else:
        publisher = SitePublisher(s3, cloudfront, bucket, distribution_id, max_workers)
        invalidation_id = publisher.apply(files, plan)
        changes = publisher.changes
    return publish_result(plan, changes, invalidation_id, site.built)


def publish_result(plan, changes, invalidation_id, built):
    """The module's result: the paths, their counts, what changed, whether the site was built and a short diff."""
    invalidated = plan.invalidation_paths
    return {
        "changed": plan.changed,
        "built": built,
        "uploaded": plan.uploads,
        "removed": plan.removals,
        "invalidated": invalidated,
        "unchanged": plan.unchanged,
        "unmanaged": plan.unmanaged,
        "counts": {
            "uploaded": len(plan.uploads),
            "removed": len(plan.removals),
            "invalidated": len(invalidated),
            "unchanged": plan.unchanged,
        },
        "invalidation_id": invalidation_id,
        "changes": changes,
        "diff": {"before": plan.before, "after": plan.after},
    }
