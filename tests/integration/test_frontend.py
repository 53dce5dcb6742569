# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role frontend through ansible-playbook on the emulator: publish, again without a write, check mode, one change."""

import re
import shutil
from types import SimpleNamespace

import pytest
import yaml
from playbook_runner import REPO

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import site_bucket_name

PLAYBOOK = "tests/integration/playbooks/frontend.yml"
ACTION = "creatorcloud.platform.frontend"
CREATOR = "creator2"
ACCOUNT_ID = "210987654321"
MANIFEST_KEY = ".creatorcloud/site-manifest.json"
HOST_VARS = yaml.safe_load((REPO / f"inventories/local/host_vars/{CREATOR}.yml").read_text())


@pytest.fixture
def creator_site(aws, aws_client):
    """The creator's bucket and distribution, made with boto3 inside the creator's account as role website would."""
    role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/OrganizationAccountAccessRole"
    assumed = aws_client("sts").assume_role(RoleArn=role_arn, RoleSessionName="frontend-test")["Credentials"]
    credentials = dict(
        aws_access_key_id=assumed["AccessKeyId"],
        aws_secret_access_key=assumed["SecretAccessKey"],
        aws_session_token=assumed["SessionToken"],
    )
    s3 = aws_client("s3", **credentials)
    cloudfront = aws_client("cloudfront", region="us-east-1", **credentials)
    bucket = site_bucket_name(CREATOR, ACCOUNT_ID)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    origin = {"Id": "site", "DomainName": f"{bucket}.s3.eu-central-1.amazonaws.com"}
    config = {
        "CallerReference": f"creatorcloud-{CREATOR}-{ACCOUNT_ID}-site",
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{**origin, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
    }
    distribution_id = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
    aws.reset_calls()
    return SimpleNamespace(s3=s3, cloudfront=cloudfront, bucket=bucket, distribution_id=distribution_id)


@pytest.fixture
def theme(tmp_path):
    """A copy of the collection's theme that a test may change."""
    copy = tmp_path / "theme"
    shutil.copytree(REPO / "files/frontend", copy)
    return copy


@pytest.fixture
def inventory(tmp_path, creator_site, theme):
    """The creator's host_vars plus the facts of roles account and website, in an inventory of its own."""
    directory = tmp_path / "inventory"
    if (REPO / "inventories/local/files").is_dir():  # logos, named relative to the inventory
        shutil.copytree(REPO / "inventories/local/files", directory / "files")
    directory.mkdir(exist_ok=True)
    variables = {
        **HOST_VARS,
        "account_id": ACCOUNT_ID,
        "website_bucket": creator_site.bucket,
        "website_distribution_id": creator_site.distribution_id,
        "frontend_theme_dir": str(theme),
    }
    hosts = directory / "hosts.yml"  # the file, not the directory: files/ is no inventory source
    hosts.write_text(yaml.safe_dump({"creators": {"hosts": {CREATOR: variables}}}))
    return hosts


@pytest.fixture
def publish(run_playbook, inventory):
    """`publish(*args)`: run the playbook; returns (run, the frontend module's result)."""

    def run(*args, env=None):
        outcome = run_playbook(PLAYBOOK, *args, inventory=inventory, env=env)
        assert outcome.returncode == 0, (outcome.failure_messages(CREATOR), outcome.stderr)
        [result] = outcome.results(CREATOR, action=ACTION)
        return outcome, result

    return run


def bucket_keys(creator_site):
    listing = creator_site.s3.list_objects_v2(Bucket=creator_site.bucket).get("Contents", [])
    return sorted(item["Key"] for item in listing if item["Key"] != MANIFEST_KEY)


def writes(aws):
    return [call["operation"] for call in aws.calls()["calls"] if call["kind"] == "write"]


def invalidated_paths(creator_site, invalidation_id):
    invalidation = creator_site.cloudfront.get_invalidation(
        DistributionId=creator_site.distribution_id, Id=invalidation_id
    )
    return sorted(invalidation["Invalidation"]["InvalidationBatch"]["Paths"]["Items"])


def change_one_theme_file(theme):
    """Change the privacy page's template only: on an English-only site that is one page."""
    template = theme / "templates/pages/privacy.html.j2"
    source = template.read_text()
    block_end = source.rindex("{% endblock %}")
    template.write_text(source[:block_end] + "<p>Updated today.</p>\n" + source[block_end:])


def test_first_publish_uploads_the_site_and_a_second_run_writes_nothing(aws, creator_site, publish):
    first_run, first = publish()

    assert first_run.changed(CREATOR) == 1
    assert sorted(first["uploaded"]) == bucket_keys(creator_site)
    assert {"index.html", "privacy.html", "events.html", "404.html", "config.json"} <= set(first["uploaded"])
    assert first["invalidated"] == [] and first["removed"] == []
    assert first["counts"]["uploaded"] == len(first["uploaded"])
    assets = [key for key in first["uploaded"] if key.startswith("assets/")]
    assert assets and first["uploaded"][: len(assets)] == assets  # assets before the pages
    page = creator_site.s3.get_object(Bucket=creator_site.bucket, Key="index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "no-cache"
    stylesheet = creator_site.s3.get_object(Bucket=creator_site.bucket, Key=assets[0])
    assert stylesheet["CacheControl"] == "public, max-age=31536000, immutable"
    assert {call["account"] for call in aws.calls()["calls"] if call["operation"] != "AssumeRole"} == {ACCOUNT_ID}

    aws.reset_calls()
    second_run, second = publish("--diff")

    assert second_run.changed(CREATOR) == 0
    assert first["built"] is True and second["built"] is False  # the recorded build inputs are this run's
    assert second["uploaded"] == [] and second["removed"] == [] and second["invalidated"] == []
    assert second["unchanged"] == len(first["uploaded"])
    assert writes(aws) == []
    assert sorted(call["operation"] for call in aws.calls()["calls"]) == ["AssumeRole", "GetObject", "ListObjectsV2"]


def test_a_rebuild_from_a_fresh_copy_of_the_theme_uploads_nothing(aws, publish, theme):
    publish()
    checkout = theme.with_name("checkout")
    shutil.copytree(theme, checkout, copy_function=shutil.copyfile)  # same bytes, every file written anew
    shutil.rmtree(theme)
    checkout.rename(theme)
    aws.reset_calls()

    outcome, result = publish()

    assert outcome.changed(CREATOR) == 0 and result["built"] is False
    assert writes(aws) == []


def test_a_module_process_skips_the_build_of_unchanged_inputs_too(aws, publish):
    """The digest covers the build code's source, read from the AnsiballZ payload on the module path."""
    publish(env={"CREATORCLOUD_IN_WORKER": "false"})
    aws.reset_calls()

    outcome, result = publish(env={"CREATORCLOUD_IN_WORKER": "false"})

    assert outcome.changed(CREATOR) == 0 and result["built"] is False
    assert writes(aws) == []
    assert publish()[1]["built"] is False  # both paths digest the same inputs alike


def test_check_mode_lists_the_plan_and_writes_nothing(aws, creator_site, publish, theme):
    outcome, planned = publish("--check", "--diff")

    assert outcome.changed(CREATOR) == 1
    assert planned["uploaded"] and planned["invalidation_id"] is None
    assert writes(aws) == []
    assert bucket_keys(creator_site) == []

    publish()
    change_one_theme_file(theme)
    aws.reset_calls()
    outcome, planned = publish("--check", "--diff")

    assert planned["uploaded"] == ["privacy.html"]
    assert planned["invalidated"] == ["/privacy.html"]
    assert list(planned["diff"]["after"]) == ["privacy.html"]
    assert writes(aws) == []


def test_one_changed_theme_file_is_one_upload_and_one_invalidation_path(aws, creator_site, publish, theme):
    publish()
    change_one_theme_file(theme)
    aws.reset_calls()

    outcome, result = publish()

    assert outcome.changed(CREATOR) == 1 and result["built"] is True
    assert result["uploaded"] == ["privacy.html"]
    assert result["invalidated"] == ["/privacy.html"]
    assert result["removed"] == []
    assert invalidated_paths(creator_site, result["invalidation_id"]) == ["/privacy.html"]
    assert writes(aws) == ["PutObject", "CreateInvalidation", "PutObject"]  # the page, then the manifest
    body = creator_site.s3.get_object(Bucket=creator_site.bucket, Key="privacy.html")["Body"].read()
    assert b"Updated today." in body


def test_a_page_of_a_feature_switched_off_is_removed_after_the_new_pages_are_up(aws, creator_site, publish):
    publish()
    aws.reset_calls()
    features = [feature for feature in HOST_VARS["creator_features"] if feature != "events"]

    outcome, result = publish("-e", yaml.safe_dump({"creator_features": features}, default_flow_style=True))

    # The events feature's pages go, and its QR code bundle (built only for a site with events).
    [bundle] = [key for key in result["removed"] if key.startswith("assets/")]
    assert re.fullmatch(r"assets/qrcode\.[0-9a-f]{10}\.js", bundle)
    assert result["removed"] == [bundle, "door.html", "events.html", "tickets.html"]
    assert "events.html" not in bucket_keys(creator_site)
    assert "index.html" in result["uploaded"]
    assert "/events.html" in result["invalidated"]
    operations = writes(aws)
    assert operations == ["PutObject"] * len(result["uploaded"]) + ["DeleteObjects", "CreateInvalidation", "PutObject"]


def test_a_colour_that_is_not_a_colour_fails_before_any_write(aws, run_playbook, inventory):
    branding = {**HOST_VARS["creator_branding"], "primary_color": "purple"}

    outcome = run_playbook(
        PLAYBOOK, "-e", yaml.safe_dump({"creator_branding": branding}, default_flow_style=True), inventory=inventory
    )

    assert outcome.failed(CREATOR) == 1
    [message] = outcome.failure_messages(CREATOR)
    assert message.startswith(f"creator {CREATOR}: the site cannot be built: ")
    assert "purple" in message
    assert writes(aws) == []
