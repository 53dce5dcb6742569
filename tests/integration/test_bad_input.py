# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Malformed creator configuration fails before any write call, naming the creator, field and value."""

import shutil

import pytest
import yaml
from playbook_runner import REPO

CREATOR1 = yaml.safe_load((REPO / "inventories/local/host_vars/creator1.yml").read_text())


def inventory_with(tmp_path, host, **overrides):
    """A copy of the local inventory's settings with one creator `host` configured like creator1."""
    shutil.copytree(REPO / "inventories/local/group_vars", tmp_path / "group_vars")
    shutil.copytree(REPO / "inventories/local/files", tmp_path / "files")
    variables = {**CREATOR1, **overrides}
    variables = {key: value for key, value in variables.items() if value is not None}
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump({"creators": {"hosts": {host: variables}}}))
    return tmp_path


@pytest.mark.parametrize(
    ("host", "overrides", "expected"),
    [
        (
            "creator1",
            {"creator_admins": ["ops@agency.example", "ops-at-agency"]},
            "creator_admins[1] 'ops-at-agency' is not a valid e-mail address",
        ),
        (
            "creator1",
            {"creator_branding": {**CREATOR1["creator_branding"], "primary_color": "purple-ish"}},
            "creator_branding.primary_color 'purple-ish' is not a colour",
        ),
        (
            "creator1",
            {"creator_branding": {**CREATOR1["creator_branding"], "logo": "files/creator1/missing.svg"}},
            "missing.svg' does not exist or is not a file",
        ),
        (
            "creator1",
            {"creator_domain": "https://creator1.example/"},
            "creator_domain 'https://creator1.example/' is not a valid domain name",
        ),
        ("creator1", {"creator_domain": "creator1"}, "creator_domain 'creator1' is not a valid domain name"),
        ("Creator1", {}, "inventory_hostname 'Creator1' is not a valid creator slug"),
        (
            "creator-with-a-slug-far-too-long-for-us",
            {},
            "inventory_hostname 'creator-with-a-slug-far-too-long-for-us' is not a valid creator slug",
        ),
        ("creator1", {"creator_tier": "huge"}, "value of creator_tier must be one of: small, medium, large, got: huge"),
        ("creator1", {"creator_features": ["website", "casino"]}, "creator_features"),
        ("creator1", {"creator_email": None}, "missing required arguments: creator_email"),
        ("creator1", {"creator_email": "creator1-at-example"}, "creator_email 'creator1-at-example' is not a valid"),
        ("creator1", {"creator_tags": "cost-center"}, "creator_tags"),
        ("creator1", {"creator_tags": {"aws:owner": "x"}}, "key 'aws:owner' uses a reserved prefix"),
        ("creator1", {"creator_ou_path": "creators//eu?"}, "creator_ou_path 'creators//eu?' is not a valid OU path"),
    ],
    ids=[
        "bad-admin-email",
        "bad-colour",
        "missing-logo",
        "domain-with-scheme",
        "domain-without-dot",
        "upper-case-slug",
        "too-long-slug",
        "unknown-tier",
        "unknown-feature",
        "missing-email",
        "malformed-email",
        "tags-wrong-type",
        "reserved-tag",
        "bad-ou-path",
    ],
)
def test_bad_input_fails_before_any_write(organization, run_playbook, tmp_path, host, overrides, expected):
    run = run_playbook("playbooks/onboard.yml", inventory=inventory_with(tmp_path, host, **overrides))

    assert run.returncode != 0
    assert run.failed(host) == 1
    [result] = [r for r in run.results(host) if r.get("failed")]
    message = str(result.get("msg", "")) + " ".join(result.get("argument_errors", []))
    assert expected in message
    if "argument_errors" not in result:
        assert f"creator {host}:" in message
    assert organization.calls()["writes"] == 0


def test_unknown_feature_names_the_value(organization, run_playbook, tmp_path):
    run = run_playbook(
        "playbooks/onboard.yml", inventory=inventory_with(tmp_path, "creator1", creator_features=["shop", "casino"])
    )

    [result] = [r for r in run.results("creator1") if r.get("failed")]
    assert any("casino" in error for error in result["argument_errors"])
    assert organization.calls()["writes"] == 0


def test_module_rejects_bad_parameters_before_calling_aws(run_playbook, aws, tmp_path):
    playbook = tmp_path / "direct.yml"
    playbook.write_text(
        yaml.safe_dump(
            [
                {
                    "hosts": "localhost",
                    "connection": "local",
                    "gather_facts": False,
                    "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                    "tasks": [
                        {
                            "creatorcloud.platform.creator_account": {
                                "creator": "creator9",
                                "email": "not-an-email",
                                "ou_path": "creators",
                                "endpoint_url": aws.endpoint_url,
                                "access_key": "testing",
                                "secret_key": "testing",
                            }
                        }
                    ],
                }
            ]
        )
    )

    run = run_playbook(str(playbook), inventory="localhost,")

    [message] = run.failure_messages("localhost")
    assert message.startswith("creator creator9: email 'not-an-email' is not a valid e-mail address")
    assert aws.calls()["calls"] == []
