# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The botocore data loader that every boto3 session of a process shares."""

import re
from pathlib import Path

import boto3
import botocore.session

from ansible_collections.creatorcloud.platform.plugins.module_utils.core import botocore_loader

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def services_named_in_the_slices():
    """Every service a slice makes a client for, from the source: `client("name"`, `for service in ("a", ...)`
    and `services = ("a", ...)`."""
    source = "\n".join(path.read_text() for path in PLUGINS.rglob("*.py"))
    found = set(re.findall(r"client\(\s*\"([a-z0-9-]+)\"", source))
    for names in re.findall(r"(?:for service in|services =) \(([^)]*)\)", source):
        found |= set(re.findall(r"\"([a-z0-9-]+)\"", names))
    return found


def test_every_service_a_slice_uses_is_preloaded():
    named = services_named_in_the_slices()
    assert {"sns", "cloudwatch", "dynamodb"} <= named  # the scan finds both spellings
    assert named <= set(botocore_loader.SLICE_SERVICES)


def test_sessions_share_one_loader_and_parse_a_model_once():
    botocore_loader.share_data_loader()
    first = boto3.session.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-central-1")
    second = boto3.session.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-central-1")
    loader = first._session.get_component("data_loader")
    assert second._session.get_component("data_loader") is loader
    # boto3 adds its own data path for every session: the shared loader keeps it once.
    assert len(loader.search_paths) == len(set(loader.search_paths))
    assert first.client("dynamodb").meta.service_model is not None
    assert loader.load_service_model("dynamodb", "service-2") is loader.load_service_model("dynamodb", "service-2")


def test_a_different_data_path_gets_its_own_loader(tmp_path):
    assert botocore_loader.shared_loader(str(tmp_path)) is not botocore_loader.shared_loader(None)
    assert str(tmp_path) in botocore_loader.shared_loader(str(tmp_path)).search_paths
    assert botocore.session.create_loader is botocore_loader.shared_loader
