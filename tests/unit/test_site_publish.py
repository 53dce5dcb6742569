# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site publisher on the emulator: plan, order, invalidation paths, manifest, no write when unchanged."""

import json

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import publish as site_publish
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build import SiteFile
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build_inputs import SiteBuild

BUCKET = "creatorcloud-creator1-site-210987654321"
HTML = "text/html; charset=utf-8"
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"


def page(text):
    return SiteFile(f"<!doctype html><title>{text}</title>".encode(), HTML, NO_CACHE)


def asset(text, content_type="text/css"):
    return SiteFile(text.encode(), content_type, IMMUTABLE)


def small_site(**changes):
    """A site in two languages with a hashed stylesheet and script; `changes` replaces or removes (None) keys."""
    files = {
        "index.html": page("home"),
        "live.html": page("live"),
        "de/index.html": page("start"),
        "de/live.html": page("live de"),
        "404.html": page("not found"),
        "config.json": SiteFile(b'{"api_url":null}', "application/json", NO_CACHE),
        "assets/theme.1a2b3c4d.css": asset("body{color:#111}"),
        "assets/site.5e6f7a8b.js": asset("console.log(1)", "text/javascript"),
    }
    files.update(changes)
    return {key: site_file for key, site_file in files.items() if site_file is not None}


@pytest.fixture
def s3(aws_client):
    client = aws_client("s3")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    return client


@pytest.fixture
def cloudfront(aws_client):
    return aws_client("cloudfront", region="us-east-1")


@pytest.fixture
def distribution_id(cloudfront):
    origin = {"Id": "site", "DomainName": f"{BUCKET}.s3.eu-central-1.amazonaws.com", "S3OriginConfig": {}}
    config = {
        "CallerReference": "creatorcloud-creator1-210987654321-site",
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{**origin, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


def run_publish(s3, cloudfront, distribution_id, files, check_mode=False, threshold=20):
    return site_publish.publish(
        s3, cloudfront, BUCKET, distribution_id, SiteBuild.prebuilt(files), check_mode, threshold, 4
    )


def writes(aws):
    return [call["operation"] for call in aws.calls()["calls"] if call["kind"] == "write"]


def invalidated_paths(cloudfront, distribution_id, invalidation_id):
    invalidation = cloudfront.get_invalidation(DistributionId=distribution_id, Id=invalidation_id)["Invalidation"]
    return sorted(invalidation["InvalidationBatch"]["Paths"]["Items"])


def record_s3_writes(s3):
    """The keys of PutObject and DeleteObjects requests, in the order the client sends them."""
    sent = []

    def record(params, model, **kwargs):
        if model.name == "PutObject":
            sent.append(("put", params["Key"]))
        elif model.name == "DeleteObjects":
            sent.extend(("delete", item["Key"]) for item in params["Delete"]["Objects"])

    s3.meta.events.register("provide-client-params.s3.*", record)
    return sent


def test_first_publish_uploads_every_file_with_its_headers_and_invalidates_nothing(
    aws, s3, cloudfront, distribution_id
):
    files = small_site()
    aws.reset_calls()

    result = run_publish(s3, cloudfront, distribution_id, files)

    assert result["changed"] is True
    assert sorted(result["uploaded"]) == sorted(files)
    assert result["counts"] == {"uploaded": 8, "removed": 0, "invalidated": 0, "unchanged": 0}
    assert result["invalidated"] == [] and result["invalidation_id"] is None
    assert result["changes"] == ["uploaded hashed assets: 2", "uploaded pages and other files: 6"]
    assert result["diff"]["before"] == {}
    for key, site_file in files.items():
        stored = s3.get_object(Bucket=BUCKET, Key=key)
        assert stored["Body"].read() == site_file.body
        assert stored["ContentType"] == site_file.content_type
        assert stored["CacheControl"] == site_file.cache_control
    assert sorted(writes(aws)) == ["PutObject"] * 9  # 8 files and the manifest


def test_publishing_again_unchanged_reads_twice_and_writes_nothing(aws, s3, cloudfront, distribution_id):
    run_publish(s3, cloudfront, distribution_id, small_site())
    aws.reset_calls()

    result = run_publish(s3, cloudfront, distribution_id, small_site())

    assert result["changed"] is False
    assert result["uploaded"] == [] and result["removed"] == [] and result["invalidated"] == []
    assert result["unchanged"] == 8
    assert result["changes"] == []
    assert result["diff"] == {"before": {}, "after": {}}
    assert [call["operation"] for call in aws.calls()["calls"]] == ["ListObjectsV2", "GetObject"]


def test_one_changed_page_is_one_upload_and_one_invalidation_path(aws, s3, cloudfront, distribution_id):
    run_publish(s3, cloudfront, distribution_id, small_site())
    aws.reset_calls()

    result = run_publish(s3, cloudfront, distribution_id, small_site(**{"live.html": page("live now")}))

    assert result["uploaded"] == ["live.html"]
    assert result["invalidated"] == ["/live.html"]
    assert result["unchanged"] == 7
    assert invalidated_paths(cloudfront, distribution_id, result["invalidation_id"]) == ["/live.html"]
    assert writes(aws) == ["PutObject", "CreateInvalidation", "PutObject"]  # the page, then the manifest
    assert s3.get_object(Bucket=BUCKET, Key="live.html")["Body"].read() == page("live now").body
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert list(before) == list(after) == ["live.html"]
    assert before["live.html"] != after["live.html"]


def test_an_index_page_also_invalidates_its_directory(s3, cloudfront, distribution_id):
    run_publish(s3, cloudfront, distribution_id, small_site())

    result = run_publish(s3, cloudfront, distribution_id, small_site(**{"de/index.html": page("neu")}))

    assert result["invalidated"] == ["/de/", "/de/index.html"]


def test_new_headers_alone_reupload_the_file(s3, cloudfront, distribution_id):
    run_publish(s3, cloudfront, distribution_id, small_site())
    recached = {"404.html": page("not found")._replace(cache_control="max-age=60")}
    stylesheet = small_site()["assets/theme.1a2b3c4d.css"]
    retyped = {**recached, "assets/theme.1a2b3c4d.css": stylesheet._replace(content_type="text/css; charset=utf-8")}

    first = run_publish(s3, cloudfront, distribution_id, small_site(**recached))
    second = run_publish(s3, cloudfront, distribution_id, small_site(**retyped))

    assert first["uploaded"] == ["404.html"]
    assert s3.get_object(Bucket=BUCKET, Key="404.html")["CacheControl"] == "max-age=60"
    assert second["uploaded"] == ["assets/theme.1a2b3c4d.css"]
    assert s3.get_object(Bucket=BUCKET, Key="assets/theme.1a2b3c4d.css")["ContentType"] == "text/css; charset=utf-8"


def test_a_new_stylesheet_goes_up_before_the_pages_and_the_old_one_is_removed_after_them(
    aws, s3, cloudfront, distribution_id
):
    run_publish(s3, cloudfront, distribution_id, small_site())
    aws.reset_calls()
    sent = record_s3_writes(s3)
    restyled = small_site(
        **{
            "assets/theme.1a2b3c4d.css": None,
            "assets/theme.9f8e7d6c.css": asset("body{color:#222}"),
            "index.html": page("home, restyled"),
            "de/index.html": page("start, neu"),
        }
    )

    result = run_publish(s3, cloudfront, distribution_id, restyled)

    assert sent == [
        ("put", "assets/theme.9f8e7d6c.css"),
        *sorted(sent[1:3]),
        ("delete", "assets/theme.1a2b3c4d.css"),
        ("put", site_publish.MANIFEST_KEY),
    ]
    assert {key for kind, key in sent[1:3]} == {"index.html", "de/index.html"}
    assert writes(aws) == ["PutObject", "PutObject", "PutObject", "DeleteObjects", "CreateInvalidation", "PutObject"]
    assert result["uploaded"] == ["assets/theme.9f8e7d6c.css", "de/index.html", "index.html"]
    assert result["removed"] == ["assets/theme.1a2b3c4d.css"]
    # The new stylesheet was never served and the old one is referenced by no page any more.
    assert result["invalidated"] == ["/", "/de/", "/de/index.html", "/index.html"]
    assert result["changes"] == [
        "uploaded hashed assets: 1",
        "uploaded pages and other files: 2",
        "removed files: 1",
        "invalidated paths: 4",
    ]


def test_a_removed_page_is_deleted_and_invalidated_and_foreign_root_files_are_left_alone(
    s3, cloudfront, distribution_id
):
    run_publish(s3, cloudfront, distribution_id, small_site())
    s3.put_object(Bucket=BUCKET, Key="google1234.html", Body=b"site verification")
    s3.put_object(Bucket=BUCKET, Key="de/draft.html", Body=b"left behind")

    result = run_publish(s3, cloudfront, distribution_id, small_site(**{"de/live.html": None}))

    assert result["removed"] == ["de/draft.html", "de/live.html"]
    assert result["unmanaged"] == ["google1234.html"]
    assert result["invalidated"] == ["/de/draft.html", "/de/live.html"]
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert "google1234.html" in keys and "de/live.html" not in keys and "de/draft.html" not in keys


def test_files_changed_or_deleted_in_the_bucket_by_hand_are_published_again(s3, cloudfront, distribution_id):
    run_publish(s3, cloudfront, distribution_id, small_site())
    s3.put_object(Bucket=BUCKET, Key="live.html", Body=b"defaced", ContentType=HTML, CacheControl=NO_CACHE)
    s3.delete_object(Bucket=BUCKET, Key="de/live.html")

    result = run_publish(s3, cloudfront, distribution_id, small_site())

    assert result["uploaded"] == ["de/live.html", "live.html"]
    assert result["invalidated"] == ["/de/live.html", "/live.html"]
    assert result["diff"]["before"]["de/live.html"] == "missing"
    assert result["diff"]["before"]["live.html"].startswith("unrecorded (ETag ")
    assert s3.get_object(Bucket=BUCKET, Key="live.html")["Body"].read() == page("live").body


def test_check_mode_lists_the_plan_and_writes_nothing(aws, s3, cloudfront, distribution_id):
    run_publish(s3, cloudfront, distribution_id, small_site())
    aws.reset_calls()

    result = run_publish(
        s3, cloudfront, distribution_id, small_site(**{"live.html": page("live now"), "de/live.html": None}), True
    )

    assert result["changed"] is True
    assert result["uploaded"] == ["live.html"]
    assert result["removed"] == ["de/live.html"]
    assert result["invalidated"] == ["/de/live.html", "/live.html"]
    assert result["invalidation_id"] is None
    assert result["changes"] == ["uploaded pages and other files: 1", "removed files: 1", "invalidated paths: 2"]
    assert writes(aws) == []
    assert s3.get_object(Bucket=BUCKET, Key="live.html")["Body"].read() == page("live").body


def test_without_a_distribution_nothing_is_invalidated(aws, s3, cloudfront):
    run_publish(s3, None, None, small_site())

    result = run_publish(s3, None, None, small_site(**{"live.html": page("live now")}))

    assert result["uploaded"] == ["live.html"]
    assert result["invalidated"] == [] and result["invalidation_id"] is None
    assert "CreateInvalidation" not in writes(aws)


def test_the_manifest_records_digests_and_the_etags_s3_answered(s3, cloudfront, distribution_id):
    files = small_site()
    run_publish(s3, cloudfront, distribution_id, files)

    stored = s3.get_object(Bucket=BUCKET, Key=site_publish.MANIFEST_KEY)
    manifest = json.loads(stored["Body"].read())
    listing = {item["Key"]: item["ETag"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}

    assert stored["CacheControl"] == "no-cache"
    assert manifest["format"] == 1 and manifest["generation"] == 1
    assert set(manifest["files"]) == set(files)
    for key, site_file in files.items():
        entry = manifest["files"][key]
        assert entry["digest"] == site_publish.file_digest(site_file)
        assert entry["etag"] == listing[key]
        assert entry.get("immutable", False) is key.startswith("assets/")


def test_manifest_round_trip_and_unreadable_manifests_count_as_none():
    entries = {"index.html": {"digest": "ab" * 32, "etag": '"x"'}}
    body = site_publish.manifest_body(7, entries)

    assert site_publish.parse_manifest(body) == {"generation": 7, "build": None, "files": entries}
    assert body == site_publish.manifest_body(7, dict(entries))
    with_build = site_publish.manifest_body(8, entries, "cd" * 32)
    assert site_publish.parse_manifest(with_build) == {"generation": 8, "build": "cd" * 32, "files": entries}
    for unreadable in (None, b"not json", b"[]", b'{"format": 99, "files": {}}', b'{"format": 1, "files": []}'):
        assert site_publish.parse_manifest(unreadable) == {"generation": 0, "build": None, "files": {}}
    damaged = b'{"format": 1, "generation": "2", "build": 5, "files": {"a.html": "x", "b.html": {"digest": "d"}}}'
    assert site_publish.parse_manifest(damaged) == {
        "generation": 0,
        "build": None,
        "files": {"b.html": {"digest": "d"}},
    }


def test_unchanged_means_recorded_digest_and_recorded_etag_never_an_md5():
    """With SSE-KMS, S3's ETag is no MD5 of the content: the plan only compares it with the recorded ETag."""
    files = small_site()
    recorded = {key: {"digest": site_publish.file_digest(f), "etag": f'"kms-{key}"'} for key, f in files.items()}
    listing = {key: f'"kms-{key}"' for key in files}
    manifest = {"generation": 3, "files": recorded}

    unchanged = site_publish.plan_publish(files, listing, manifest, 20)
    listing["index.html"] = '"kms-replaced"'
    replaced = site_publish.plan_publish(files, listing, manifest, 20)

    assert unchanged.changed is False and unchanged.unchanged == 8
    assert replaced.uploads == ["index.html"] and replaced.invalidation_paths == ["/", "/index.html"]


@pytest.mark.parametrize(
    ("keys", "threshold", "expected"),
    [
        (["index.html"], 20, ["/", "/index.html"]),
        (["de/index.html", "de/live.html"], 20, ["/de/", "/de/index.html", "/de/live.html"]),
        (["über uns.html"], 20, ["/%C3%BCber%20uns.html"]),
        (["a.html", "b.html", "c.html"], 3, ["/a.html", "/b.html", "/c.html"]),
        (["a.html", "b.html", "index.html"], 3, ["/*"]),
        (["a.html"], 0, ["/*"]),
        ([], 0, []),
    ],
)
def test_invalidation_paths(keys, threshold, expected):
    assert site_publish.invalidation_paths(keys, threshold) == expected


def test_more_changed_paths_than_the_threshold_invalidate_one_wildcard(s3, cloudfront, distribution_id):
    run_publish(s3, cloudfront, distribution_id, small_site())
    renamed = {key: page(f"{key} v2") for key in ("index.html", "live.html", "de/index.html", "de/live.html")}

    result = run_publish(s3, cloudfront, distribution_id, small_site(**renamed), threshold=5)

    assert result["invalidated"] == ["/*"]
    assert invalidated_paths(cloudfront, distribution_id, result["invalidation_id"]) == ["/*"]


def test_caller_reference_repeats_for_a_retry_and_not_for_a_later_equal_change():
    files, changed = small_site(), small_site(**{"live.html": page("live now")})
    recorded = {key: {"digest": site_publish.file_digest(f), "etag": f'"{key}"'} for key, f in files.items()}
    listing = {key: f'"{key}"' for key in files}

    first = site_publish.plan_publish(changed, listing, {"generation": 1, "files": recorded}, 20)
    retried = site_publish.plan_publish(changed, listing, {"generation": 1, "files": recorded}, 20)
    later = site_publish.plan_publish(changed, listing, {"generation": 3, "files": recorded}, 20)

    assert first.caller_reference == retried.caller_reference
    assert first.caller_reference != later.caller_reference


def test_a_failed_invalidation_names_what_changed_and_the_next_run_retries_it(s3, cloudfront, distribution_id):
    """CloudFront cannot be made to fail on the emulator: Stubber answers the first CreateInvalidation."""
    run_publish(s3, cloudfront, distribution_id, small_site())
    changed = small_site(**{"live.html": page("live now")})
    references = []
    cloudfront.meta.events.register(
        "provide-client-params.cloudfront.CreateInvalidation",
        lambda params, **kwargs: references.append(params["InvalidationBatch"]["CallerReference"]),
    )
    with Stubber(cloudfront) as stubber:
        stubber.add_client_error("create_invalidation", "AccessDenied", "not allowed", 403)
        with pytest.raises(site_publish.PublishError) as failure:
            run_publish(s3, cloudfront, distribution_id, changed)

    retried = run_publish(s3, cloudfront, distribution_id, changed)

    assert failure.value.changes == ["uploaded pages and other files: 1"]
    assert "run again to invalidate" in failure.value.message
    assert retried["uploaded"] == ["live.html"] and retried["invalidated"] == ["/live.html"]
    assert len(references) == 2 and references[0] == references[1]
    assert run_publish(s3, cloudfront, distribution_id, changed)["changed"] is False


def test_a_missing_bucket_fails_naming_it_and_check_mode_plans_a_first_publication(aws, aws_client, cloudfront):
    with pytest.raises(site_publish.PublishError) as failure:
        run_publish(aws_client("s3"), cloudfront, None, small_site())
    planned = run_publish(aws_client("s3"), cloudfront, None, small_site(), check_mode=True)

    assert failure.value.message == f"the site bucket {BUCKET} does not exist; run role website first"
    assert failure.value.changes == []
    assert len(planned["uploaded"]) == 8 and planned["changed"] is True
    assert writes(aws) == []


def test_a_site_may_not_overwrite_the_manifest():
    with pytest.raises(site_publish.PublishError, match="must not contain .creatorcloud/site-manifest.json"):
        site_publish.plan_publish({site_publish.MANIFEST_KEY: page("x")}, {}, {"generation": 0, "files": {}}, 20)


def test_a_failed_upload_stops_before_the_pages_and_names_what_went_up(s3, cloudfront, distribution_id):
    """The emulator accepts every PutObject: a client hook refuses one key, as a bucket policy could."""
    refused = "assets/theme.1a2b3c4d.css"

    def refuse(params, **kwargs):
        if params["Key"] == refused:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "PutObject")

    s3.meta.events.register("provide-client-params.s3.PutObject", refuse)

    with pytest.raises(site_publish.PublishError) as failure:
        run_publish(s3, cloudfront, distribution_id, small_site())

    assert failure.value.changes == ["uploaded hashed assets: 1 of 2"]
    assert refused in failure.value.message
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == ["assets/site.5e6f7a8b.js"]  # no page went up without its stylesheet, and no manifest


class CountedBuild(SiteBuild):
    """A site build of `files` with inputs digest `digest` that counts how often it is rendered."""

    def __init__(self, files, digest):
        self.renders = 0

        def render():
            self.renders += 1
            return files

        super().__init__(digest, render)


def publish_build(s3, cloudfront, distribution_id, site, check_mode=False):
    return site_publish.publish(s3, cloudfront, BUCKET, distribution_id, site, check_mode, 20, 4)


def test_unchanged_build_inputs_skip_the_build_and_every_write(aws, s3, cloudfront, distribution_id):
    first = CountedBuild(small_site(), "a" * 64)
    published = publish_build(s3, cloudfront, distribution_id, first)
    manifest = site_publish.parse_manifest(s3.get_object(Bucket=BUCKET, Key=site_publish.MANIFEST_KEY)["Body"].read())
    assert published["built"] is True and manifest["build"] == "a" * 64
    aws.reset_calls()

    again = CountedBuild(small_site(), "a" * 64)
    result = publish_build(s3, cloudfront, distribution_id, again)

    assert again.renders == 0 and result["built"] is False
    assert result["changed"] is False and result["changes"] == [] and writes(aws) == []
    assert (
        result["unchanged"] == len(small_site())
        and result["uploaded"] == []
        and result["diff"]
        == {
            "before": {},
            "after": {},
        }
    )
    assert sorted(call["operation"] for call in aws.calls()["calls"]) == ["GetObject", "ListObjectsV2"]


def test_other_build_inputs_build_and_publish_what_changed(s3, cloudfront, distribution_id):
    publish_build(s3, cloudfront, distribution_id, CountedBuild(small_site(), "a" * 64))

    changed = CountedBuild(small_site(**{"live.html": page("live now")}), "b" * 64)
    result = publish_build(s3, cloudfront, distribution_id, changed)

    assert changed.renders == 1 and result["built"] is True and result["uploaded"] == ["live.html"]
    manifest = site_publish.parse_manifest(s3.get_object(Bucket=BUCKET, Key=site_publish.MANIFEST_KEY)["Body"].read())
    assert manifest["build"] == "b" * 64


@pytest.mark.parametrize("by_hand", ["edited", "deleted", "stray file in a site directory"])
def test_a_bucket_changed_by_hand_is_built_and_repaired_although_the_inputs_are_the_same(
    s3, cloudfront, distribution_id, by_hand
):
    publish_build(s3, cloudfront, distribution_id, CountedBuild(small_site(), "a" * 64))
    if by_hand == "edited":
        s3.put_object(Bucket=BUCKET, Key="de/live.html", Body=b"defaced")
    elif by_hand == "deleted":
        s3.delete_object(Bucket=BUCKET, Key="de/live.html")
    else:
        s3.put_object(Bucket=BUCKET, Key="de/old.html", Body=b"left over")

    again = CountedBuild(small_site(), "a" * 64)
    result = publish_build(s3, cloudfront, distribution_id, again)

    assert again.renders == 1 and result["built"] is True
    if by_hand == "stray file in a site directory":
        assert result["removed"] == ["de/old.html"] and result["uploaded"] == []
    else:
        assert result["uploaded"] == ["de/live.html"]
    assert publish_build(s3, cloudfront, distribution_id, CountedBuild(small_site(), "a" * 64))["built"] is False


def test_new_build_inputs_that_render_the_same_files_write_the_manifest_alone_once(
    aws, s3, cloudfront, distribution_id
):
    publish_build(s3, cloudfront, distribution_id, SiteBuild.prebuilt(small_site()))  # a manifest without a digest
    aws.reset_calls()

    planned = publish_build(s3, cloudfront, distribution_id, CountedBuild(small_site(), "c" * 64), check_mode=True)
    assert planned["changed"] is True and planned["changes"] == [site_publish.RECORDED_BUILD]
    assert planned["diff"]["before"] == {site_publish.BUILD_DIFF_KEY: "unrecorded"}
    assert planned["diff"]["after"] == {site_publish.BUILD_DIFF_KEY: "c" * 12}
    assert writes(aws) == []

    recorded = publish_build(s3, cloudfront, distribution_id, CountedBuild(small_site(), "c" * 64))
    assert recorded["changed"] is True and recorded["uploaded"] == [] and recorded["invalidated"] == []
    assert recorded["changes"] == [site_publish.RECORDED_BUILD]
    assert writes(aws) == ["PutObject"]  # the manifest
    aws.reset_calls()

    skipped = CountedBuild(small_site(), "c" * 64)
    assert publish_build(s3, cloudfront, distribution_id, skipped)["changed"] is False
    assert skipped.renders == 0 and writes(aws) == []


def test_files_without_a_digest_are_always_compared_and_record_none(s3, cloudfront, distribution_id):
    publish_build(s3, cloudfront, distribution_id, SiteBuild.prebuilt(small_site()))
    result = publish_build(s3, cloudfront, distribution_id, SiteBuild.prebuilt(small_site()))

    assert result["built"] is True and result["changed"] is False
    manifest = site_publish.parse_manifest(s3.get_object(Bucket=BUCKET, Key=site_publish.MANIFEST_KEY)["Body"].read())
    assert manifest["build"] is None
