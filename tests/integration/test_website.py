# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The website slice on the emulator: roles config, account and website for creator1 and creator2.

Every property is read back with boto3 inside the creator's own account (by assuming the creator
role there); the call log proves no-op runs and check mode write nothing, and that a change of
tier writes exactly one UpdateDistribution.
"""

import json
import shutil

import pytest
import yaml
from playbook_runner import REPO

PLAYBOOK = "tests/integration/playbooks/website.yml"
CREATORS = ("creator1", "creator2")
MANAGEMENT_ACCOUNT = "123456789012"
SITE_SERVICES = {"route53", "acm", "s3", "cloudfront", "kms"}
HOST_VARS = {
    creator: yaml.safe_load((REPO / f"inventories/local/host_vars/{creator}.yml").read_text()) for creator in CREATORS
}
PRICE_CLASSES = {"small": "PriceClass_100", "medium": "PriceClass_200", "large": "PriceClass_All"}
# Each made once per creator, in its region (eu-central-1 in inventories/local) or us-east-1; the second key is
# the one of the us-east-1 alert topic (role account).
CREATES = [
    ("CreateHostedZone", "us-east-1"),
    ("RequestCertificate", "us-east-1"),
    ("CreateBucket", "eu-central-1"),
    ("CreateDistributionWithTags", "us-east-1"),
    ("CreateKey", "eu-central-1"),
    ("CreateKey", "us-east-1"),
]


@pytest.fixture
def onboarded(organization, converged):
    """Both creators onboarded up to their website; returns the run, and leaves the call log empty."""
    return converged("website-onboarded", PLAYBOOK)


@pytest.fixture
def in_account(creator_client):
    """`in_account(account_id, service, region)`: a boto3 client inside that account (assumed creator role)."""
    return creator_client


def module_result(run, creator, module):
    [result] = run.results(creator, action=f"creatorcloud.platform.{module}")
    return result


def exported_facts(run, creator):
    """The host facts that roles account and website exported."""
    facts = {}
    for result in run.results(creator, action="ansible.builtin.set_fact"):
        facts.update(result.get("ansible_facts", {}))
    return facts


def writes(calls):
    return [call for call in calls["calls"] if call["kind"] == "write"]


def tags_of(tag_list, key="Key", value="Value"):
    return {tag[key]: tag[value] for tag in tag_list}


def assert_zone_and_records(route53, facts, domain):
    zones = route53.list_hosted_zones()["HostedZones"]
    assert [(zone["Id"].split("/")[-1], zone["Name"]) for zone in zones] == [(facts["website_zone_id"], f"{domain}.")]
    zone = route53.get_hosted_zone(Id=facts["website_zone_id"])
    assert zone["HostedZone"]["Config"]["PrivateZone"] is False
    assert zone["DelegationSet"]["NameServers"] == facts["website_name_servers"]
    assert len(facts["website_name_servers"]) == 4
    tags = route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=facts["website_zone_id"])
    assert tags_of(tags["ResourceTagSet"]["Tags"])["creatorcloud:component"] == "website"
    records = route53.list_resource_record_sets(HostedZoneId=facts["website_zone_id"])["ResourceRecordSets"]
    aliases = {(r["Type"], r["Name"]): r["AliasTarget"] for r in records if "AliasTarget" in r}
    assert set(aliases) == {(t, n) for t in ("A", "AAAA") for n in (f"{domain}.", f"www.{domain}.")}
    for target in aliases.values():
        assert target == {
            "HostedZoneId": "Z2FDTNDATAQYW2",
            "DNSName": f"{facts['website_distribution_domain']}.",
            "EvaluateTargetHealth": False,
        }
    return {r["Name"]: r for r in records if r["Type"] == "CNAME"}


def assert_certificate(acm, facts, domain, cnames):
    certificate = acm.describe_certificate(CertificateArn=facts["website_certificate_arn"])["Certificate"]
    assert facts["website_certificate_arn"].startswith("arn:aws:acm:us-east-1:")
    assert certificate["Status"] == "ISSUED"
    assert sorted(certificate["SubjectAlternativeNames"]) == [domain, f"www.{domain}"]
    for option in certificate["DomainValidationOptions"]:
        record = option["ResourceRecord"]
        assert cnames[record["Name"]]["ResourceRecords"] == [{"Value": record["Value"]}]


def assert_key(kms, facts, account_id, creator):
    metadata = kms.describe_key(KeyId=f"alias/creatorcloud/{creator}")["KeyMetadata"]
    assert metadata["Arn"] == facts["account_kms_key_arn"]
    assert (metadata["KeyManager"], metadata["KeySpec"], metadata["KeyState"]) == (
        "CUSTOMER",
        "SYMMETRIC_DEFAULT",
        "Enabled",
    )
    assert kms.get_key_rotation_status(KeyId=metadata["KeyId"])["KeyRotationEnabled"] is True
    policy = json.loads(kms.get_key_policy(KeyId=metadata["KeyId"], PolicyName="default")["Policy"])
    cloudfront = next(s for s in policy["Statement"] if s["Principal"] == {"Service": "cloudfront.amazonaws.com"})
    assert cloudfront["Condition"] == {"ArnLike": {"AWS:SourceArn": f"arn:aws:cloudfront::{account_id}:distribution/*"}}


def assert_bucket(s3, facts, account_id, creator, distribution_arn):
    bucket = facts["website_bucket"]
    assert bucket == f"creatorcloud-{creator}-site-{account_id}"
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [bucket]
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]
    assert ownership == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    [rule] = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": facts["account_kms_key_arn"],
    }
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    [allow] = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert allow["Condition"] == {"StringEquals": {"AWS:SourceArn": distribution_arn}}
    assert tags_of(s3.get_bucket_tagging(Bucket=bucket)["TagSet"])["creatorcloud:creator"] == creator


def assert_distribution(cloudfront, facts, account_id, creator):
    domain, tier = HOST_VARS[creator]["creator_domain"], HOST_VARS[creator]["creator_tier"]
    [summary] = cloudfront.list_distributions()["DistributionList"]["Items"]
    assert (summary["Id"], summary["DomainName"]) == (
        facts["website_distribution_id"],
        facts["website_distribution_domain"],
    )
    config = cloudfront.get_distribution_config(Id=summary["Id"])["DistributionConfig"]
    assert config["CallerReference"] == f"creatorcloud-{creator}-{account_id}-site"
    assert sorted(config["Aliases"]["Items"]) == [domain, f"www.{domain}"]
    assert config["DefaultRootObject"] == "index.html"
    assert (config["PriceClass"], config["HttpVersion"], config["IsIPV6Enabled"]) == (
        PRICE_CLASSES[tier],
        "http2and3",
        True,
    )
    certificate = config["ViewerCertificate"]
    assert (
        certificate["ACMCertificateArn"],
        certificate["SSLSupportMethod"],
        certificate["MinimumProtocolVersion"],
    ) == (
        facts["website_certificate_arn"],
        "sni-only",
        "TLSv1.2_2021",
    )
    [origin] = config["Origins"]["Items"]
    assert origin["DomainName"] == f"{facts['website_bucket']}.s3.eu-central-1.amazonaws.com"
    access_control = cloudfront.get_origin_access_control(Id=origin["OriginAccessControlId"])["OriginAccessControl"]
    assert access_control["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    behavior = config["DefaultCacheBehavior"]
    assert (behavior["ViewerProtocolPolicy"], behavior["Compress"]) == ("redirect-to-https", True)
    errors = {item["ErrorCode"]: item for item in config["CustomErrorResponses"]["Items"]}
    assert set(errors) == {403, 404}
    for item in errors.values():
        assert (item["ResponsePagePath"], item["ResponseCode"]) == ("/404.html", "404")
        assert item["ErrorCachingMinTTL"] <= 60
    headers = cloudfront.get_response_headers_policy(Id=behavior["ResponseHeadersPolicyId"])
    security = headers["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"].startswith("default-src 'self';")
    assert "http" not in security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    tags = tags_of(cloudfront.list_tags_for_resource(Resource=summary["ARN"])["Tags"]["Items"])
    assert (tags["creatorcloud:creator"], tags["creatorcloud:component"]) == (creator, "website")
    return summary["ARN"]


def test_check_mode_on_new_creators_plans_the_website_and_writes_nothing(organization, run_playbook):
    run = run_playbook(PLAYBOOK, "--check", "--diff")

    assert run.returncode == 0, run.stderr
    for creator in CREATORS:
        assert module_result(run, creator, "website")["skipped"] is True
        # The creator's key in its region, and the one in us-east-1 for the CloudFront and certificate alarms' topic.
        assert [key["skipped"] for key in run.results(creator, action="creatorcloud.platform.creator_key")] == [
            True,
            True,
        ]
        plans = [r["msg"] for r in run.results(creator, action="ansible.builtin.debug") if r.get("changed")]
        assert any("skipped the website: the account does not exist yet" in plan for plan in plans)
        assert any(f"creates the key alias/creatorcloud/{creator}" in plan for plan in plans)
        assert exported_facts(run, creator)["website_name_servers"] == []
    assert writes(organization.calls()) == []


def test_the_website_converges_in_each_creators_own_account(organization, run_playbook, in_account):
    run = run_playbook(PLAYBOOK)

    assert run.returncode == 0, run.stderr
    calls = organization.calls()
    accounts = {}
    for creator in CREATORS:
        account_id = module_result(run, creator, "creator_account")["account"]["account_id"]
        accounts[creator] = account_id
        facts = exported_facts(run, creator)
        domain = HOST_VARS[creator]["creator_domain"]
        website = module_result(run, creator, "website")["website"]
        assert website["distribution_id"] == facts["website_distribution_id"]

        cnames = assert_zone_and_records(in_account(account_id, "route53", "us-east-1"), facts, domain)
        assert_certificate(in_account(account_id, "acm", "us-east-1"), facts, domain, cnames)
        assert_key(in_account(account_id, "kms"), facts, account_id, creator)
        distribution_arn = assert_distribution(
            in_account(account_id, "cloudfront", "us-east-1"), facts, account_id, creator
        )
        assert_bucket(in_account(account_id, "s3"), facts, account_id, creator, distribution_arn)

        creates = [
            (c["operation"], c["region"])
            for c in writes(calls)
            if c["account"] == account_id and c["operation"] in dict(CREATES)
        ]
        assert sorted(creates) == sorted(CREATES)
    assert accounts["creator1"] != accounts["creator2"]
    site_writes = [c for c in writes(calls) if c["service"] in SITE_SERVICES]
    assert {c["account"] for c in site_writes} == set(accounts.values())
    assert (
        not in_account(MANAGEMENT_ACCOUNT, "cloudfront", "us-east-1")
        .list_distributions()["DistributionList"]
        .get("Items")
    )


def test_a_second_run_and_check_mode_write_nothing(onboarded, run_playbook, organization):
    again = run_playbook(PLAYBOOK)

    assert again.returncode == 0, again.stderr
    assert [again.changed(creator) for creator in CREATORS] == [0, 0]
    assert [module_result(again, creator, "website")["changes"] for creator in CREATORS] == [[], []]
    assert writes(organization.calls()) == []

    organization.reset_calls()
    check = run_playbook(PLAYBOOK, "--check", "--diff")

    assert check.returncode == 0, check.stderr
    assert [check.changed(creator) for creator in CREATORS] == [0, 0]
    assert writes(organization.calls()) == []


def test_a_higher_tier_updates_exactly_the_distributions_price_class(onboarded, run_playbook, organization, in_account):
    account_id = module_result(onboarded, "creator1", "creator_account")["account"]["account_id"]
    distribution_id = exported_facts(onboarded, "creator1")["website_distribution_id"]

    plan = run_playbook(PLAYBOOK, "-l", "creator1", "-e", "creator_tier=medium", "--check", "--diff")
    assert writes(organization.calls()) == []
    applied = run_playbook(PLAYBOOK, "-l", "creator1", "-e", "creator_tier=medium")

    assert applied.returncode == 0, applied.stderr
    for run in (plan, applied):
        result = module_result(run, "creator1", "website")
        assert result["changes"] == [f"update distribution {distribution_id}: PriceClass"]
        assert result["diff"]["before"]["distribution"]["price_class"] == "PriceClass_100"
        assert result["diff"]["after"]["distribution"]["price_class"] == "PriceClass_200"
    assert [(c["operation"], c["account"]) for c in writes(organization.calls())] == [
        ("UpdateDistribution", account_id)
    ]
    cloudfront = in_account(account_id, "cloudfront", "us-east-1")
    assert (
        cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]["PriceClass"] == "PriceClass_200"
    )


def test_an_interrupted_run_is_finished_without_a_second_distribution(
    onboarded, run_playbook, organization, in_account
):
    """As if the last run stopped right after CreateDistribution: no bucket policy, no alias records yet."""
    account_id = module_result(onboarded, "creator1", "creator_account")["account"]["account_id"]
    facts = exported_facts(onboarded, "creator1")
    in_account(account_id, "s3").delete_bucket_policy(Bucket=facts["website_bucket"])
    route53 = in_account(account_id, "route53", "us-east-1")
    records = route53.list_resource_record_sets(HostedZoneId=facts["website_zone_id"])["ResourceRecordSets"]
    aliases = [{"Action": "DELETE", "ResourceRecordSet": r} for r in records if "AliasTarget" in r]
    route53.change_resource_record_sets(HostedZoneId=facts["website_zone_id"], ChangeBatch={"Changes": aliases})
    organization.reset_calls()

    run = run_playbook(PLAYBOOK, "-l", "creator1")

    assert run.returncode == 0, run.stderr
    assert [c["operation"] for c in writes(organization.calls())] == ["PutBucketPolicy", "ChangeResourceRecordSets"]
    cloudfront = in_account(account_id, "cloudfront", "us-east-1")
    assert [d["Id"] for d in cloudfront.list_distributions()["DistributionList"]["Items"]] == [
        facts["website_distribution_id"]
    ]


def test_settings_changed_by_hand_are_put_back_one_by_one(onboarded, run_playbook, organization, in_account):
    account_id = module_result(onboarded, "creator1", "creator_account")["account"]["account_id"]
    facts = exported_facts(onboarded, "creator1")
    s3 = in_account(account_id, "s3")
    s3.put_bucket_versioning(Bucket=facts["website_bucket"], VersioningConfiguration={"Status": "Suspended"})
    s3.delete_public_access_block(Bucket=facts["website_bucket"])
    cloudfront = in_account(account_id, "cloudfront", "us-east-1")
    policy_id = module_result(onboarded, "creator1", "website")["website"]["response_headers_policy_id"]
    current = cloudfront.get_response_headers_policy_config(Id=policy_id)
    config = current["ResponseHeadersPolicyConfig"]
    config["SecurityHeadersConfig"]["FrameOptions"]["FrameOption"] = "SAMEORIGIN"
    cloudfront.update_response_headers_policy(Id=policy_id, IfMatch=current["ETag"], ResponseHeadersPolicyConfig=config)
    distribution_arn = module_result(onboarded, "creator1", "website")["website"]["distribution_arn"]
    cloudfront.untag_resource(Resource=distribution_arn, TagKeys={"Items": ["creatorcloud:component"]})
    organization.reset_calls()

    run = run_playbook(PLAYBOOK, "-l", "creator1")

    assert run.returncode == 0, run.stderr
    assert [c["operation"] for c in writes(organization.calls())] == [
        "PutPublicAccessBlock",
        "PutBucketVersioning",
        "UpdateResponseHeadersPolicy",
        "TagResource",
    ]
    assert s3.get_bucket_versioning(Bucket=facts["website_bucket"])["Status"] == "Enabled"


def inventory_with(tmp_path, **overrides):
    """The local inventory's settings with creator1 configured as in host_vars, plus `overrides`."""
    shutil.copytree(REPO / "inventories/local/group_vars", tmp_path / "group_vars")
    host = {**HOST_VARS["creator1"], **overrides}
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump({"creators": {"hosts": {"creator1": host}}}))
    return tmp_path


def test_a_malformed_domain_fails_before_any_write(organization, run_playbook, tmp_path):
    run = run_playbook(PLAYBOOK, inventory=inventory_with(tmp_path, creator_domain="creator1.example/shop"))

    assert run.failed("creator1") == 1
    [message] = run.failure_messages("creator1")
    assert "creator_domain 'creator1.example/shop' is not a valid domain name" in message
    assert run.results("creator1", action="creatorcloud.platform.website") == []
    assert organization.calls()["writes"] == 0


def direct_playbook(tmp_path, aws, **params):
    """A playbook that runs the website module alone on localhost, for creator1 in account 210987654321."""
    task = {
        "creatorcloud.platform.website": {
            "account_id": "210987654321",
            "creator": "creator1",
            "domain": "creator1.example",
            "kms_key_arn": "arn:aws:kms:eu-central-1:210987654321:key/0f580c37-2bde-44cd-b781-5f16aa843aff",
            "region": "eu-central-1",
            "endpoint_url": aws.endpoint_url,
            "access_key": "testing",
            "secret_key": "testing",
            **params,
        }
    }
    play = {"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": [task]}
    play["vars"] = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    playbook = tmp_path / "website.yml"
    playbook.write_text(yaml.safe_dump([play]))
    return str(playbook)


@pytest.mark.parametrize(
    "domain", ["creator1", "https://creator1.example", "Creator1.Example", "creator1.example.", "-creator1.example"]
)
def test_the_module_rejects_a_malformed_domain_before_calling_aws(aws, run_playbook, tmp_path, domain):
    run = run_playbook(direct_playbook(tmp_path, aws, domain=domain), inventory="localhost,")

    [message] = run.failure_messages("localhost")
    assert message.startswith(f"creator creator1: domain {domain!r} is not a valid domain name")
    assert aws.calls()["calls"] == []


def test_check_mode_plans_a_site_whose_key_the_same_run_would_create(aws, run_playbook, tmp_path):
    """An account onboarded before the KMS key existed: check mode has no key ARN to give yet."""
    run = run_playbook(direct_playbook(tmp_path, aws, kms_key_arn=""), "--check", inventory="localhost,")

    [result] = run.results("localhost", action="creatorcloud.platform.website")
    assert result["changed"] is True
    assert (
        "encrypt bucket creatorcloud-creator1-site-210987654321 with the creator's KMS key by default"
        in (result["changes"])
    )
    assert result["website"]["distribution_id"] is None
    assert aws.calls()["writes"] == 0

    applied = run_playbook(direct_playbook(tmp_path, aws, kms_key_arn=""), inventory="localhost,")

    [message] = applied.failure_messages("localhost")
    assert message.startswith("creator creator1: kms_key_arn '' is not a KMS key ARN")
